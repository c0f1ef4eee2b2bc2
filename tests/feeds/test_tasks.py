"""Syncs run by a real Celery worker on Redis, as beat and staff trigger them."""

import os
import signal
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from feeds.models import FeedSource, RunStatus, RunTrigger, SyncRun
from feeds.services import feed_sync_request, feeds_dispatch_due, runs_abandoned
from feeds.tasks import dispatch_due, sync_source
from jobs.filters import search_query
from jobs.models import JobPosting
from tests.conftest import start_celery_worker, wait_for, worker_env

from .conftest import Response
from .feedkit import feed

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def finished(run_id):
    return SyncRun.objects.finished().filter(pk=run_id).first()


def settled(run_id):
    """Finished for good: not a failure the task is about to retry."""
    run = finished(run_id)
    return run if run and (run.status != RunStatus.FAILED or run.attempts >= 3) else None


def test_scheduled_sync_runs_on_the_worker_and_vacancies_appear_in_search(
    celery_worker_process, feed_server, make_source
):
    source = make_source(url=feed_server.url("samples/jiangsu.jsonld"), interval_minutes=5, next_sync_at=timezone.now())
    dispatch_due.apply_async(queue=celery_worker_process["queue"])  # what beat sends every minute
    run = wait_for(lambda: SyncRun.objects.finished().filter(source=source).first(), timeout=120)
    assert run is not None, f"the worker did not finish a sync: {list(SyncRun.objects.values('status', 'error'))}"
    assert run.status == RunStatus.SUCCESS, run.error
    assert run.trigger == RunTrigger.SCHEDULE and run.created == 48
    source.refresh_from_db()
    assert source.next_sync_at > timezone.now() and source.etag == '"v1"'
    hits = JobPosting.objects.published().filter(search_vector=search_query("工程师"))
    assert hits.filter(source=source.centre).exists()

    # Due again: the partner's ETag has not changed, so it costs one request and changes nothing.
    source.__class__.objects.filter(pk=source.pk).update(next_sync_at=timezone.now())
    dispatch_due.apply_async(queue=celery_worker_process["queue"])
    again = wait_for(lambda: SyncRun.objects.finished().filter(source=source).exclude(pk=run.pk).first(), timeout=120)
    assert again is not None, f"no second run: {list(SyncRun.objects.values('status', 'error'))}"
    assert again.status == RunStatus.NOT_MODIFIED, (again.status, again.error)


def test_server_error_is_retried_with_backoff_then_succeeds(celery_worker_process, feed_server, make_source):
    url = feed_server.script("flaky.json", Response(status=500), Response(status=502), Response(body=feed(4)))
    source = make_source(url=url)
    run = feed_sync_request(source=source, trigger=RunTrigger.MANUAL)
    done = wait_for(lambda: settled(run.pk), timeout=120)
    assert done is not None
    assert done.status == RunStatus.SUCCESS, done.error
    assert done.attempts == 3 and done.created == 4
    assert len(feed_server.hits("flaky.json")) == 3


def test_a_sync_whose_worker_is_killed_is_failed_and_the_source_synced_again(
    celery_worker_process, feed_server, make_source, tmp_path
):
    """kill -9 a real worker mid-sync: the run it left "running" is failed with a reason by the next dispatch (the
    source's lock died with the worker's connection), and the source is queued again at once — not an hour later."""
    slow = feed_server.script("slow.json", Response(body=feed(3), trickle=0.05))  # about 40 s to download
    source = make_source(url=slow, interval_minutes=5, next_sync_at=timezone.now() + timedelta(hours=1))
    queue = f"doomed-{os.getpid()}"
    doomed = start_celery_worker(env=worker_env(mail_dir=tmp_path), queues=[queue], name=queue)
    try:
        run = SyncRun.objects.create(source=source, trigger=RunTrigger.MANUAL)
        sync_source.apply_async(args=[run.pk], queue=queue)
        assert wait_for(lambda: SyncRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).exists(), timeout=30)
        wait_for(lambda: feed_server.hits("slow.json"), timeout=10)  # mid-download
    finally:
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=10)
    killed_at = time.monotonic()
    FeedSource.objects.filter(pk=source.pk).update(next_sync_at=timezone.now())  # due: the dispatcher looks now
    abandoned = wait_for(lambda: runs_abandoned(), timeout=30)  # PostgreSQL notices the dead connection at once
    assert abandoned == [run.pk]
    assert time.monotonic() - killed_at < 30
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "意外停止" in run.error
    feed_server.script("slow.json", Response(body=feed(3)))  # the partner is quick again
    queued = feeds_dispatch_due()
    assert [r.source_id for r in queued] == [source.pk]
    again = wait_for(lambda: SyncRun.objects.finished().filter(pk=queued[0].pk).first(), timeout=60)
    assert again is not None and again.status == RunStatus.SUCCESS, again and again.error
