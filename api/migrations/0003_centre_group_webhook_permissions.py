"""Centre admins register and look after their centre's webhook endpoints; moderators can see them and their
deliveries."""

from django.db import migrations

from talentfair.core.groups import CENTRE_ADMIN, CENTRE_MODERATOR, ensure_permissions, grant

READ = ["view_webhookendpoint", "view_webhookdelivery"]
MANAGE = ["add_webhookendpoint", "change_webhookendpoint"]


def forwards(apps, schema_editor):
    ensure_permissions(apps)
    grant(apps, CENTRE_MODERATOR, "api", READ)
    grant(apps, CENTRE_ADMIN, "api", READ + MANAGE)


class Migration(migrations.Migration):
    dependencies = [("api", "0002_webhooks_and_push"), ("accounts", "0003_centre_groups")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
