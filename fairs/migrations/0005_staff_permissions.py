"""The fair's permissions for the staff groups: moderators decide on exhibitors and check graduates in; centre
admins also edit fairs, their organisers, zones and booth plans. Which fair and which exhibitors a person may act
on is decided by ``fairs.selectors`` (host centre, co-organising centre, province), not by these permissions."""

from django.db import migrations

from talentfair.core.groups import CENTRE_ADMIN, CENTRE_MODERATOR, ensure_permissions, grant

MODERATOR = [
    "view_fair",
    "run_fair",
    "view_fairorganiser",
    "view_zone",
    "view_booth",
    "view_participation",
    "change_participation",
    "view_offer",
    "view_registration",
    "view_fairlog",
]
ADMIN_EXTRA = [
    "add_fair",
    "change_fair",
    "add_fairorganiser",
    "change_fairorganiser",
    "delete_fairorganiser",
    "add_zone",
    "change_zone",
    "delete_zone",
    "add_booth",
    "change_booth",
    "delete_booth",
]


def forwards(apps, schema_editor):
    ensure_permissions(apps)
    grant(apps, CENTRE_MODERATOR, "fairs", MODERATOR)
    grant(apps, CENTRE_ADMIN, "fairs", MODERATOR + ADMIN_EXTRA)


class Migration(migrations.Migration):
    dependencies = [("fairs", "0004_drop_organiser_texts"), ("accounts", "0003_centre_groups")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
