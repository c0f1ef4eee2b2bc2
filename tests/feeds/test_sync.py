"""The sync service end to end (fetch from a real local server, parse, normalise, upsert, close), in-process."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from employers.models import Employer
from feeds.fetch import RetryableFetchError
from feeds.models import FeedRecord, RunStatus, RunTrigger, SyncIssue, SyncRun
from feeds.services import LOCK_NAMESPACE, feed_sync
from jobs.filters import search_query
from jobs.models import JobPosting, JobStatus
from jobs.search import job_document
from tests.factories import EmployerFactory, city

from .conftest import Response, sample
from .feedkit import USCC_NANJING, feed, jsonld, posting

pytestmark = pytest.mark.django_db


def sync(source, body: bytes | None = None, trigger=RunTrigger.SCHEDULE) -> SyncRun:
    run = SyncRun.objects.create(source=source, trigger=trigger)
    feed_sync(run=run, body=body)
    run.refresh_from_db()
    return run


def search(text: str):
    return JobPosting.objects.published().filter(search_vector=search_query(text))


def catalogue_state():
    return sorted(JobPosting.objects.values_list("id", "status", "title", "content_hash", "updated_at"))


def test_fresh_import_from_http_publishes_vacancies_with_search_documents(feed_server, make_source):
    source = make_source(url=feed_server.url("samples/jiangsu.jsonld"))
    run = sync(source)
    assert run.status == RunStatus.SUCCESS, run.error
    assert (run.fetched, run.created, run.rejected) == (48, 48, 0)
    assert run.finished_at and run.timings["fetch"] >= 0 and "write" in run.timings
    jobs = JobPosting.objects.filter(source=source.centre).with_related()
    assert jobs.count() == 48
    assert JobPosting.objects.published().count() == 48
    job = jobs.first()
    assert job.status == JobStatus.PUBLISHED and job.published_at and job.valid_through > timezone.now()
    assert job.city.province_id == "320000"
    with connection.cursor() as cursor:  # the stored vector is exactly what job_document builds for an employer posting
        for job in jobs:
            cursor.execute(
                "SELECT search_vector = %s::tsvector FROM jobs_jobposting WHERE id = %s", [job_document(job), job.pk]
            )
            assert cursor.fetchone()[0], job.pk
    employer = job.employer
    assert employer.verification_state == "pending" and employer.source_centre == source.centre
    assert search(job.title).filter(pk=job.pk).exists()
    assert search(employer.name).exists()


def test_xml_and_gbk_csv_samples_import(make_source):
    xml = make_source(slug="zj", centre_slug="zj-talent", format="xml")
    run = sync(xml, sample("zhejiang.xml"))
    assert (run.status, run.created, run.rejected) == (RunStatus.SUCCESS, 40, 0)
    csv_source = make_source(slug="ah", centre_slug="ah-talent", format="csv", encoding="gbk")
    run = sync(csv_source, sample("anhui-gbk.csv"))
    assert (run.status, run.created, run.rejected) == (RunStatus.SUCCESS, 36, 0)
    job = JobPosting.objects.filter(source__slug="ah-talent").first()
    assert job.city.province_id == "340000" and job.description


def test_resync_skips_unchanged_updates_changed_and_closes_removed(make_source):
    source = make_source()
    sync(source, feed(10))
    before = {j.external_id: j for j in JobPosting.objects.all()}
    run = sync(source, feed(10))
    assert (run.unchanged, run.created, run.updated, run.closed) == (10, 0, 0, 0)
    assert {j.external_id: j.updated_at for j in JobPosting.objects.all()} == {
        k: j.updated_at for k, j in before.items()
    }

    items = [posting(f"A{n}", title=f"机械设计工程师{n}号岗") for n in range(1, 10)]  # A10 removed
    items[0]["title"] = "资深机械设计工程师"
    run = sync(source, jsonld(*items))
    assert (run.unchanged, run.updated, run.closed, run.created) == (8, 1, 1, 0)
    changed = JobPosting.objects.get(feed_records__external_id="A1")
    assert changed.title == "资深机械设计工程师" and changed.pk == before[f"{source.pk}/A1"].pk
    assert search("资深").filter(pk=changed.pk).exists()
    removed = JobPosting.objects.get(feed_records__external_id="A10")
    assert removed.status == JobStatus.CLOSED and removed.closed_at
    assert not FeedRecord.objects.get(external_id="A10").active

    run = sync(source, feed(10))  # it comes back: the same catalogue entry reopens
    assert run.updated == 2 and run.created == 0
    assert JobPosting.objects.get(pk=removed.pk).status == JobStatus.PUBLISHED


def test_closing_more_than_the_share_is_held_and_staff_can_apply_it(make_source):
    source = make_source()
    sync(source, feed(10))
    state = catalogue_state()
    run = sync(source, feed(6))  # would close 4 of 10 > 30%
    assert run.status == RunStatus.HELD and run.would_close == 4
    assert "40" not in run.error and "4" in run.error
    assert catalogue_state() == state

    apply = SyncRun.objects.create(source=source, trigger=RunTrigger.APPLY, applies=run)
    feed_sync(run=apply, body=feed(6))
    apply.refresh_from_db()
    assert apply.status == RunStatus.SUCCESS and apply.closed == 4
    assert SyncRun.objects.get(pk=run.pk).status == RunStatus.APPLIED
    assert JobPosting.objects.filter(status=JobStatus.CLOSED).count() == 4


def test_empty_feed_is_held(make_source):
    source = make_source()
    sync(source, feed(3))
    state = catalogue_state()
    run = sync(source, jsonld())
    assert run.status == RunStatus.HELD and "为空" in run.error
    assert catalogue_state() == state


@pytest.mark.parametrize(
    "body, message",
    [(b"[{not json", "JSON 格式错误"), ('[{"title": "会计"}]'.encode("gbk"), "UTF-8")],
    ids=["malformed", "gbk-as-utf8"],
)
def test_unreadable_feed_fails_and_changes_nothing(make_source, body, message):
    source = make_source(encoding="utf-8")
    sync(source, feed(3))
    state = catalogue_state()
    run = sync(source, body)
    assert run.status == RunStatus.FAILED and message in run.error
    assert catalogue_state() == state


@pytest.mark.parametrize(
    "response, message",
    [
        (Response(status=404), "HTTP 404"),
        (Response(status=302, headers={"Location": "gopher://x/"}), "http/https"),
        (Response(body=b"[" + b" " * 5000 + b"]"), "大小上限"),
    ],
    ids=["404", "bad-redirect", "too-large"],
)
def test_failed_fetch_changes_nothing(feed_server, make_source, settings, response, message):
    settings.FEEDS_MAX_BYTES = 1000
    source = make_source(url=feed_server.script("f.json", response))
    sync(source, feed(3))
    state = catalogue_state()
    run = sync(source)
    assert run.status == RunStatus.FAILED and message in run.error
    assert catalogue_state() == state


@pytest.mark.parametrize(
    "response, message",
    [(Response(body=b"[]", delay=1.5), "超时"), (Response(status=503), "HTTP 503")],
    ids=["never-answers", "5xx"],
)
def test_retryable_fetch_failure_is_recorded_raised_for_retry_and_changes_nothing(
    feed_server, make_source, settings, response, message
):
    settings.FEEDS_READ_TIMEOUT = 0.3
    source = make_source(url=feed_server.script("f.json", response))
    sync(source, feed(3))
    state = catalogue_state()
    run = SyncRun.objects.create(source=source)
    with pytest.raises(RetryableFetchError):
        feed_sync(run=run)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and message in run.error
    assert catalogue_state() == state


def test_not_modified_costs_one_request_and_changes_nothing(feed_server, make_source):
    source = make_source(url=feed_server.script("f.json", Response(body=feed(3), headers={"ETag": '"v7"'})))
    assert sync(source).created == 3
    state = catalogue_state()
    run = sync(source)
    assert run.status == RunStatus.NOT_MODIFIED and run.http_status == 304
    assert feed_server.hits("f.json")[-1]["If-None-Match"] == '"v7"'
    assert catalogue_state() == state


def test_bad_records_are_rejected_with_reasons_and_the_rest_imported(make_source):
    items = [
        posting("OK1"),
        posting("NOTITLE", title=""),
        posting("NOWHERE", jobLocation={"address": {"addressLocality": "火星市"}}),
        posting("PAST", validThrough="2020-01-01"),
        posting("OK1", title="重复编号"),
        posting("BADUSCC", hiringOrganization={"name": "某公司", "identifier": "91310000132149237A"}),
        posting("SALARY", baseSalary="看能力"),
        posting("SCRIPT", description='<p onclick="x()">职责</p><script>alert(1)</script>'),
    ]
    run = sync(make_source(), jsonld(*items))
    assert run.status == RunStatus.SUCCESS
    assert run.created == 3  # OK1, SALARY, SCRIPT
    assert run.rejected == 5
    issues = {(i.record_id, i.severity, i.field): i.reason for i in SyncIssue.objects.filter(run=run)}
    assert "缺少职位名称" in issues[("NOTITLE", "rejected", "title")]
    assert "火星" in issues[("NOWHERE", "rejected", "places")]
    assert "已过" in issues[("PAST", "rejected", "valid_through")]
    assert "重复" in issues[("OK1", "rejected", "id")]
    assert "校验位" in issues[("BADUSCC", "rejected", "uscc")]
    assert ("SALARY", "warning", "salary") in issues
    assert ("SCRIPT", "warning", "description") in issues
    salary_job = JobPosting.objects.get(feed_records__external_id="SALARY")
    assert salary_job.salary_unparsed and salary_job.salary_text == "看能力" and salary_job.salary_min is None
    script_job = JobPosting.objects.get(feed_records__external_id="SCRIPT")
    assert "<script" not in script_job.description and "onclick" not in script_job.description
    assert "职责" in script_job.description
    first = JobPosting.objects.get(feed_records__external_id="OK1")
    assert first.title == "嵌入式软件工程师"  # the first occurrence wins


def test_fields_are_normalised(make_source):
    item = posting(
        "N1",
        title="2026届校招 电气工程师",
        baseSalary="15-25K·14薪",
        educationRequirements="硕士研究生及以上",
        employmentType=["校园招聘"],
        totalJobOpenings="5人",
        jobLocation={"address": {"addressRegion": "江苏", "addressLocality": "Suzhou", "streetAddress": "星湖街328号"}},
    )
    sync(make_source(), jsonld(item))
    job = JobPosting.objects.get()
    assert (job.salary_min, job.salary_max, job.salary_months) == (15000, 25000, 14)
    assert job.education == 4 and job.employment_type == "campus" and job.fresh_graduate and job.cohort == 2026
    assert job.headcount == 5 and job.city_id == "320500" and job.address == "星湖街328号"


def test_several_locations_become_one_entry_per_city(make_source):
    item = posting("M1", jobLocation=[{"address": "苏州"}, {"address": "南京市"}, {"address": "江苏苏州"}])
    run = sync(make_source(), jsonld(item))
    assert run.created == 2
    assert sorted(JobPosting.objects.values_list("city_id", flat=True)) == ["320100", "320500"]


def test_employer_matched_by_uscc_then_by_name_and_city(make_source):
    known = EmployerFactory(name="南京智源软件技术有限公司", city=city("320100"), uscc=USCC_NANJING)
    items = [
        posting("U1", hiringOrganization={"name": "别名也行", "identifier": USCC_NANJING}),
        posting("N1", hiringOrganization={"name": "南京智源软件技术有限公司"}, jobLocation={"address": "南京"}),
        posting("X1", hiringOrganization={"name": "无代码新公司"}),
    ]
    run = sync(make_source(), jsonld(*items))
    assert JobPosting.objects.get(feed_records__external_id="U1").employer == known
    assert JobPosting.objects.get(feed_records__external_id="N1").employer == known
    # Unknown and without a code: created unmatched, its vacancy held for the match queue (test_match_queue.py).
    assert (run.rejected, run.unmatched) == (0, 1)
    assert "统一社会信用代码" in SyncIssue.objects.get(record_id="X1").reason
    assert JobPosting.objects.get(feed_records__external_id="X1").employer.verification_state == "unmatched"
    assert Employer.objects.count() == 2  # the known one, and the unmatched one


def test_same_vacancy_from_two_centres_is_one_entry_with_two_provenances(make_source):
    js = make_source(slug="js")
    sh = make_source(slug="sh", centre_slug="sh-talent")
    sync(js, jsonld(posting("JS-1", title="嵌入式软件工程师")))
    run = sync(sh, jsonld(posting("SH-77", title="嵌入式 软件工程师")))  # same employer, title and city
    assert (run.created, run.merged) == (0, 1)
    job = JobPosting.objects.get()
    assert sorted(job.feed_records.values_list("source__slug", "external_id")) == [("js", "JS-1"), ("sh", "SH-77")]
    assert search("嵌入式").count() == 1
    # One centre drops it: still open, the other still lists it. Both drop it: closed.
    sync(js, jsonld(), trigger=RunTrigger.APPLY)
    assert JobPosting.objects.get().status == JobStatus.PUBLISHED
    sync(sh, jsonld(), trigger=RunTrigger.APPLY)
    assert JobPosting.objects.get().status == JobStatus.CLOSED


def test_a_second_sync_of_the_same_source_is_skipped_while_one_holds_the_lock(make_source, django_db_blocker):
    import psycopg2
    from django.conf import settings

    source = make_source()
    db = settings.DATABASES["default"]
    other = psycopg2.connect(dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"] or 5432)
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_NAMESPACE, source.pk])
        run = sync(source, feed(3))
        assert run.status == RunStatus.SKIPPED and "另一次同步" in run.error
        assert not JobPosting.objects.exists()
    finally:
        other.close()  # a dead holder's lock dies with its connection
    _wait_for_advisory_locks_to_go(source.pk)
    assert sync(source, feed(3)).created == 3


def _wait_for_advisory_locks_to_go(source_id: int) -> None:
    """The server ends a closed connection's backend (and frees its locks) a moment after the client closes it;
    a busy machine makes that moment long enough for the next sync to find the lock still taken."""
    import time

    from django.db import connection

    for _attempt in range(200):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s AND objid = %s",
                [LOCK_NAMESPACE, source_id],
            )
            if not cursor.fetchone()[0]:
                return
        time.sleep(0.05)
    raise AssertionError("the closed connection's advisory lock was never released")


def test_staff_moderation_rejection_survives_feed_updates(make_source):
    source = make_source()
    sync(source, feed(1))
    JobPosting.objects.update(status=JobStatus.REJECTED)
    sync(source, feed(1, educationRequirements="硕士"))
    assert JobPosting.objects.get().status == JobStatus.REJECTED


def test_default_validity_is_sixty_days(make_source):
    item = posting("V1")
    del item["validThrough"]
    sync(make_source(), jsonld(item))
    job = JobPosting.objects.get()
    assert abs(job.valid_through - (timezone.now() + timedelta(days=60))) < timedelta(minutes=5)
