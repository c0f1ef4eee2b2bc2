"""Helpers for the moderation tests: staff members of a province in the groups the data migration creates."""

from django.contrib.auth.models import Group

from talentfair.core.groups import CENTRE_ADMIN, CENTRE_MODERATOR
from tests.factories import StaffFactory, centre

CENTRE_OF = {"310000": "sh-talent", "320000": "js-talent", "330000": "zj-talent", "340000": "ah-talent"}
SUZHOU, HANGZHOU, PUDONG, HEFEI = "320500", "330100", "310115", "340100"


def staff(province: str = "320000", *, group: str = CENTRE_MODERATOR, **extra):
    user = StaffFactory(centre=centre(CENTRE_OF[province]), **extra)
    user.groups.add(Group.objects.get(name=group))
    return user


def centre_admin(province: str = "320000", **extra):
    return staff(province, group=CENTRE_ADMIN, **extra)
