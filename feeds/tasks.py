"""Celery tasks: thin wrappers that load ids and call ``feeds.services``."""

from celery import shared_task
from django.conf import settings

from .fetch import RetryableFetchError
from .logos import employer_logos_fetch
from .models import RunStatus, SyncRun
from .services import feed_sync, feeds_dispatch_due


@shared_task(
    name="feeds.sync_source",
    bind=True,
    acks_late=True,
    max_retries=settings.FEEDS_MAX_RETRIES,
    soft_time_limit=settings.FEEDS_SOFT_TIME_LIMIT,
    time_limit=settings.FEEDS_TIME_LIMIT,
)
def sync_source(self, run_id: int) -> str:
    """Run one queued sync. Idempotent: a run already finished (a redelivered message) is left alone."""
    run = SyncRun.objects.select_related("source").filter(pk=run_id).first()
    if run is None or run.status not in (RunStatus.QUEUED, RunStatus.RUNNING):
        return "ignored"
    try:
        feed_sync(run=run)
    except RetryableFetchError as exc:
        if self.request.retries >= self.max_retries:
            return "failed"
        countdown = settings.FEEDS_RETRY_BACKOFF * (2**self.request.retries)
        SyncRun.objects.filter(pk=run.pk).update(
            status=RunStatus.QUEUED, error=f"{exc}（{countdown:g} 秒后第 {self.request.retries + 1} 次重试）"
        )
        raise self.retry(countdown=countdown, exc=exc) from None
    return run.status


@shared_task(name="feeds.dispatch_due", acks_late=True, max_retries=0, soft_time_limit=60, time_limit=90)
def dispatch_due() -> int:
    return len(feeds_dispatch_due())


@shared_task(name="feeds.fetch_logos", acks_late=True, max_retries=0, soft_time_limit=120, time_limit=150)
def fetch_logos(employer_ids: list[int]) -> int:
    return employer_logos_fetch(employer_ids)
