"""The client's address, for every limit (sign-in and sign-up, the API throttle, reports): one rule, one setting.

``TRUSTED_PROXY_HOPS`` says how many proxies of ours stand in front of the site (0: clients connect directly; 1: one
TLS proxy such as nginx). Each proxy appends the address it received the request from to ``X-Forwarded-For``, so the
client is the entry that many places from the right; anything further left was written by the client and is
ignored — a client cannot choose the address it is counted under by sending a header. With 0 hops the header is
not read at all. A request that came through fewer proxies than configured (someone reaching the site around the
proxy) is counted under the nearest address we do trust, the connecting one.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_HOPS
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < hops:
        return remote
    candidate = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:  # not an address: whatever wrote it, it is not ours
        return remote
