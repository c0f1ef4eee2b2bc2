"""Statistics on what a vacancy pays at most, the expression the salary filter and sort use.

Without them PostgreSQL guessed that "pays at least 8,000" keeps 32% of the catalogue (it keeps 71% at a million
vacancies) and intersected a 713,000-entry bitmap of the salary index with the search index's matches: 100 ms
spent to skip a third of the rows.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0011_drop_redundant_indexes"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE STATISTICS job_salary_upper_stats ON (COALESCE(salary_max, salary_min)) FROM jobs_jobposting",
            "DROP STATISTICS job_salary_upper_stats",
        ),
    ]
