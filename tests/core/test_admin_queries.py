"""Admin changelists load with a bounded number of queries, whatever the number of rows (50 or 500 here; 100k
measured by bench/admin_changelists.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from employers.models import Employer
from employers.uscc import make_uscc
from jobs.models import JobPosting, JobReview, JobStatus, Report
from tests.factories import UserFactory, city, industry
from tests.moderation_helpers import HANGZHOU, SUZHOU, staff

pytestmark = pytest.mark.django_db
MAX_QUERIES = 14
PAGES = [
    "admin:employers_employer_changelist",
    "admin:employers_pendingemployer_changelist",
    "admin:jobs_jobposting_changelist",
    "admin:jobs_pendingjob_changelist",
    "admin:jobs_report_changelist",
    "admin:jobs_jobreview_changelist",
]


def _grow(count: int, start: int) -> None:
    """``count`` employers and ``count`` vacancies (half pending, each with a submission row and a report)."""
    cities = [city(SUZHOU), city(HANGZHOU)]
    employers = Employer.objects.bulk_create(
        Employer(
            name=f"批量测试单位{start + i}",
            uscc=make_uscc(division=cities[i % 2].code, serial=f"Q{start + i:08d}"),
            ownership="private",
            industry=industry("C"),
            city=cities[i % 2],
            verification_state="pending" if i % 2 else "verified",
        )
        for i in range(count)
    )
    jobs = JobPosting.objects.bulk_create(
        JobPosting(
            employer=employer,
            title=f"批量职位{start + i}",
            city=employer.city,
            industry=employer.industry,
            status=JobStatus.PENDING if i % 2 else JobStatus.PUBLISHED,
        )
        for i, employer in enumerate(employers)
    )
    JobReview.objects.bulk_create(JobReview(job=job, decision="submitted") for job in jobs)
    reporter = UserFactory()
    Report.objects.bulk_create(Report(job=job, reporter=reporter, reason="other") for job in jobs)


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["staff", "superuser"])
def test_changelists_do_not_grow_with_rows(client, django_assert_max_num_queries, who):
    user = staff("320000") if who == "staff" else User.objects.create_superuser("root@example.cn", "x")
    client.force_login(user)
    _grow(50, 0)
    small = {}
    for name in PAGES:
        with django_assert_max_num_queries(MAX_QUERIES):
            small[name] = _count(client, reverse(name))
    _grow(450, 50)
    large = {name: _count(client, reverse(name)) for name in PAGES}
    assert large == small
    # And the pages really list rows (not an empty, trivially cheap page).
    response = client.get(reverse("admin:jobs_jobposting_changelist"))
    assert len(response.context["cl"].result_list) == 50


def test_filtered_and_searched_lists_stay_bounded(client, django_assert_max_num_queries):
    client.force_login(User.objects.create_superuser("root@example.cn", "x"))
    _grow(200, 0)
    for url in [
        reverse("admin:jobs_jobposting_changelist") + "?status__exact=pending&city__province__code__exact=320000",
        reverse("admin:employers_employer_changelist") + "?ownership__exact=private&industry__code__exact=C",
        reverse("admin:employers_employer_changelist") + "?q=批量测试",
    ]:
        with django_assert_max_num_queries(MAX_QUERIES):
            assert client.get(url).status_code == 200
