"""Degrade, don't fail: with the cache's Redis stopped, public pages, search, vacancy pages, login, apply, the API
and the feed keep answering; sign-up refuses clearly instead of running without its limit; when Redis is back the
cache works again. Against a real redis-server on a port of the test's own, stopped and started by the test."""

import socket
import subprocess
import time

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.test import Client

from jobs.models import Application
from tests.accounts.helpers import make_graduate
from tests.core.ports import free_port
from tests.factories import JobPostingFactory

pytestmark = pytest.mark.django_db


class RedisServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def redis_server(settings):
    server = RedisServer()
    server.start()
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "LOCATION": f"redis://127.0.0.1:{server.port}/0",
            "KEY_PREFIX": "outage-test",
        }
    }
    yield server
    server.stop()


def _pages(job) -> list[str]:
    return [
        "/",
        "/jobs/",
        "/jobs/?q=工程师",
        "/jobs/?province=320000&q=软件",
        f"/jobs/{job.pk}/",
        f"/employers/{job.employer_id}/",
        "/fairs/",
        "/accounts/login/",
        "/api/v1/jobs/",
        "/api/v1/jobs/facets/",
        "/feeds/jobs.jsonld",
    ]


def _journey(job) -> None:
    """What a graduate does, start to end; every step answers as usual."""
    anonymous = Client()
    for path in _pages(job):
        response = anonymous.get(path)
        assert response.status_code == 200, (path, response.status_code)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    graduate = make_graduate()
    EmailAddress.objects.create(user=graduate, email=graduate.email, verified=True, primary=True)
    browser = Client()
    response = browser.post("/accounts/login/", {"login": graduate.email, "password": "correct horse battery"})
    assert response.status_code == 302, response.content.decode()[:500]
    response = browser.post(f"/jobs/{job.pk}/apply/", {"cover_note": "您好"}, follow=True)
    assert response.status_code == 200
    assert "申请已投递" in response.content.decode(), [str(m) for m in response.context["messages"]]
    assert Application.objects.filter(job=job, graduate=graduate).exists()


def test_pages_login_and_apply_work_while_redis_is_down_and_the_cache_comes_back(redis_server):
    job = JobPostingFactory(title="嵌入式软件工程师")
    _journey(job)  # Redis up
    cache.set("probe", 1)
    assert cache.get("probe") == 1

    redis_server.stop()
    assert cache.get("probe", "missing") == "missing"  # a miss, not an error
    cache.set("probe", 2)  # dropped, not raised
    assert cache.incr("counter") == 1
    Application.objects.all().delete()
    _journey(job)  # Redis down: the same journey, the same answers

    redis_server.start()  # back on the same port: redis-py reconnects by itself
    cache.set("probe", 3)
    assert cache.get("probe") == 3


def test_sign_up_refuses_clearly_while_its_limit_cannot_be_kept(redis_server, client):
    assert client.get("/accounts/signup/").status_code == 200
    redis_server.stop()
    page = client.get("/accounts/signup/")
    assert page.status_code == 200
    assert "暂时无法注册" in page.content.decode()
    response = client.post(
        "/accounts/signup/",
        {"email": "new@example.cn", "password1": "correct horse battery", "password2": "correct horse battery"},
    )
    assert response.status_code == 200
    assert "暂时无法注册" in response.content.decode()
    from accounts.models import User

    assert not User.objects.filter(email="new@example.cn").exists()
