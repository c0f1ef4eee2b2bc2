"""The staff groups: "centre moderator" (verify employers, review vacancies, handle reports) and "centre admin"
(also corrects employer data, runs fairs, sees the centre's staff). Staff are scoped to their centre's province by
the admin itself (talentfair.core.admin), not by these permissions."""

from django.db import migrations

from talentfair.core.groups import CENTRE_ADMIN, CENTRE_MODERATOR, ensure_permissions, grant

MODERATOR = {
    "regions": ["view_province", "view_city", "view_talentcentre"],
    "employers": [
        "view_industry",
        "view_employer",
        "verify_employer",
        "view_pendingemployer",
        "view_membership",
        "view_employerreview",
    ],
    "jobs": [
        "view_jobposting",
        "review_jobposting",
        "view_pendingjob",
        "view_jobreview",
        "view_application",
        "view_applicationevent",
        "view_report",
        "change_report",
    ],
    "fairs": ["view_fair", "view_participation"],
}
ADMIN_EXTRA = {
    "accounts": ["view_user"],
    "employers": ["change_employer", "change_membership"],
    "fairs": ["add_fair", "change_fair", "add_participation", "change_participation", "delete_participation"],
}


def create_groups(apps, schema_editor):
    ensure_permissions(apps)
    for app_label, codenames in MODERATOR.items():
        grant(apps, CENTRE_MODERATOR, app_label, codenames)
        grant(apps, CENTRE_ADMIN, app_label, codenames)
    for app_label, codenames in ADMIN_EXTRA.items():
        grant(apps, CENTRE_ADMIN, app_label, codenames)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[CENTRE_MODERATOR, CENTRE_ADMIN]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_graduate_profile"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("regions", "0002_load_regions_and_centres"),
        ("employers", "0004_employer_review"),
        ("jobs", "0005_catalogue_order_index"),
        ("fairs", "0001_initial"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups)]
