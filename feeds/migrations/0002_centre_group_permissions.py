"""Centre staff work with their province's feeds: moderators read runs and issues, centre admins also configure
sources, sync them by hand and apply held runs."""

from django.db import migrations

from talentfair.core.groups import CENTRE_ADMIN, CENTRE_MODERATOR, ensure_permissions, grant

READ = ["view_feedsource", "view_syncrun", "view_syncissue", "view_feedrecord"]
MANAGE = ["add_feedsource", "change_feedsource", "change_syncrun"]


def forwards(apps, schema_editor):
    ensure_permissions(apps)
    grant(apps, CENTRE_MODERATOR, "feeds", READ)
    grant(apps, CENTRE_ADMIN, "feeds", READ + MANAGE)


class Migration(migrations.Migration):
    dependencies = [("feeds", "0001_initial"), ("accounts", "0003_centre_groups")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
