"""The one rule for a fair's registration windows, shared by the employer and the graduate side."""

from datetime import datetime

from django.utils import timezone


def window_open(opens: datetime | None, closes: datetime | None, *, now: datetime | None = None) -> bool:
    """A window set at both ends, with ``now`` (default: now) inside it."""
    now = now or timezone.now()
    return opens is not None and closes is not None and opens <= now <= closes
