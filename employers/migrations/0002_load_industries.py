"""Load the GB/T 4754-2017 industry sections A–T."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "industries.csv"


def load(apps, schema_editor):
    Industry = apps.get_model("employers", "Industry")
    with DATA.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            Industry.objects.update_or_create(
                code=row["code"], defaults={"name": row["name_zh"], "name_en": row["name_en"]}
            )


class Migration(migrations.Migration):
    dependencies = [("employers", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
