"""Load the four provinces, their 56 cities/districts (GB/T 2260) and the partner talent centres."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "regions.csv"

CENTRES = [
    ("上海市人才服务中心", "sh-talent", "310000", "https://www.shrc.org.cn/"),
    ("上海市学生事务中心", "sh-student", "310000", "https://www.firstjob.com.cn/"),
    ("江苏省人才流动服务中心", "js-talent", "320000", "http://www.jsrc.net/"),
    ("浙江省人才市场", "zj-talent", "330000", "http://www.zjrc.com/"),
    ("安徽省人才服务中心", "ah-talent", "340000", "http://www.ahrc.com.cn/"),
]


def load(apps, schema_editor):
    Province = apps.get_model("regions", "Province")
    City = apps.get_model("regions", "City")
    TalentCentre = apps.get_model("regions", "TalentCentre")
    with DATA.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        Province.objects.update_or_create(
            code=row["province_code"],
            defaults={
                "name": row["province_name"],
                "short_name": row["province_short"],
                "name_en": row["province_name_en"],
            },
        )
    for row in rows:
        City.objects.update_or_create(
            code=row["city_code"],
            defaults={"name": row["city_name"], "name_en": row["city_name_en"], "province_id": row["province_code"]},
        )
    for name, slug, province, website in CENTRES:
        TalentCentre.objects.update_or_create(
            slug=slug, defaults={"name": name, "province_id": province, "website": website}
        )


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
