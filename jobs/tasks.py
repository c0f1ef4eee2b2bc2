"""Scheduled vacancy upkeep (Celery beat, see ``CELERY_BEAT_SCHEDULE``). Thin: each task calls one service."""

from celery import shared_task

from . import services


@shared_task(name="jobs.expire_vacancies", max_retries=0, soft_time_limit=240, time_limit=300)
def expire_vacancies() -> int:
    return len(services.jobs_expire())


@shared_task(name="jobs.remind_expiring", max_retries=0, soft_time_limit=240, time_limit=300)
def remind_expiring() -> int:
    return len(services.jobs_remind_expiring())
