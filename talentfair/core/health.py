"""Probes for the load balancer and the orchestrator.

``/healthz`` (liveness): the process answers; touches nothing else, so a database or Redis outage never gets healthy
processes restarted. ``/readyz`` (readiness): every dependency a request may need — PostgreSQL, the migrations
applied, the cache's Redis, the broker, at least one Celery worker answering, the résumé storage — as JSON, 200
when all are fine and 503 naming what is not. Both are exempt from the https redirect (probes speak plain http).
"""

import time

from celery import current_app
from django.core.files.storage import storages
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from .cache import cache_available


def _database() -> str:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _migrations() -> str:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return "ok" if not pending else f"{len(pending)} migration(s) not applied"


def _cache() -> str:
    return "ok" if cache_available() else "unreachable"


def _broker() -> str:
    with current_app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, timeout=1)
    return "ok"


def _worker() -> str:
    replies = current_app.control.ping(timeout=1.0, limit=1)  # the first answer is enough
    return "ok" if replies else "no worker answered"


def _storage() -> str:
    storages["resumes"].exists("readyz-probe")  # reaches the storage (a directory, or the object store)
    return "ok"


CHECKS = {
    "database": _database,
    "migrations": _migrations,
    "cache": _cache,
    "broker": _broker,
    "worker": _worker,
    "storage": _storage,
}


@never_cache
def healthz(request) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def readyz(request) -> JsonResponse:
    results: dict[str, dict] = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            status = check()
        except Exception as exc:
            status = f"error: {type(exc).__name__}: {str(exc)[:200]}"
        results[name] = {"status": status, "ms": round((time.perf_counter() - started) * 1000, 1)}
    ready = all(result["status"] == "ok" for result in results.values())
    return JsonResponse({"ready": ready, "checks": results}, status=200 if ready else 503)
