"""Clients behind a proxy: every limit counts the address ``TRUSTED_PROXY_HOPS`` says, and a client-sent
X-Forwarded-For cannot move it — with no proxy (the header is ignored) and with one proxy hop (only the entry our
proxy appended counts)."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.test import RequestFactory

from talentfair.core.clients import client_ip

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("hops", "forwarded", "remote", "expected"),
    [
        (0, "", "203.0.113.7", "203.0.113.7"),
        (0, "198.51.100.1", "203.0.113.7", "203.0.113.7"),  # no proxy: the header is the client's own words
        (1, "198.51.100.1", "10.0.0.2", "198.51.100.1"),  # our proxy appended the client
        (1, "6.6.6.6, 198.51.100.1", "10.0.0.2", "198.51.100.1"),  # a client-sent entry in front is ignored
        (2, "6.6.6.6, 198.51.100.1, 10.0.0.3", "10.0.0.2", "198.51.100.1"),  # CDN, then our proxy
        (1, "", "10.0.0.2", "10.0.0.2"),  # reached around the proxy: the connecting address
        (2, "198.51.100.1", "10.0.0.2", "10.0.0.2"),  # fewer entries than hops: not trusted
        (1, "not-an-address", "10.0.0.2", "10.0.0.2"),
        (1, "2001:db8::1", "10.0.0.2", "2001:db8::1"),
    ],
)
def test_the_client_address(settings, hops, forwarded, remote, expected):
    settings.TRUSTED_PROXY_HOPS = hops
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


@pytest.fixture
def low_api_rate(settings):
    settings.API_RATE_ANONYMOUS = "3/min"


def _api(client, **headers):
    return client.get("/api/v1/industries/", **headers).status_code


def test_without_a_proxy_a_new_forwarded_header_per_request_does_not_escape_the_api_limit(client, low_api_rate):
    statuses = [_api(client, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}") for n in range(5)]
    assert statuses == [200, 200, 200, 429, 429]


def test_behind_one_proxy_each_client_has_its_own_api_budget_and_cannot_forge_another(client, settings, low_api_rate):
    settings.TRUSTED_PROXY_HOPS = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    alice = [_api(client, HTTP_X_FORWARDED_FOR=f"{n}.{n}.{n}.{n}, 198.51.100.1", **proxy) for n in range(1, 5)]
    assert alice == [200, 200, 200, 429]  # whatever she writes in front, she is 198.51.100.1
    assert _api(client, HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy) == 200  # someone else behind the same proxy


def _failed_login(client, **headers) -> bool:
    """One failed login; whether it was refused for too many attempts (the form says so, allauth's own limit)."""
    response = client.post("/accounts/login/", {"login": "nobody@example.cn", "password": "wrong password"}, **headers)
    return response.context["form"].has_error(NON_FIELD_ERRORS, "too_many_login_attempts")


def test_failed_logins_are_counted_per_real_client_behind_the_proxy(client, settings):
    """Ten failed logins a minute from one client lock out that client, not everyone behind the proxy."""
    settings.TRUSTED_PROXY_HOPS = 1
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/m/ip"}
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    refused = [_failed_login(client, HTTP_X_FORWARDED_FOR=f"9.9.9.{n}, 198.51.100.1", **proxy) for n in range(5)]
    assert refused == [False, False, False, True, True]
    assert not _failed_login(client, HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy)  # not locked out


def test_without_a_proxy_forged_headers_do_not_reset_the_login_limit(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/m/ip"}
    refused = [_failed_login(client, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}") for n in range(5)]
    assert refused == [False, False, False, True, True]
