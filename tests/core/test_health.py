"""Liveness and readiness probes: /healthz answers whatever else is down; /readyz checks each dependency for real
and names the one that is not ready."""

import pytest

from tests.core.test_redis_outage import RedisServer

pytestmark = pytest.mark.django_db(transaction=True)


def test_liveness_needs_nothing_but_the_process(client):
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_ready_when_everything_answers(client, celery_worker_process):
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["ready"] is True
    assert set(body["checks"]) == {"database", "migrations", "cache", "broker", "worker", "storage"}
    assert all(check["status"] == "ok" for check in body["checks"].values())


def test_not_ready_names_what_is_down(client, settings, celery_worker_process):
    redis = RedisServer()  # a port where nothing listens yet: the cache is "down"
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": f"redis://127.0.0.1:{redis.port}/0"}}
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 503
    assert body["ready"] is False
    assert body["checks"]["cache"]["status"] == "unreachable"
    assert body["checks"]["database"]["status"] == "ok"
    assert client.get("/healthz").status_code == 200  # still alive: nothing to restart
