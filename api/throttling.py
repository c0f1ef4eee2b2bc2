"""The API's rate limits (``talentfair.core.ratelimit``): anonymous clients are counted per IP address at
``API_RATE_ANONYMOUS``; partners per API key at ``API_RATE_KEYED``."""

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from talentfair.core.clients import client_ip
from talentfair.core.ratelimit import hit


class ApiRateThrottle(BaseThrottle):
    def allow_request(self, request, view) -> bool:
        key = getattr(request, "auth", None)
        if key is not None:
            ident, rate = f"key:{key.pk}", settings.API_RATE_KEYED
        else:
            ident, rate = f"ip:{client_ip(request)}", settings.API_RATE_ANONYMOUS
        usage = hit("api", ident, rate)
        self._wait = usage.wait
        self.limit, self.remaining = usage.limit, usage.remaining
        return usage.allowed

    def wait(self) -> float:
        return self._wait
