"""Handing work to Celery without depending on the broker being up at that moment.

``enqueue`` sends a task; when the broker (Redis) cannot be reached it keeps the task in PostgreSQL (``HeldTask``)
and logs it, and the request that caused it goes on. ``held_tasks_send`` sends what was kept, oldest first: Celery
beat runs it every minute (``core.send_held_tasks``), and each worker runs it once it is ready, so held mail and
syncs go out as soon as the broker answers again. Every place that queues work calls ``enqueue``.
"""

import logging

from celery import current_app
from django.db import transaction
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .models import HeldTask
from .tracing import current_trace_id

logger = logging.getLogger(__name__)

BROKER_UNREACHABLE = (KombuOperationalError, RedisConnectionError, RedisTimeoutError, OSError)


def _send(name: str, args: list, kwargs: dict, queue: str, trace_id: str = "", countdown: float = 0) -> None:
    options: dict = {"queue": queue} if queue else {}
    if countdown:
        options["countdown"] = countdown
    if trace_id:  # a held task goes out under the id of the request that queued it, not the sender's
        options["headers"] = {"trace_id": trace_id}
    # retry=False: one attempt, so a request never waits through Celery's publish retries for a broker that is down
    if name not in current_app.tasks:  # a task named by a module that has not imported it yet: load every tasks.py
        current_app.loader.import_default_modules()
    current_app.tasks[name].apply_async(args=args, kwargs=kwargs, retry=False, **options)


def enqueue(task, *, args=(), kwargs=None, queue: str = "", countdown: float = 0) -> bool:
    """Send ``task`` (a task or its registered name), to run no sooner than ``countdown`` seconds from now; keep it
    for later when the broker is unreachable (a kept task runs when it is sent). True when it was sent now."""
    args, kwargs = list(args), dict(kwargs or {})
    name = task if isinstance(task, str) else task.name
    try:
        _send(name, args, kwargs, queue, countdown=countdown)
        return True
    except BROKER_UNREACHABLE as exc:
        HeldTask.objects.create(
            name=name,
            args=args,
            kwargs=kwargs,
            queue=queue,
            error=str(exc)[:500],
            trace_id=current_trace_id(),
        )
        logger.warning("broker unreachable; %s kept to be sent later: %s", name, exc)
        return False


def held_tasks_send(*, limit: int = 1000) -> int:
    """Send the kept tasks, oldest first, until the broker fails again; returns how many went out."""
    sent = 0
    with transaction.atomic():
        for held in HeldTask.objects.select_for_update(skip_locked=True).order_by("id")[:limit]:
            try:
                _send(held.name, held.args, held.kwargs, held.queue, held.trace_id)
            except BROKER_UNREACHABLE as exc:
                HeldTask.objects.filter(pk=held.pk).update(attempts=held.attempts + 1, error=str(exc)[:500])
                break
            held.delete()
            sent += 1
    if sent:
        logger.info("sent %d task(s) kept while the broker was unreachable", sent)
    return sent
