"""PostgreSQL unreachable: people get the branded "暂时无法访问" page, the API a JSON 503, both with Retry-After —
never a bare 500. The site runs for real (gunicorn, production settings) against a port where nothing listens."""

import httpx
import pytest

from tests.core.ports import free_port
from tests.core.servers import production_site


@pytest.fixture(scope="module")
def site_without_database():
    with production_site(DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/talentfair") as url:
        yield url


# (The login form itself needs no database and still renders; logging in then gets this page.)
@pytest.mark.parametrize("path", ["/", "/jobs/?q=会计", "/jobs/1/", "/employers/1/", "/fairs/", "/feeds/jobs.jsonld"])
def test_pages_say_temporarily_unavailable(site_without_database, path):
    response = httpx.get(site_without_database + path, headers={"X-Forwarded-Proto": "https"}, timeout=20)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "暂时无法访问" in response.text and "Temporarily unavailable" in response.text


@pytest.mark.parametrize("path", ["/api/v1/jobs/", "/api/v1/jobs/facets/", "/api/v1/provinces/"])
def test_the_api_answers_a_json_503(site_without_database, path):
    response = httpx.get(site_without_database + path, headers={"X-Forwarded-Proto": "https"}, timeout=20)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert response.json()["error"]["code"] == "unavailable"
