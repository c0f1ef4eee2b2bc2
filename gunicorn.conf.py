"""gunicorn's configuration for production: `gunicorn talentfair.wsgi` reads this file from the working directory.

Threaded workers (``gthread``): a request waiting on PostgreSQL, Redis or a slow client holds a thread, not a whole
process, and each process's main thread keeps answering the arbiter. What a slow client can hold is bounded three
ways: the buffering proxy in front reads responses at gunicorn's speed and hands them on at the client's (README,
"Serving"; nginx example there); every socket read or write that stalls longer than ``CLIENT_SOCKET_TIMEOUT``
seconds ends that request (``talentfair.core.serving``); the feed, the one large response, streams to at most
``FEED_MAX_STREAMS`` clients per process. Every value here can be set from the environment.
"""

import multiprocessing
import os

import gunicorn.http.wsgi


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
worker_class = "gthread"
workers = _env_int("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1)
threads = _env_int("GUNICORN_THREADS", 4)
# A worker whose main thread has not reported for this long is restarted (a stuck C call, not a slow request).
timeout = _env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _env_int("GUNICORN_KEEPALIVE", 5)  # seconds an idle keep-alive connection is kept (the proxy reuses them)
# Restart each worker after this many requests (jittered so they do not all restart at once): bounds slow leaks.
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = _env_int("GUNICORN_MAX_REQUESTS_JITTER", 500)
# Request line and headers: gunicorn's limits, stated; bodies are limited by MAX_REQUEST_BYTES in Django and the proxy.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
# The proxy on the same host or network speaks for the client; TRUSTED_PROXY_HOPS says how far Django trusts it.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # empty: no access log
# The trace id the site gave the request (X-Request-ID) on its access line, as on the site's own log lines.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms trace_id=%({x-request-id}o)s'
errorlog = "-"
preload_app = False  # each worker imports the app itself: a deploy reload picks up new code


def _without_server_header(default_headers):
    """gunicorn always writes ``Server: gunicorn``; the site names no server software (what it runs is nobody's
    business, and a version is a hint to whoever scans for old ones)."""

    def headers(self):
        return [line for line in default_headers(self) if not line.lower().startswith("server:")]

    return headers


gunicorn.http.wsgi.Response.default_headers = _without_server_header(gunicorn.http.wsgi.Response.default_headers)
