"""The outbound feed /feeds/jobs.jsonld: every open vacancy as schema.org JobPosting, conditional GET → 304."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from api.tasks import refresh_feed_validators
from jobs.models import JobPosting, JobStatus
from jobs.services import job_close
from tests.factories import EmployerFactory, JobPostingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_validators(settings):
    """Most tests change the catalogue between two requests; the Redis-shared validators are tested on their own."""
    settings.FEED_VALIDATORS_TTL = 0


def _feed(client, **headers):
    response = client.get("/feeds/jobs.jsonld", **headers)
    body = json.loads(b"".join(response.streaming_content)) if response.status_code == 200 else None
    return response, body


def test_feed_lists_every_open_vacancy_as_jobposting(client, settings):
    settings.SITE_URL = "https://talent.example.cn"
    open_jobs = [JobPostingFactory(tags="五险一金", education=3, experience=3, address="张江路1号") for _ in range(3)]
    JobPostingFactory(status=JobStatus.PENDING)
    JobPostingFactory(valid_through=timezone.now() - timedelta(days=1))
    JobPostingFactory(employer=EmployerFactory(verification_state="rejected"))

    response, body = _feed(client)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    assert body["@context"] == "https://schema.org"
    assert body["@type"] == "ItemList"
    items = body["itemListElement"]
    assert sorted(int(i["identifier"]["value"]) for i in items) == sorted(j.pk for j in open_jobs)
    item = items[0]
    job = JobPosting.objects.get(pk=item["identifier"]["value"])
    assert item["@type"] == "JobPosting"
    assert item["title"] == job.title
    assert item["url"] == f"https://talent.example.cn/jobs/{job.pk}/"
    assert item["hiringOrganization"]["identifier"]["value"] == job.employer.uscc
    assert item["jobLocation"]["address"]["addressLocality"] == job.city.name
    assert item["jobLocation"]["address"]["streetAddress"] == "张江路1号"
    assert item["baseSalary"]["value"] == {
        "@type": "QuantitativeValue",
        "unitText": "MONTH",
        "minValue": 8000,
        "maxValue": 12000,
    }
    assert item["educationRequirements"]["name"] == "本科"
    assert item["experienceRequirements"]["monthsOfExperience"] == 36
    for key in ("datePosted", "validThrough", "employmentType", "description"):
        assert item[key]


def test_feed_streams_more_than_one_batch(client, monkeypatch, django_assert_max_num_queries):
    from api import views

    monkeypatch.setattr(views, "FEED_BATCH", 2)
    jobs = [JobPostingFactory(employer=EmployerFactory()) for _ in range(5)]
    with django_assert_max_num_queries(1 + 3):  # validators + one query per batch of 2, nothing per vacancy
        _response, body = _feed(client)
    assert sorted(int(i["identifier"]["value"]) for i in body["itemListElement"]) == [j.pk for j in jobs]


def test_conditional_get_costs_one_query_and_answers_304(client, django_assert_max_num_queries):
    job = JobPostingFactory()
    first, _ = _feed(client)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag and last_modified

    with django_assert_max_num_queries(1):
        again = client.get("/feeds/jobs.jsonld", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert not again.content
    assert client.get("/feeds/jobs.jsonld", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304

    job_close(job=job, by=None)  # a vacancy leaves the feed
    changed, body = _feed(client, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert body["itemListElement"] == []


def test_etag_changes_when_an_open_vacancy_is_edited_or_lapses(client):
    job = JobPostingFactory()
    etag = client.get("/feeds/jobs.jsonld")["ETag"]
    JobPosting.objects.filter(pk=job.pk).update(title="新标题", updated_at=timezone.now() + timedelta(seconds=1))
    edited = client.get("/feeds/jobs.jsonld", HTTP_IF_NONE_MATCH=etag)
    assert edited.status_code == 200
    etag = edited["ETag"]
    # Its validity runs out without any write (the expiry task has not run yet).
    JobPosting.objects.filter(pk=job.pk).update(valid_through=timezone.now() - timedelta(seconds=1))
    assert client.get("/feeds/jobs.jsonld", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_head_and_refused_methods(client):
    JobPostingFactory()
    head = client.head("/feeds/jobs.jsonld")
    assert head.status_code == 200
    assert head["ETag"]
    assert client.post("/feeds/jobs.jsonld").status_code == 405


@pytest.mark.parametrize(
    "fields, text",
    [
        ({"salary_min": 15000, "salary_max": 25000, "salary_months": 13}, "15000-25000元/月·13薪"),
        ({"salary_min": 6000, "salary_max": None}, "6000元/月以上"),
        ({"salary_min": None, "salary_max": 4000}, "4000元/月以下"),
        ({"salary_min": None, "salary_max": None, "salary_negotiable": True}, "面议"),
        ({"salary_min": None, "salary_max": None, "salary_text": "时薪面谈", "salary_unparsed": True}, "时薪面谈"),
    ],
)
def test_salary_text_in_the_feed_parses_back_to_the_same_salary(client, fields, text):
    from jobs.parsing import parse_salary

    job = JobPostingFactory(**fields)
    _response, body = _feed(client)
    salary = body["itemListElement"][0]["baseSalary"]
    assert salary["description"] == text
    parsed = parse_salary(text)
    if job.salary_unparsed:
        assert not parsed.parsed
    else:
        assert (parsed.monthly_min, parsed.monthly_max, parsed.months, parsed.negotiable) == (
            job.salary_min,
            job.salary_max,
            job.salary_months,
            job.salary_negotiable,
        )


def test_fresh_graduate_vacancies_say_so(client):
    JobPostingFactory(fresh_graduate=True, cohort=2026)
    _response, body = _feed(client)
    assert body["itemListElement"][0]["qualifications"] == "2026届毕业生"


def test_validators_are_shared_through_redis_until_the_scheduled_refresh(client, settings):
    settings.FEED_VALIDATORS_TTL = 30
    job = JobPostingFactory()
    etag = client.head("/feeds/jobs.jsonld")["ETag"]
    job_close(job=job, by=None)
    assert client.get("/feeds/jobs.jsonld", HTTP_IF_NONE_MATCH=etag).status_code == 304  # within the TTL
    assert refresh_feed_validators.delay().get() != etag  # Celery beat's next refresh
    assert client.get("/feeds/jobs.jsonld", HTTP_IF_NONE_MATCH=etag).status_code == 200
