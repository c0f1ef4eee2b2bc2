"""Drop indexes that every vacancy insert pays for and no query uses (measured with the feed importer).

- ``employer_id`` alone: ``job_employer_status_idx`` (employer_id, status) serves every lookup by employer,
  including the foreign key's cascade from ``employers_employer``.
- The ``varchar_pattern_ops`` copies Django adds beside the plain indexes of the char-keyed foreign keys
  ``city_id`` and ``industry_id``: they only serve ``LIKE 'prefix%'``, and nothing filters codes with LIKE
  (a province is the generated ``province_code``). The plain indexes stay. Django does not model these
  copies, so they are dropped by name (the names are derived from table and column, the same everywhere).
"""

import django.db.models.deletion
from django.db import migrations, models

LIKE_INDEXES = {
    "jobs_jobposting_city_id_f728104e_like": "city_id",
    "jobs_jobposting_industry_id_dfec4dd3_like": "industry_id",
}


class Migration(migrations.Migration):
    dependencies = [
        ("employers", "0004_employer_review"),
        ("jobs", "0010_province_code"),
    ]

    operations = [
        migrations.AlterField(
            model_name="jobposting",
            name="employer",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="jobs",
                to="employers.employer",
                verbose_name="招聘单位",
            ),
        ),
        migrations.RunSQL(
            [f"DROP INDEX IF EXISTS {name}" for name in LIKE_INDEXES],
            reverse_sql=[
                f"CREATE INDEX IF NOT EXISTS {name} ON jobs_jobposting ({column} varchar_pattern_ops)"
                for name, column in LIKE_INDEXES.items()
            ],
        ),
    ]
