"""Scheduled API upkeep (Celery beat, see ``CELERY_BEAT_SCHEDULE``)."""

from celery import shared_task

from . import selectors, webhooks


@shared_task(name="api.refresh_feed_validators", max_retries=0, soft_time_limit=60, time_limit=90)
def refresh_feed_validators() -> str:
    """Recompute the outbound feed's ETag and Last-Modified into the cache (partners' conditional GETs read it)."""
    return selectors.refresh_feed_validators()[0]


@shared_task(name="api.webhook_deliver", max_retries=0, soft_time_limit=240, time_limit=300)
def webhook_deliver(*, endpoint_id: int) -> int:
    """Deliver an endpoint's pending vacancy events in order (retries are queued by the service with backoff)."""
    return webhooks.webhook_deliver(endpoint_id=endpoint_id)
