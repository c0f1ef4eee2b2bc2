"""PostgreSQL unreachable: people get the branded "暂时无法访问" page, the API a JSON 503, both with Retry-After —
never a bare 500. The site runs for real (gunicorn, production settings) against a port where nothing listens."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.core.ports import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def site_without_database():
    port, nothing_there = free_port(), free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "talentfair.settings",  # production's, not the tests'
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "outage-test-" + "k" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{nothing_there}/talentfair",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "talentfair.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "30"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


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
