"""One id per piece of work, from the request that starts it to every Celery task it enqueues.

Each request gets a trace id: the one the trusted proxy sent in ``X-Request-ID`` (only when ``TRUSTED_PROXY_HOPS``
says a proxy of ours is in front, and only if it looks like an id), else a new one. It is sent back in the
response's ``X-Request-ID``, written on every log line (``talentfair.core.logs``), tagged on Sentry events, stored
on what the request queues — a Celery message carries it in its headers, a task kept while the broker was away
(``core.HeldTask``) in a column, a partner-feed sync run (``feeds.SyncRun``) in a column staff see in admin — and
every log line of the task that runs it carries it again. A task nobody's request started (Celery beat's) is traced
under its own task id, and what it enqueues under that.
"""

import re
import uuid
from contextvars import ContextVar

from celery.signals import before_task_publish, task_postrun, task_prerun
from django.conf import settings

HEADER = "X-Request-ID"
_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
_current: ContextVar[str] = ContextVar("trace_id", default="")


def current_trace_id() -> str:
    return _current.get()


def new_trace_id() -> str:
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.META.get("HTTP_X_REQUEST_ID", "") if settings.TRUSTED_PROXY_HOPS > 0 else ""
        trace_id = offered if _ID.match(offered) else new_trace_id()
        request.trace_id = trace_id
        token = _current.set(trace_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = trace_id
        return response


@before_task_publish.connect
def _carry_into_the_message(headers=None, **kwargs) -> None:
    """The publishing side: the current trace id rides in the message's headers (an explicit one is kept)."""
    if headers is not None and current_trace_id():
        headers.setdefault("trace_id", current_trace_id())


_task_tokens: dict[str, object] = {}


@task_prerun.connect
def _enter_task(task_id=None, task=None, **kwargs) -> None:
    trace_id = getattr(task.request, "trace_id", None) or task_id or new_trace_id()
    _task_tokens[task_id] = _current.set(trace_id)


@task_postrun.connect
def _leave_task(task_id=None, **kwargs) -> None:
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        _current.reset(token)
