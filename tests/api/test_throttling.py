"""Rate limits are counted in the real Redis: anonymous clients per IP at a low rate, partners per key higher."""

import pytest

from api.services import api_key_issue
from tests.factories import centre

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_rates(settings):
    settings.API_RATE_ANONYMOUS = "3/min"
    settings.API_RATE_KEYED = "5/min"


def test_anonymous_clients_get_429_with_retry_after(client, low_rates):
    for _ in range(3):
        assert client.get("/api/v1/industries/").status_code == 200
    refused = client.get("/api/v1/industries/")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    error = refused.json()["error"]
    assert error["code"] == "throttled"
    assert refused["Retry-After"] in error["message"]
    # Another client (another address) has its own budget.
    assert client.get("/api/v1/industries/", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_a_key_has_its_own_higher_budget(client, low_rates):
    for _ in range(3):
        client.get("/api/v1/industries/")
    assert client.get("/api/v1/industries/").status_code == 429
    _key, plain = api_key_issue(centre=centre("zj-talent"), name="浙江", by=None)
    statuses = [client.get("/api/v1/industries/", HTTP_X_API_KEY=plain).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]


def test_the_counter_lives_in_redis(client, low_rates):
    from django.core.cache import cache

    client.get("/api/v1/industries/")
    keys = list(cache._cache.get_client().scan_iter(match=cache.make_key("rate:api:ip:*")))  # this run's own
    assert len(keys) == 1
