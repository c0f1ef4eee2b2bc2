"""The feed importer's bulk writes leave their events and audit rows like every other writer (issue 14)."""

import pytest

from feeds.models import FeedRecord, SyncRun
from feeds.services import feed_sync
from jobs.models import JobReview, VacancyEvent

from .feedkit import feed, jsonld, posting

# Each step in its own committed transaction, as requests and tasks are: an event's time is its transaction's.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def _kinds() -> list[str]:
    return list(VacancyEvent.objects.order_by("id").values_list("kind", flat=True))


def test_created_changed_and_closed_by_a_sync(make_source):
    source = make_source(trust="trusted")
    feed_sync(run=SyncRun.objects.create(source=source), body=feed(10))
    assert _kinds() == ["created"] * 10

    changed = [posting(f"A{n}", title=f"机械设计工程师{n}号岗") for n in range(1, 10)]
    changed[0]["description"] = "<p>负责工业机器人产品的机械结构设计，五险一金。</p>"
    run = SyncRun.objects.create(source=source)
    feed_sync(run=run, body=jsonld(*changed))  # A1 changed, A2–A9 the same, A10 gone

    run.refresh_from_db()
    assert run.status == "success", run.error
    assert sorted(_kinds()[10:]) == ["changed", "closed"]


def test_closes_and_reopens_by_a_sync_leave_audit_rows(make_source):
    source = make_source(trust="trusted", max_close_share=1)
    feed_sync(run=SyncRun.objects.create(source=source), body=feed(3))
    gone = FeedRecord.objects.get(source=source, external_id="A3").job

    feed_sync(run=SyncRun.objects.create(source=source), body=feed(2))  # A3 left the feed
    feed_sync(run=SyncRun.objects.create(source=source), body=feed(3))  # and came back

    trail = list(JobReview.objects.filter(job=gone).order_by("id").values_list("decision", "reason"))
    assert [decision for decision, _reason in trail] == ["closed", "renewed"]
    assert all("js-feed 职位源" in reason for _decision, reason in trail)
    assert list(VacancyEvent.objects.filter(job_id=gone.pk).order_by("id").values_list("kind", flat=True)) == [
        "created",
        "closed",
        "shown",
    ]
    assert JobReview.objects.exclude(job=gone).count() == 0, "unchanged vacancies get no audit rows"
