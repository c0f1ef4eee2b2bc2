"""The round trip: our outbound feed, imported by our own feeds pipeline into an emptied catalogue, rebuilds the
catalogue's vacancies field for field. Our feed is read through the site (test client); the importer fetches it
from a real HTTP server on localhost, as it would from a partner centre."""

from datetime import timedelta

import pytest
from django.utils import timezone

from employers.models import Employer, Ownership
from feeds.models import FeedRecord, RunStatus, SyncRun
from feeds.services import feed_sync
from jobs.models import EmploymentType, JobPosting
from tests.factories import EmployerFactory, JobPostingFactory, city, industry
from tests.feeds.conftest import Response, _feed_server, feed_server, make_source  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

JOB_FIELDS = (
    "title",
    "description",
    "city_id",
    "remote",
    "address",
    "industry_id",
    "category",
    "tags",
    "employment_type",
    "education",
    "experience",
    "headcount",
    "salary_min",
    "salary_max",
    "salary_months",
    "salary_negotiable",
    "fresh_graduate",
    "cohort",
    "status",
    "published_at",
    "valid_through",
)
EMPLOYER_FIELDS = ("name", "uscc", "ownership", "city_id")


def _catalogue() -> list[JobPosting]:
    now = timezone.now()
    shanghai = EmployerFactory(name="上海浦东软件园有限公司", ownership=Ownership.STATE, city=city("310115"))
    suzhou = EmployerFactory(
        name="苏州工业园区纳米科技有限公司", ownership=Ownership.FOREIGN, city=city("320500"), industry=industry("C")
    )
    hangzhou = EmployerFactory(name="杭州西湖数据有限公司", ownership=Ownership.PRIVATE, city=city("330100"))
    hefei = EmployerFactory(
        name="合肥科大讯声研究院", ownership=Ownership.OTHER, city=city("340100"), industry=industry("M")
    )
    rows = [
        {
            "employer": shanghai,
            "title": "Java开发工程师",
            "education": 3,
            "experience": 3,
            "salary_min": 15000,
            "salary_max": 25000,
            "salary_months": 13,
            "tags": "五险一金 年终奖",
            "address": "张江路88号",
            "category": "软件开发",
        },
        {
            "employer": shanghai,
            "title": "行政助理",
            "education": 0,
            "experience": 0,
            "salary_min": None,
            "salary_max": None,
            "salary_negotiable": True,
            "employment_type": EmploymentType.PART_TIME,
        },
        {
            "employer": suzhou,
            "title": "工艺工程师（2026届校招）",
            "education": 4,
            "employment_type": EmploymentType.CAMPUS,
            "fresh_graduate": True,
            "cohort": 2026,
            "salary_min": 9000,
            "salary_max": 12000,
            "industry": industry("C"),
            "city": city("320500"),
            "headcount": 10,
        },
        {
            "employer": suzhou,
            "title": "远程技术文档工程师",
            "remote": True,  # TELECOMMUTE, open to Jiangsu's applicants
            "salary_min": 8000,
            "salary_max": 11000,
            "city": city("320500"),
        },
        {
            "employer": shanghai,
            "title": "区域销售代表",
            "city": city("310000"),  # the province as a place: no district
            "salary_min": 7000,
            "salary_max": 9000,
        },
        {
            "employer": suzhou,
            "title": "质量检验员",
            "education": 1,
            "experience": 1,
            "salary_min": 6000,
            "salary_max": None,
            "industry": industry("C"),
            "city": city("320200"),
        },
        {
            "employer": hangzhou,
            "title": "数据分析实习生",
            "education": 2,
            "employment_type": EmploymentType.INTERNSHIP,
            "salary_min": None,
            "salary_max": 4000,
            "fresh_graduate": True,
            "city": city("330100"),
        },
        {
            "employer": hefei,
            "title": "博士后研究员",
            "education": 5,
            "experience": 5,
            "salary_min": 20000,
            "salary_max": 30000,
            "industry": industry("M"),
            "city": city("340100"),
            "description": "从事语音识别研究。\n\n要求：博士学位。",
        },
        {
            "employer": hefei,
            "title": "首席科学家",
            "education": 5,
            "experience": 10,
            "salary_min": 50000,
            "salary_max": 80000,
            "salary_months": 14,
            "industry": industry("M"),
            "city": city("340100"),
        },
    ]
    jobs = []
    for i, row in enumerate(rows):
        row.setdefault("city", row["employer"].city)
        row.setdefault("industry", row["employer"].industry)
        jobs.append(
            JobPostingFactory(
                **row,
                published_at=now - timedelta(days=i, hours=3, microseconds=123),
                valid_through=now + timedelta(days=30 + i),
            )
        )
    return jobs


def _snapshot(job: JobPosting) -> dict:
    job = JobPosting.objects.select_related("employer").get(pk=job.pk)
    return {
        **{name: getattr(job, name) for name in JOB_FIELDS},
        **{f"employer.{name}": getattr(job.employer, name) for name in EMPLOYER_FIELDS},
    }


def test_our_feed_imported_by_our_pipeline_rebuilds_the_catalogue(client, feed_server, make_source):  # noqa: F811
    jobs = _catalogue()
    # Our identifier is a PropertyValue named 长三角人才交流: the importer keys each record by scheme and value.
    before = {f"长三角人才交流:{job.pk}": _snapshot(job) for job in jobs}
    response = client.get("/feeds/jobs.jsonld")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)

    # A fresh catalogue: no vacancy and no employer left.
    JobPosting.objects.all().delete()
    Employer.objects.all().delete()

    feed_server.script("/ours.jsonld", Response(body=body, headers={"Content-Type": "application/ld+json"}))
    # A mirror of our own catalogue speaks for every employer in it: a trusted source (others are held, see
    # tests/feeds/test_trust.py).
    source = make_source(slug="roundtrip", centre_slug="sh-talent", url=feed_server.url("ours.jsonld"), trust="trusted")
    run = SyncRun.objects.create(source=source)
    feed_sync(run=run)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCESS, run.error
    assert (run.fetched, run.created, run.rejected) == (len(jobs), len(jobs), 0)
    assert not run.issues.exists(), list(run.issues.values_list("field", "reason"))

    records = FeedRecord.objects.filter(source=source).select_related("job")
    after = {record.external_id: _snapshot(record.job) for record in records}
    assert after.keys() == before.keys()
    differences = {
        (external_id, name): (value, after[external_id][name])
        for external_id, fields in before.items()
        for name, value in fields.items()
        if after[external_id][name] != value
    }
    assert differences == {}
