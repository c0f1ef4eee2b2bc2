"""Staff groups and their permissions, created by data migrations (nobody ticks permission boxes by hand).

Another app's migration can grant its own models' permissions to the groups with ``grant`` (e.g. the feeds app:
``grant(apps, CENTRE_ADMIN, "feeds", ["view_feedsource", "change_feedsource", ...])``).
"""

from django.contrib.auth.management import create_permissions

CENTRE_MODERATOR = "centre moderator"
CENTRE_ADMIN = "centre admin"


def ensure_permissions(apps) -> None:
    """Permissions are normally created after ``migrate`` finishes; a data migration needs them now."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None


def grant(apps, group_name: str, app_label: str, codenames: list[str]) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    permissions = list(Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
    missing = set(codenames) - {p.codename for p in permissions}
    if missing:
        raise RuntimeError(f"Unknown permissions for {app_label}: {sorted(missing)}")
    group.permissions.add(*permissions)
