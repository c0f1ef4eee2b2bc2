"""The outbox (issue 14, item 2): every writer of a vacancy leaves one event of the right kind in its own
transaction, and a mirror built only from /api/v1/changes/ equals the public catalogue after services, expiry, an
employer's suspension, feed syncs and partner pushes."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from api.services import api_key_issue
from employers.services import employer_suspend, employer_verify
from feeds.models import FeedSource, SyncRun
from feeds.services import feed_sync
from jobs.events import events_after, events_sequence
from jobs.models import JobPosting, JobStatus, VacancyEvent
from jobs.services import (
    job_approve,
    job_close,
    job_index,
    job_renew,
    job_unpublish,
    job_update,
    jobs_expire,
)
from tests.factories import EmployerFactory, JobPostingFactory, centre
from tests.feeds.feedkit import feed, jsonld, posting

# Each step in its own committed transaction, as requests and tasks are: an event's time is its transaction's.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def _kinds(job) -> list[str]:
    return list(VacancyEvent.objects.filter(job_id=job.pk).order_by("id").values_list("kind", flat=True))


def test_every_service_step_writes_its_event():
    employer = EmployerFactory()
    job = JobPostingFactory(employer=employer, status=JobStatus.PENDING, published_at=None)
    assert _kinds(job) == []  # in review: nothing public happened

    job_approve(job=job, by=None)
    job_update(job=job, by=None, headcount=5)  # a correction: still public, changed
    job_index(job=job)  # a search-vector rewrite is not a change of what the public sees
    job_close(job=job, by=None)
    job_renew(job=job, by=None)
    job_unpublish(job=job, by=None, reason="举报查实")

    assert _kinds(job) == ["created", "changed", "closed", "shown", "hidden"]


def test_a_substantive_edit_hides_until_approved_again():
    job = JobPostingFactory()
    start = len(_kinds(job))

    job_update(job=job, by=None, title="高级机械设计工程师")  # back to review
    job_approve(job=job, by=None)

    assert _kinds(job)[start:] == ["hidden", "shown"]


def test_expiry_and_the_employer_s_suspension_and_reinstatement():
    employer = EmployerFactory()
    lapsing = JobPostingFactory(employer=employer, valid_through=timezone.now() + timedelta(days=1))
    other = JobPostingFactory(employer=employer)
    JobPosting.objects.filter(pk=lapsing.pk).update(valid_through=timezone.now() - timedelta(minutes=1))

    jobs_expire()
    employer_suspend(employer=employer, by=None, reason="营业执照已注销")
    employer_verify(employer=employer, by=None)

    assert _kinds(lapsing) == ["created", "expired"]
    assert _kinds(other) == ["created", "hidden", "shown"]


def test_numbers_are_given_in_order_once_committed():
    first, second = JobPostingFactory(), JobPostingFactory()
    assert VacancyEvent.objects.filter(seq__isnull=True).count() == 2

    assert events_sequence() == 2
    assert events_sequence() == 0  # nothing new
    job_close(job=first, by=None)
    events = events_after(0, limit=10)

    assert [(e.job_id, e.kind) for e in events] == [(first.pk, "created"), (second.pk, "created"), (first.pk, "closed")]
    assert [e.seq for e in events] == [1, 2, 3]
    assert events_after(2, limit=10)[0].kind == "closed"


def _mirror(client) -> dict[int, str]:
    """What a partner builds from the change stream alone: upsert open vacancies, delete the rest."""
    mirror: dict[int, str] = {}
    after = 0
    while True:
        page = client.get("/api/v1/changes/", {"after": after, "limit": 3}).json()
        for change in page["results"]:
            vacancy = change["vacancy"]
            if vacancy["status"] == "open":
                mirror[vacancy["id"]] = vacancy["title"]
            else:
                mirror.pop(vacancy["id"], None)
        after = page["last_seq"]
        if page["next"] is None:
            return mirror


def test_a_mirror_built_from_the_change_stream_equals_the_catalogue(client):
    employer, other = EmployerFactory(), EmployerFactory()
    jobs = [JobPostingFactory(employer=employer, title=f"数控编程员{i}") for i in range(4)]
    JobPostingFactory(employer=other, title="质量工程师")
    pending = JobPostingFactory(employer=other, status=JobStatus.PENDING, published_at=None, title="采购专员")

    job_update(job=jobs[0], by=None, headcount=9)
    job_close(job=jobs[1], by=None)
    job_update(job=jobs[2], by=None, title="数控编程组长")  # back in review
    employer_suspend(employer=other, by=None, reason="资质过期")
    job_approve(job=pending, by=None)  # approved while its employer is suspended: not public
    employer_verify(employer=other, by=None)
    JobPosting.objects.filter(pk=jobs[3].pk).update(valid_through=timezone.now() - timedelta(seconds=1))
    jobs_expire()
    # A partner's feed: synced (three new), synced again (one changed, one gone), and a record pushed and withdrawn.
    source = FeedSource.objects.create(
        slug="js-feed",
        name="江苏职位源",
        centre=centre("js-talent"),
        url="http://127.0.0.1:9/none",
        trust="trusted",
        max_close_share=1,  # the second sync closes one of three: not held for staff here
    )
    feed_sync(run=SyncRun.objects.create(source=source), body=feed(3, prefix="F"))
    second = [posting("F1", title="机械设计工程师1号岗"), posting("F2", title="机械设计主管")]
    feed_sync(run=SyncRun.objects.create(source=source), body=jsonld(*second))
    key = api_key_issue(centre=source.centre, name="推送", feed_source=source, by=None)[1]
    for external_id, title in (("P1", "电气工程师"), ("P2", "注塑工艺员")):
        pushed = client.put(
            f"/api/v1/partner/jobs/{external_id}",
            json.dumps(posting(external_id, title=title)),
            content_type="application/json",
            HTTP_X_API_KEY=key,
        )
        assert pushed.status_code == 201, pushed.json()
    assert client.delete("/api/v1/partner/jobs/P2", HTTP_X_API_KEY=key).status_code == 200

    expected = dict(JobPosting.objects.published().values_list("id", "title"))
    assert _mirror(client) == expected
    assert sorted(expected.values()) == sorted(
        ["数控编程员0", "质量工程师", "采购专员", "机械设计工程师1号岗", "机械设计主管", "电气工程师"]
    )


@pytest.mark.parametrize(("after", "limit"), [("x", None), ("-1", None), (None, "0"), (None, "1001"), ("", None)])
def test_bad_parameters_are_a_clear_400(client, after, limit):
    params = {k: v for k, v in (("after", after), ("limit", limit)) if v is not None}

    response = client.get("/api/v1/changes/", params)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
