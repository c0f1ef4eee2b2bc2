"""Syncs run by a real Celery worker on Redis, as beat and staff trigger them."""

import pytest
from django.utils import timezone

from feeds.models import RunStatus, RunTrigger, SyncRun
from feeds.services import feed_sync_request
from feeds.tasks import dispatch_due
from jobs.filters import search_query
from jobs.models import JobPosting
from tests.conftest import wait_for

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
