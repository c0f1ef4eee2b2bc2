"""The fair's admin lists load in a fixed number of queries, however many exhibitors, booths, registrations and
log rows the fair has."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from employers.models import Employer
from employers.uscc import make_uscc
from fairs.models import Booth, ExhibitorStatus, FairLog, Offer, Participation, Registration
from jobs.models import JobPosting, JobStatus
from tests.factories import city, industry
from tests.fairs.helpers import HANGZHOU, SUZHOU, make_fair, staff

pytestmark = pytest.mark.django_db
PAGES = [
    "admin:fairs_participation_changelist",
    "admin:fairs_booth_changelist",
    "admin:fairs_registration_changelist",
    "admin:fairs_fairlog_changelist",
    "admin:fairs_fair_changelist",
]


def _grow(fair, count: int, start: int) -> None:
    zone = fair.zones.get(code="A")
    cities = [city(SUZHOU), city(HANGZHOU)]
    employers = Employer.objects.bulk_create(
        Employer(
            name=f"参展测试单位{start + i}",
            uscc=make_uscc(division=cities[i % 2].code, serial=f"F{start + i:08d}"),
            ownership="private",
            industry=industry("C"),
            city=cities[i % 2],
            verification_state="verified",
        )
        for i in range(count)
    )
    booths = Booth.objects.bulk_create(Booth(fair=fair, zone=zone, code=f"X{start + i:04d}") for i in range(count))
    participations = Participation.objects.bulk_create(
        Participation(fair=fair, employer=employer, status=ExhibitorStatus.APPROVED, booth=booth, positions=3)
        for employer, booth in zip(employers, booths, strict=True)
    )
    jobs = JobPosting.objects.bulk_create(
        JobPosting(
            employer=employer,
            title=f"参展职位{start + i}",
            city=employer.city,
            industry=employer.industry,
            status=JobStatus.PUBLISHED,
            published_at=timezone.now(),
            fair=fair,
        )
        for i, employer in enumerate(employers)
    )
    Offer.objects.bulk_create(
        Offer(participation=participation, job=job, positions=3)
        for participation, job in zip(participations, jobs, strict=True)
    )
    FairLog.objects.bulk_create(
        FairLog(fair=fair, action="exhibitor_approved", participation=p) for p in participations
    )
    users = User.objects.bulk_create(User(email=f"fairgoer{start + i}@example.cn") for i in range(count))
    Registration.objects.bulk_create(
        Registration(fair=fair, graduate=user, status="registered", code=f"T{start + i:07d}")
        for i, user in enumerate(users)
    )


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["host", "co-organiser", "superuser"])
def test_fair_changelists_do_not_grow_with_rows(client, django_assert_max_num_queries, who):
    fair = make_fair()
    user = {
        "host": lambda: staff("320000"),
        "co-organiser": lambda: staff("330000"),
        "superuser": lambda: User.objects.create_superuser("root@example.cn", "x"),
    }[who]()
    client.force_login(user)
    _grow(fair, 20, 0)
    small = {}
    for name in PAGES:
        with django_assert_max_num_queries(14, info=name):
            small[name] = _count(client, reverse(name))
    _grow(fair, 120, 20)
    assert {name: _count(client, reverse(name)) for name in PAGES} == small


def test_the_public_guide_and_booth_plan_do_not_grow_with_exhibitors(client):
    fair = make_fair()
    fair.exhibitors_published = True
    fair.save(update_fields=["exhibitors_published"])
    _grow(fair, 10, 0)
    pages = [reverse("fairs:guide", args=[fair.slug]), reverse("fairs:booths", args=[fair.slug])]
    small = [_count(client, url) for url in pages]
    _grow(fair, 60, 10)
    assert [_count(client, url) for url in pages] == small
    text = client.get(pages[0]).content.decode()
    assert "参展测试单位65" in text
    assert "参展职位65" in text  # the vacancies each exhibitor brings, prefetched
