"""Rate limits counted in Redis (the default cache): a fixed window per client, one atomic INCR per request.

Anonymous clients are counted per IP address at ``API_RATE_ANONYMOUS``; partners per API key at ``API_RATE_KEYED``.
Every web process shares the counters, so the limit holds however many processes serve the API.
"""

import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

from talentfair.core.clients import client_ip

_PERIODS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "60/min" → (60, 60)."""
    count, _sep, period = rate.partition("/")
    return int(count), _PERIODS[period.strip().lower()]


class ApiRateThrottle(BaseThrottle):
    def allow_request(self, request, view) -> bool:
        key = getattr(request, "auth", None)
        if key is not None:
            ident, rate = f"key:{key.pk}", settings.API_RATE_KEYED
        else:
            ident, rate = f"ip:{client_ip(request)}", settings.API_RATE_ANONYMOUS
        limit, period = parse_rate(rate)
        now = time.time()
        window = int(now // period)
        counter = f"api-rate:{ident}:{period}:{window}"
        # add() only sets a missing key, so the expiry is set once per window; incr() is atomic in Redis.
        cache.add(counter, 0, timeout=period + 1)
        try:
            used = cache.incr(counter)
        except ValueError:  # expired between add() and incr()
            cache.add(counter, 1, timeout=period + 1)
            used = 1
        self._wait = (window + 1) * period - now
        self.limit, self.remaining = limit, max(limit - used, 0)
        return used <= limit

    def wait(self) -> float:
        return max(self._wait, 1)
