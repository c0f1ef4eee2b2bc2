"""A feed may not speak for employers it does not represent: a source publishes at once only for employers of its
own centre's province that it introduced or that staff linked to it; a vacancy for any other employer waits for the
employer's province staff, and the employer is told."""

import pytest
from django.core import mail
from django.test import Client

from employers.uscc import make_uscc
from feeds.models import FeedRecord, FeedTrust
from jobs.models import JobPosting, JobReview, JobStatus
from jobs.services import job_approve
from tests.accounts.helpers import make_recruiter
from tests.factories import EmployerFactory, city
from tests.moderation_helpers import staff

from .feedkit import jsonld, posting
from .test_sync import sync

pytestmark = pytest.mark.django_db

USCC_PUDONG = make_uscc(division="310115", serial="MA1T00099")


def _shanghai_posting(external_id: str):
    """A Shanghai employer's vacancy, named by its 统一社会信用代码."""
    return posting(
        external_id,
        hiringOrganization={
            "@type": "Organization",
            "name": "上海浦江精密仪器有限公司",
            "identifier": {"@type": "PropertyValue", "name": "统一社会信用代码", "value": USCC_PUDONG},
        },
        jobLocation={"@type": "Place", "address": {"addressRegion": "上海市", "addressLocality": "浦东新区"}},
    )


@pytest.fixture
def shanghai_employer():
    employer = EmployerFactory(name="上海浦江精密仪器有限公司", uscc=USCC_PUDONG, city=city("310115"))
    make_recruiter(employer)
    return employer


def test_a_feed_naming_another_provinces_verified_employer_publishes_nothing_until_that_provinces_staff_approve(
    make_source, shanghai_employer, django_capture_on_commit_callbacks
):
    source = make_source()  # 江苏省人才流动服务中心's feed
    with django_capture_on_commit_callbacks(execute=True):
        run = sync(source, jsonld(_shanghai_posting("SH1"), posting("JS1")))
    assert (run.created, run.held) == (2, 1)
    job = JobPosting.objects.get(employer=shanghai_employer)
    assert job.status == JobStatus.PENDING
    assert not JobPosting.objects.published().filter(pk=job.pk).exists()  # not under its name, not 已认证
    assert JobReview.objects.get(job=job).reason.startswith("由合作中心“江苏省人才流动服务中心”")
    # The Suzhou employer the feed introduced itself is published as before.
    assert JobPosting.objects.published().filter(source=source.centre).exclude(pk=job.pk).count() == 1
    # The employer is told.
    [message] = [m for m in mail.outbox if "上海浦江精密仪器有限公司" in m.body]
    assert "江苏省人才流动服务中心" in message.subject
    # Shanghai's staff see it in their review queue and approve it; then it is public.
    reviewer = Client()
    reviewer.force_login(staff("310000"))
    assert job.title in reviewer.get("/admin/jobs/pendingjob/").content.decode()
    job_approve(job=job, by=staff("310000"))
    assert JobPosting.objects.published().filter(pk=job.pk).exists()


def test_a_linked_employer_is_published_at_once(make_source):
    suzhou = EmployerFactory(name="苏州汇川精密机械有限公司", city=city("320500"))
    source = make_source()
    organisation = {"@type": "Organization", "name": suzhou.name, "identifier": suzhou.uscc}
    first = posting("L1", hiringOrganization=organisation)
    run = sync(source, jsonld(first))
    assert run.held == 1  # registered on the platform, not introduced by this feed: held
    source.represented_employers.add(suzhou)  # staff link it to the source
    run = sync(source, jsonld(first, posting("L2", title="电气工程师", hiringOrganization=organisation)))
    assert run.held == 0
    record = FeedRecord.objects.get(source=source, external_id="L2")
    assert record.job.status == JobStatus.PUBLISHED


@pytest.mark.parametrize(
    ("trust", "held"), [(FeedTrust.REVIEW, 2), (FeedTrust.TRUSTED, 0), (FeedTrust.OWN_PROVINCE, 1)]
)
def test_trust_levels(make_source, shanghai_employer, trust, held):
    source = make_source(trust=trust)
    run = sync(source, jsonld(_shanghai_posting("SH1"), posting("JS1")))
    assert run.held == held
    assert JobPosting.objects.filter(source=source.centre, status=JobStatus.PENDING).count() == held


def test_a_held_vacancy_placed_in_another_province_is_decided_by_the_employers_province(make_source, shanghai_employer):
    """The Jiangsu feed names the Shanghai employer for a job in 苏州: Jiangsu's staff (whose centre sent it) neither
    see nor approve it; Shanghai's staff do."""
    source = make_source()
    sync(source, jsonld(_shanghai_posting("SH2") | {"jobLocation": {"address": "苏州"}}))
    job = JobPosting.objects.get(employer=shanghai_employer)
    assert (job.status, job.city_id) == (JobStatus.PENDING, "320500")
    jiangsu, shanghai = Client(), Client()
    jiangsu.force_login(staff("320000"))
    shanghai.force_login(staff("310000"))
    assert job.title not in jiangsu.get("/admin/jobs/pendingjob/").content.decode()
    assert jiangsu.get(f"/admin/jobs/pendingjob/{job.pk}/change/").status_code == 404
    response = jiangsu.post(
        "/admin/jobs/pendingjob/", {"action": "approve", "_selected_action": [job.pk], "post": "yes"}
    )
    assert response.status_code in (200, 302)
    job.refresh_from_db()
    assert job.status == JobStatus.PENDING  # the action never saw it
    assert job.title in shanghai.get("/admin/jobs/pendingjob/").content.decode()


def test_an_edit_in_the_feed_does_not_publish_a_held_vacancy(make_source, shanghai_employer):
    source = make_source()
    sync(source, jsonld(_shanghai_posting("SH3")))
    sync(source, jsonld(_shanghai_posting("SH3") | {"title": "精密仪器装配技术员", "baseSalary": "9k-13k"}))
    job = JobPosting.objects.get(employer=shanghai_employer)
    assert (job.title, job.status) == ("精密仪器装配技术员", JobStatus.PENDING)
    assert not JobPosting.objects.published().filter(pk=job.pk).exists()
