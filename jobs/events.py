"""The vacancy outbox (``VacancyEvent``) read in order: what partners mirror with ``/api/v1/changes/``.

Events are written by triggers in the transaction that changes a vacancy; their ``seq`` is given here, afterwards,
to the events whose transactions have committed, in one statement under a transaction-level advisory lock. A
number handed out is therefore always larger than every number handed out before, and a reader that has seen
``seq`` N never later finds an event below N — even when a long transaction (a feed sync) commits after a short
one that started later. Writers never wait for each other or for readers.

What follows the events — webhooks to partners, instant alerts — runs in ``events_dispatch``: the Celery task
``events.dispatch`` calls it when a service's change commits (``events_announce``) and Celery beat every few
seconds as well, so changes written by bulk SQL or by the employer triggers' cascades follow just as surely. Each
consumer named in ``VACANCY_EVENT_CONSUMERS`` keeps its own position (``EventCursor``, or its own rows).
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils.module_loading import import_string

from talentfair.core.queue import enqueue

from .models import EventCursor, VacancyEvent

logger = logging.getLogger(__name__)
DISPATCH_TASK = "events.dispatch"

SEQUENCE_LOCK = 7_100_001  # pg_advisory_xact_lock key: one sequencer at a time
SEQUENCE_BATCH = 50_000


def events_sequence(*, limit: int = SEQUENCE_BATCH) -> int:
    """Number the committed events that have none yet, oldest first; returns how many were numbered."""
    table = VacancyEvent._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEQUENCE_LOCK])
        cursor.execute(f"SELECT coalesce(max(seq), 0) FROM {table}")  # noqa: S608 - the model's own table
        (top,) = cursor.fetchone()
        cursor.execute(
            f"""
            WITH todo AS (
                SELECT id, row_number() OVER (ORDER BY id) AS n
                FROM (SELECT id FROM {table} WHERE seq IS NULL ORDER BY id LIMIT %s) AS waiting
            )
            UPDATE {table} AS e SET seq = %s + todo.n FROM todo WHERE e.id = todo.id
            """,  # noqa: S608 - the model's own table; values are parameters
            [limit, top],
        )
        return cursor.rowcount


def events_after(seq: int, *, limit: int) -> list[VacancyEvent]:
    """Up to ``limit`` numbered events after ``seq``, in order (numbering what has committed first)."""
    events_sequence()
    return list(VacancyEvent.objects.filter(seq__gt=seq).order_by("seq")[:limit])


def events_top() -> int:
    """The highest number handed out so far (0 before the first event)."""
    return VacancyEvent.objects.aggregate(top=Max("seq"))["top"] or 0


def events_follow(name: str, handle: Callable[[list[VacancyEvent]], None], *, limit: int = 5000) -> int:
    """Hand the numbered events after consumer ``name``'s cursor to ``handle``, in order, and move the cursor in
    the same transaction — so an event is handled once, and again only if handling it failed. A consumer seen for
    the first time starts at the current end of the stream (it follows changes from now on, not the history). One
    runner per consumer at a time: a second one finds the cursor locked and returns 0."""
    events_sequence()
    EventCursor.objects.get_or_create(name=name, defaults={"seq": events_top()})
    with transaction.atomic():
        cursor = EventCursor.objects.select_for_update(skip_locked=True).filter(name=name).first()
        if cursor is None:
            return 0
        events = list(VacancyEvent.objects.filter(seq__gt=cursor.seq).order_by("seq")[:limit])
        if events:
            handle(events)
            cursor.seq = events[-1].seq or cursor.seq  # numbered: they matched seq > cursor
            cursor.save(update_fields=["seq", "updated_at"])
        return len(events)


def events_dispatch() -> int:
    """Number what has committed, then let every consumer in ``VACANCY_EVENT_CONSUMERS`` follow; returns the top
    sequence number. A consumer that fails is logged and retried on the next dispatch; the others go on."""
    events_sequence()
    top = events_top()
    for path in settings.VACANCY_EVENT_CONSUMERS:
        try:
            import_string(path)(top=top)
        except Exception:
            logger.exception("vacancy event consumer %s failed; it resumes from its cursor on the next dispatch", path)
    return top


def events_announce() -> None:
    """Ask for a dispatch once the current transaction commits (the changes' events are then readable)."""
    transaction.on_commit(lambda: enqueue(DISPATCH_TASK))
