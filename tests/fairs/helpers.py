"""A small fair for the fair tests: hosted by 江苏省人才流动服务中心, co-organised by 上海市人才服务中心 and
浙江省人才市场 (安徽省人才服务中心 takes no part), with two zones of three booths each."""

from accounts.services import profile_update
from fairs.models import Booth, FairState, Registration, Zone
from fairs.services import exhibitor_apply, fair_advance
from jobs.models import JobStatus
from tests.accounts.helpers import make_graduate, make_recruiter
from tests.factories import (
    EmployerFactory,
    JobPostingFactory,
    UpcomingFairFactory,
    UserFactory,
    centre,
    city,
    industry,
)
from tests.moderation_helpers import HANGZHOU, HEFEI, PUDONG, SUZHOU, staff

__all__ = ["HANGZHOU", "HEFEI", "PUDONG", "SUZHOU", "staff"]


def make_fair(**extra):
    fair = UpcomingFairFactory(
        slug=extra.pop("slug", "yrd-test"),
        city=city("320100"),
        host_centre=extra.pop("host_centre", None) or centre("js-talent"),
        organised_by=["sh-talent", "zj-talent"],
        **extra,
    )
    zone_a = Zone.objects.create(fair=fair, code="A", name="智能制造")
    zone_a.industries.set([industry("C")])
    zone_b = Zone.objects.create(fair=fair, code="B", name="信息技术")
    zone_b.industries.set([industry("I")])
    for zone in (zone_a, zone_b):
        for number in (1, 2, 3):
            Booth.objects.create(fair=fair, zone=zone, code=f"{zone.code}{number:03d}")
    return fair


def exhibitor(fair, *, place=SUZHOU, sector="I", positions=3, zone=None):
    """A verified employer of ``place`` with a recruiter and a published vacancy, applying to exhibit."""
    employer = EmployerFactory(city=city(place), industry=industry(sector))
    recruiter = make_recruiter(employer)
    job = JobPostingFactory(employer=employer, status=JobStatus.PUBLISHED)
    participation = exhibitor_apply(
        fair=fair,
        employer=employer,
        by=recruiter,
        offers=[(job.pk, positions)],
        representatives="张老师 13912345678",
        zone_preference=zone,
    )
    return participation, recruiter, job


def graduate(*, cohort=2026, degree=3, study_province="320000", resume=True):
    user = make_graduate(resume=resume)
    profile_update(
        user=user,
        name="王小明",
        mobile="13812345678",
        school="南京大学",
        major="软件工程",
        degree=degree,
        cohort=cohort,
        study_province=study_province,
    )
    return user


def plain_user():
    return UserFactory()


def start(fair):
    """The fair day begins: the host moves the fair to "in progress"."""
    return fair_advance(fair=fair, by=host_staff(), to=FairState.IN_PROGRESS)


def host_staff():
    """A moderator of the host centre (江苏)."""
    return staff("320000")


def registered(fair, user) -> Registration:
    return Registration.objects.get(fair=fair, graduate=user)
