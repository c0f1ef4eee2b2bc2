"""Saved-search alert tasks (the saved searches live in jobs; the alerts are part of the graduate's account)."""

from celery import shared_task

from jobs.models import SavedSearch
from talentfair.core.queue import enqueue


@shared_task(name="alerts.send_search_alerts", max_retries=0, soft_time_limit=120, time_limit=180)
def send_search_alerts(*, frequency: str) -> int:
    """Beat entry point: one ``alerts.send_search_alert`` per active saved search of that frequency."""
    ids = list(SavedSearch.objects.filter(frequency=frequency, is_active=True).values_list("id", flat=True))
    for search_id in ids:
        enqueue(send_search_alert, kwargs={"search_id": search_id})
    return len(ids)


@shared_task(name="alerts.send_search_alert", max_retries=3, soft_time_limit=60, time_limit=90)
def send_search_alert(*, search_id: int) -> int:
    from jobs.services import saved_search_send_alert

    search = SavedSearch.objects.filter(pk=search_id).first()
    if search is None:
        return 0
    return saved_search_send_alert(search=search)
