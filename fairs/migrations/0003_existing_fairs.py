"""Carry fairs made before the fair's own operations over: organiser texts become organiser rows, booth codes
become booths (one zone per booth-code letter), existing participations are approved exhibitors whose list is
public, and a fair that has ended is finished."""

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    Fair = apps.get_model("fairs", "Fair")
    FairOrganiser = apps.get_model("fairs", "FairOrganiser")
    Participation = apps.get_model("fairs", "Participation")
    Zone = apps.get_model("fairs", "Zone")
    Booth = apps.get_model("fairs", "Booth")
    TalentCentre = apps.get_model("regions", "TalentCentre")
    centres = {centre.name: centre for centre in TalentCentre.objects.all()}
    today = timezone.localdate()
    for fair in Fair.objects.all():
        lines = [("organiser", line.strip()) for line in fair.organisers.splitlines() if line.strip()]
        lines += [("supporter", line.strip()) for line in fair.co_organisers.splitlines() if line.strip()]
        for position, (role, name) in enumerate(lines):
            FairOrganiser.objects.get_or_create(
                fair=fair, role=role, name=name, defaults={"centre": centres.get(name), "position": position}
            )
        host = next((centres[name] for _role, name in lines if name in centres), None)
        fair.host_centre = fair.host_centre or host
        fair.state = "finished" if fair.ends_on < today else "draft"
        fair.exhibitors_published = True
        fair.save(update_fields=["host_centre", "state", "exhibitors_published"])
        zones = {}
        for participation in Participation.objects.filter(fair=fair):
            participation.status = "approved"
            participation.decided_at = participation.submitted_at
            code = participation.booth_code.strip()
            if code:
                letter = code[0].upper()
                if letter not in zones:
                    zones[letter] = Zone.objects.get_or_create(
                        fair=fair, code=letter, defaults={"name": f"{letter}馆", "name_en": f"Hall {letter}"}
                    )[0]
                participation.booth = Booth.objects.get_or_create(
                    fair=fair, code=code, defaults={"zone": zones[letter]}
                )[0]
            participation.save(update_fields=["status", "decided_at", "booth"])


class Migration(migrations.Migration):
    dependencies = [("fairs", "0002_fair_operations"), ("regions", "0002_load_regions_and_centres")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
