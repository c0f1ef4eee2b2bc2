"""Instant alerts follow the vacancy events from the moment this is deployed, not from the beginning of the stream
(which starts with every vacancy public when the outbox was added): their cursor starts at its current end."""

from django.db import migrations
from django.db.models import Max


def forwards(apps, schema_editor):
    VacancyEvent = apps.get_model("jobs", "VacancyEvent")
    EventCursor = apps.get_model("jobs", "EventCursor")
    top = VacancyEvent.objects.aggregate(top=Max("seq"))["top"] or 0
    EventCursor.objects.get_or_create(name="alerts.instant", defaults={"seq": top})


class Migration(migrations.Migration):
    dependencies = [("jobs", "0019_event_cursor")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
