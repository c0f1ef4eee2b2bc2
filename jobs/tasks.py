"""Scheduled vacancy upkeep (Celery beat, see ``CELERY_BEAT_SCHEDULE``). Thin: each task calls one function."""

from celery import shared_task

from talentfair.core.queue import enqueue

from . import events, selectors, services
from .models import SavedSearch


@shared_task(name="jobs.expire_vacancies", max_retries=0, soft_time_limit=240, time_limit=300)
def expire_vacancies() -> int:
    return len(services.jobs_expire())


@shared_task(name="jobs.remind_expiring", max_retries=0, soft_time_limit=240, time_limit=300)
def remind_expiring() -> int:
    return len(services.jobs_remind_expiring())


@shared_task(name="jobs.refresh_catalogue_figures", max_retries=0, soft_time_limit=120, time_limit=150)
def refresh_catalogue_figures() -> int:
    """Recount the home page's figures (open vacancies, positions, by province) into the cache."""
    return selectors.refresh_catalogue_figures()["vacancies"]


@shared_task(name="events.dispatch", max_retries=0, soft_time_limit=50, time_limit=60)
def dispatch_events() -> int:
    """Number the committed vacancy events and hand them to their consumers (webhooks, instant alerts)."""
    return events.events_dispatch()


@shared_task(name="alerts.send_search_alerts", max_retries=0, soft_time_limit=120, time_limit=180)
def send_search_alerts(*, frequency: str) -> int:
    """Beat entry point: one ``alerts.send_search_alert`` per active saved search of that frequency."""
    ids = list(SavedSearch.objects.filter(frequency=frequency, is_active=True).values_list("id", flat=True))
    for search_id in ids:
        enqueue(send_search_alert, kwargs={"search_id": search_id})
    return len(ids)


@shared_task(name="alerts.send_search_alert", max_retries=3, soft_time_limit=60, time_limit=90)
def send_search_alert(*, search_id: int) -> int:
    search = SavedSearch.objects.filter(pk=search_id).first()
    if search is None:
        return 0
    return services.saved_search_send_alert(search=search)
