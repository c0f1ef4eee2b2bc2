"""Log lines people can follow: every line carries the trace id of the request or task it belongs to
(``talentfair.core.tracing``); in production they are JSON, one object per line, for the log collector.

    {"time": "2026-12-01T15:02:03.120+08:00", "level": "INFO", "logger": "feeds.tasks", "trace_id": "9f2c…",
     "message": "sync 42 (sh-talent) finished: 1,204 created, 13 closed"}
"""

import json
import logging
from datetime import datetime

from .tracing import current_trace_id


class TraceIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.trace_id = current_trace_id() or "-"
        return True


def sentry_before_send(event: dict, hint: dict) -> dict:
    """Every Sentry event names its trace id, so an error leads to the request's or task's log lines."""
    if trace_id := current_trace_id():
        event.setdefault("tags", {})["trace_id"] = trace_id
    return event


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "trace_id": getattr(record, "trace_id", None) or current_trace_id() or None,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
