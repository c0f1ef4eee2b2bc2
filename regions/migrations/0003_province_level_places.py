"""Each province as a place of its own (code = the province's code), for vacancies that name only the province."""

from django.db import migrations


def add(apps, schema_editor):
    Province = apps.get_model("regions", "Province")
    City = apps.get_model("regions", "City")
    for province in Province.objects.all():
        City.objects.update_or_create(
            code=province.code,
            defaults={"name": province.name, "name_en": province.name_en, "province": province},
        )


def remove(apps, schema_editor):
    City = apps.get_model("regions", "City")
    Province = apps.get_model("regions", "Province")
    City.objects.filter(code__in=Province.objects.values("code")).delete()


class Migration(migrations.Migration):
    dependencies = [("regions", "0002_load_regions_and_centres")]
    operations = [migrations.RunPython(add, remove)]
