"""Fixed-window rate limits counted in Redis (the default cache): one atomic INCR per request.

Every web process shares the counters, so a limit holds however many processes serve the site. The API throttle
(``api.throttling``) and the outbound feed count with it; sign-in and sign-up use allauth's own limits, which count
in the same cache. When the cache is unreachable (``talentfair.core.cache``) the counter reads as unused: reads fail
open rather than refusing everyone.
"""

import time
from dataclasses import dataclass

from django.core.cache import cache

_PERIODS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "60/min" → (60, 60)."""
    count, _sep, period = rate.partition("/")
    return int(count), _PERIODS[period.strip().lower()]


@dataclass(frozen=True)
class Usage:
    allowed: bool
    limit: int
    remaining: int
    wait: float  # seconds until the window turns


def hit(scope: str, ident: str, rate: str) -> Usage:
    """Count one request by ``ident`` against ``rate`` ("60/min") in ``scope``."""
    limit, period = parse_rate(rate)
    now = time.time()
    window = int(now // period)
    counter = f"rate:{scope}:{ident}:{period}:{window}"
    # add() only sets a missing key, so the expiry is set once per window; incr() is atomic in Redis.
    cache.add(counter, 0, timeout=period + 1)
    try:
        used = cache.incr(counter)
    except ValueError:  # expired between add() and incr()
        cache.add(counter, 1, timeout=period + 1)
        used = 1
    return Usage(used <= limit, limit, max(limit - used, 0), max((window + 1) * period - now, 1))
