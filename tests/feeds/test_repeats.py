"""The same posting repeated in one feed under different ids (same employer, title, city and description) is one
vacancy with each id as its provenance, and a warning on the run; it closes only when every id is gone."""

import pytest

from feeds.models import FeedRecord, RunStatus
from jobs.models import JobPosting, JobStatus

from .feedkit import jsonld, posting
from .test_sync import sync

pytestmark = pytest.mark.django_db


def test_a_repeated_posting_is_one_vacancy_with_each_id(make_source):
    source = make_source()
    run = sync(source, jsonld(posting("R1"), posting("R2"), posting("R3", title="测试工程师")))
    assert (run.created, run.merged, run.rejected) == (2, 1, 0)
    assert run.warnings == 1
    warning = run.issues.get(field="id")
    assert warning.record_id == "R2"
    assert "R1" in warning.reason
    jobs = JobPosting.objects.filter(source=source.centre)
    assert jobs.count() == 2
    records = dict(FeedRecord.objects.filter(source=source).values_list("external_id", "job_id"))
    assert records["R1"] == records["R2"] != records["R3"]


def test_a_different_description_is_a_different_vacancy(make_source):
    source = make_source()
    run = sync(source, jsonld(posting("D1"), posting("D2", description="<p>负责上位机软件开发。</p>")))
    assert (run.created, run.merged) == (2, 0)


def test_the_vacancy_stays_open_while_one_of_its_ids_is_listed(make_source):
    source = make_source()
    source.max_close_share = 1  # this small feed closes most of itself on purpose
    source.save(update_fields=["max_close_share"])
    sync(source, jsonld(posting("R1"), posting("R2"), posting("X", title="测试工程师")))
    job = JobPosting.objects.get(fair=None, source=source.centre, title="嵌入式软件工程师")
    run = sync(source, jsonld(posting("R2"), posting("X", title="测试工程师")))  # the first id gone, its repeat kept
    assert run.status == RunStatus.SUCCESS, run.error
    job.refresh_from_db()
    assert job.status == JobStatus.PUBLISHED
    sync(source, jsonld(posting("X", title="测试工程师"), posting("Y", title="另一个职位")))  # both ids gone
    job.refresh_from_db()
    assert job.status == JobStatus.CLOSED
