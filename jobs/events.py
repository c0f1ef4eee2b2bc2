"""The vacancy outbox (``VacancyEvent``) read in order: what partners mirror with ``/api/v1/changes/``.

Events are written by triggers in the transaction that changes a vacancy; their ``seq`` is given here, afterwards,
to the events whose transactions have committed, in one statement under a transaction-level advisory lock. A
number handed out is therefore always larger than every number handed out before, and a reader that has seen
``seq`` N never later finds an event below N — even when a long transaction (a feed sync) commits after a short
one that started later. Writers never wait for each other or for readers.
"""

from django.db import connection, transaction

from .models import VacancyEvent

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
