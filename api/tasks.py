"""Scheduled API upkeep (Celery beat, see ``CELERY_BEAT_SCHEDULE``)."""

from celery import shared_task

from . import selectors


@shared_task(name="api.refresh_feed_validators", max_retries=0, soft_time_limit=60, time_limit=90)
def refresh_feed_validators() -> str:
    """Recompute the outbound feed's ETag and Last-Modified into the cache (partners' conditional GETs read it)."""
    return selectors.refresh_feed_validators()[0]
