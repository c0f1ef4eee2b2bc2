"""A Redis cache that degrades instead of failing: with Redis unreachable, reads miss and writes are dropped.

Everything we keep in the cache can be recomputed (search counts, facet estimates, feed validators) or is a rate
limit's history, so a Redis restart must cost speed, never a page: every public page, search, login and apply keep
answering. Each failure is logged (at most once a minute per process, so an outage does not flood the log), and
redis-py reconnects on its own once Redis is back. Sign-up is the one place that refuses instead of running
unlimited (``cache_available``; see ``accounts.adapter``).

Connections time out quickly (``OPTIONS`` in settings: a connect timeout of a fraction of a second), so a Redis that
is down, rather than refusing connections, slows a request by that much at most, once per cache call.
"""

import logging
import time

from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
LOG_EVERY = 60.0  # seconds between two log lines about the same outage
_last_logged = 0.0


def _unreachable(operation: str, exc: Exception) -> None:
    global _last_logged
    now = time.monotonic()
    if now - _last_logged >= LOG_EVERY:
        _last_logged = now
        logger.warning("cache unreachable (%s: %s); serving without it", operation, exc)


def _degrading(operation: str, fallback):
    """The client's ``operation``, answering ``fallback(*args)`` when Redis cannot be reached."""
    method = getattr(RedisCacheClient, operation)

    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except UNREACHABLE as exc:
            _unreachable(operation, exc)
            return fallback(*args, **kwargs)

    call.__name__ = operation
    return call


class DegradingRedisCacheClient(RedisCacheClient):
    get = _degrading("get", lambda key, default=None: default)
    get_many = _degrading("get_many", lambda keys: {})
    has_key = _degrading("has_key", lambda key: False)
    # "Added": what uses add() as a lock or a first count (allauth's rate-limit lock, our counters) goes on, so
    # limits fail open for reads and logins while the cache is away instead of refusing everyone.
    add = _degrading("add", lambda key, value, timeout: True)
    set = _degrading("set", lambda key, value, timeout: None)
    set_many = _degrading("set_many", lambda data, timeout: None)
    touch = _degrading("touch", lambda key, timeout: False)
    delete = _degrading("delete", lambda key: False)
    delete_many = _degrading("delete_many", lambda keys: None)
    incr = _degrading("incr", lambda key, delta: delta)  # as if the counter had just started
    clear = _degrading("clear", lambda: False)


class DegradingRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` whose operations survive an unreachable Redis."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = DegradingRedisCacheClient


def cache_available() -> bool:
    """Whether the cache answers now (one PING). For the few callers that must refuse rather than run without it."""
    client = getattr(cache, "_cache", None)
    if client is None:  # another backend (local memory in a one-off script): always there
        return True
    try:
        return bool(client.get_client(write=True).ping())
    except UNREACHABLE as exc:
        _unreachable("ping", exc)
        return False
