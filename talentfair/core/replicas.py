"""Reads that scale out: the public catalogue read from streaming replicas, everything else from the primary.

With ``DATABASE_REPLICA_URLS`` set, the public read-only pages — the home page, search, vacancy, employer and fair
pages, the API's GETs and the outbound feed — read the catalogue's tables (vacancies, employers, places, fairs)
from a replica. Everything else reads the primary: writes, sessions and accounts, API keys, the employer centre,
admin, Celery tasks, and any page of a client that wrote something in the last ``READ_YOUR_WRITES_SECONDS`` (a
cookie set on every non-GET request), so people see their own changes at once.

A replica is used only while it keeps up: every ``REPLICA_CHECK_SECONDS`` each process asks it how far its replay
is behind (0 when it has replayed all it received, else the age of the last transaction it replayed); beyond
``REPLICA_MAX_LAG`` seconds, or when it does not answer, reads go back to the primary until it has caught up.
"""

import itertools
import logging
import threading
import time
from contextvars import ContextVar

from django.conf import settings
from django.db import DatabaseError, connections
from django.urls import Resolver404, resolve

logger = logging.getLogger(__name__)

PUBLIC_CATALOGUE_APPS = {"jobs", "employers", "regions", "fairs"}
# The public read-only views (URL names): what anyone sees the same, whose catalogue reads may lag a moment. Not the
# change stream (api:changes): it numbers events on the primary and must read what it numbered.
PUBLIC_VIEWS = {
    "home",
    "jobs:list",
    "jobs:detail",
    "employers:detail",
    "fairs:list",
    "fairs:detail",
    "feed-jobs",
    "api:job-list",
    "api:job-facets",
    "api:job-detail",
    "api:employer-list",
    "api:employer-detail",
    "api:province-list",
    "api:city-list",
    "api:industry-list",
    "api:fair-list",
    "api:fair-detail",
}
WROTE_COOKIE = "tf_primary"
LAG_SQL = (
    "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
    " ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)

_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


class _Health:
    """Per process: when each replica was last asked for its lag, and whether it was usable then."""

    def __init__(self):
        self._lock = threading.Lock()
        self._state: dict[str, tuple[float, bool]] = {}
        self._turn = itertools.count()

    def usable(self, alias: str) -> bool:
        now = time.monotonic()
        with self._lock:
            checked, ok = self._state.get(alias, (0.0, False))
            if now - checked < settings.REPLICA_CHECK_SECONDS:
                return ok
            self._state[alias] = (now, ok)  # one asker per period; the others go on with the last answer
        ok = self._ask(alias)
        with self._lock:
            self._state[alias] = (time.monotonic(), ok)
        return ok

    @staticmethod
    def _ask(alias: str) -> bool:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute(LAG_SQL)
                lag = float(cursor.fetchone()[0])
        except DatabaseError as exc:
            logger.warning("replica %s unreachable, reading from the primary: %s", alias, exc)
            connections[alias].close()
            return False
        if lag > settings.REPLICA_MAX_LAG:
            logger.warning("replica %s is %.1f s behind, reading from the primary", alias, lag)
            return False
        return True

    def pick(self) -> str | None:
        aliases = replica_aliases()
        if not aliases:
            return None
        start = next(self._turn)
        for i in range(len(aliases)):
            alias = aliases[(start + i) % len(aliases)]
            if self.usable(alias):
                return alias
        return None


health = _Health()


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _replica_reads.get() and model._meta.app_label in PUBLIC_CATALOGUE_APPS:
            return health.pick()  # None: the primary
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # replicas hold the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


def _is_public(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.view_name in PUBLIC_VIEWS


def _stream_on_replica(chunks):
    token = _replica_reads.set(True)
    try:
        yield from chunks
    finally:
        _replica_reads.reset(token)


class ReplicaReadsMiddleware:
    """Marks the requests whose catalogue reads may go to a replica, and the clients that just wrote."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            response = self.get_response(request)
            if replica_aliases():
                response.set_cookie(
                    WROTE_COOKIE,
                    "1",
                    max_age=settings.READ_YOUR_WRITES_SECONDS,
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=True,
                    samesite="Lax",
                )
            return response
        if not replica_aliases() or WROTE_COOKIE in request.COOKIES or not _is_public(request.path_info):
            return self.get_response(request)
        token = _replica_reads.set(True)
        try:
            response = self.get_response(request)
        finally:
            _replica_reads.reset(token)
        if response.streaming:  # the feed is read while the server sends it, after this returns
            response.streaming_content = _stream_on_replica(response.streaming_content)
        return response
