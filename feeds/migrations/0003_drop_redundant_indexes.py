"""Drop indexes that every provenance insert pays for and no query uses.

- ``source_id`` alone: the unique ``feedrecord_unique_source_id`` (source_id, external_id) serves every lookup by
  source, including the foreign key's cascade from ``feeds_feedsource``.
- ``match_key``'s ``varchar_pattern_ops`` copy: match keys are hashes, compared for equality only (the plain
  index stays). Django does not model the copy, so it is dropped by name.
"""

import django.db.models.deletion
from django.db import migrations, models

LIKE_INDEX = "feeds_feedrecord_match_key_0d88797a_like"


class Migration(migrations.Migration):
    dependencies = [
        ("feeds", "0002_centre_group_permissions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="feedrecord",
            name="source",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="records",
                to="feeds.feedsource",
                verbose_name="职位源",
            ),
        ),
        migrations.RunSQL(
            f"DROP INDEX IF EXISTS {LIKE_INDEX}",
            reverse_sql=f"CREATE INDEX IF NOT EXISTS {LIKE_INDEX} ON feeds_feedrecord (match_key varchar_pattern_ops)",
        ),
    ]
