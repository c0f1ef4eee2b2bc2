"""The site as production serves it — gunicorn with the repository's configuration, production settings — answers
with no Server banner, serves its own hashed and compressed static files, refuses oversized bodies before reading
them, and cannot be starved by clients that stop reading the feed (issue 15, items 4 and 5)."""

import re
import socket
import time

import httpx
import pytest

from jobs.models import JobPosting
from tests.core.servers import production_site
from tests.factories import EmployerFactory, JobPostingFactory

pytestmark = pytest.mark.django_db(transaction=True)

HTTPS = {"X-Forwarded-Proto": "https"}  # what the TLS proxy in front says


@pytest.fixture
def site(reference_data):
    with production_site(FEED_MAX_STREAMS="1", CLIENT_SOCKET_TIMEOUT="3", GUNICORN_THREADS="4") as url:
        yield url


def test_no_server_banner_and_the_security_headers(site):
    response = httpx.get(site + "/", headers=HTTPS, timeout=20)

    assert response.status_code == 200
    assert "server" not in response.headers
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["strict-transport-security"].startswith("max-age=31536000")


def test_static_files_are_served_hashed_compressed_and_cached_for_a_year(site):
    page = httpx.get(site + "/", headers=HTTPS, timeout=20).text
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "the page links the hashed stylesheet"

    response = httpx.get(site + stylesheet[1], headers={**HTTPS, "Accept-Encoding": "gzip"}, timeout=20)

    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert "immutable" in response.headers["cache-control"]
    assert "max-age=315360000" in response.headers["cache-control"]
    assert "server" not in response.headers
    assert ".site-header" in response.text or "body" in response.text


def _raw_request(url: str, request: bytes, *, receive_buffer: int | None = None) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    sock = socket.socket()
    if receive_buffer:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    sock.settimeout(20)
    sock.connect((host, int(port)))
    sock.sendall(request)
    return sock


def _status(sock: socket.socket) -> int:
    head = b""
    while b"\r\n" not in head:
        chunk = sock.recv(1)
        if not chunk:
            break
        head += chunk
    return int(head.split()[1])


def test_an_oversized_body_is_refused_before_it_is_sent(site):
    """Only the headers go out, announcing 7 MB: the 413 comes back at once, nothing waits for the body."""
    sock = _raw_request(
        site,
        b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 7340032\r\n\r\n",
    )
    with sock:
        assert _status(sock) == 413


def _big_catalogue(count: int = 3000) -> None:
    """Enough vacancies that the feed outgrows every socket buffer between gunicorn and a client that never reads."""
    employer = EmployerFactory()
    JobPostingFactory(employer=employer)
    description = "负责公司核心系统的设计、开发与维护，参与需求分析和技术方案评审。" * 30
    JobPosting.objects.bulk_create(
        JobPostingFactory.build(employer=employer, description=description) for _ in range(count)
    )


FEED_REQUEST = b"GET /feeds/jobs.jsonld HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n\r\n"


def test_clients_that_stop_reading_the_feed_cannot_starve_the_site(site):
    _big_catalogue()
    # Six clients ask for the feed and read nothing past the status line, each with a tiny receive window.
    stalled = [_raw_request(site, FEED_REQUEST, receive_buffer=4096) for _ in range(6)]
    try:
        statuses = sorted(_status(sock) for sock in stalled)
        # One stream per process (FEED_MAX_STREAMS=1); the others are told to come back, holding nothing.
        assert statuses == [200, 503, 503, 503, 503, 503]

        # The site goes on answering everyone else meanwhile.
        for path in ("/", "/jobs/?q=软件", "/healthz"):
            assert httpx.get(site + path, headers=HTTPS, timeout=20).status_code == 200

        # The stalled stream loses its request after CLIENT_SOCKET_TIMEOUT (3 s here) and frees its slot: the feed
        # streams again, in full, to a client that reads it.
        deadline = time.monotonic() + 30
        while True:
            response = httpx.get(site + "/feeds/jobs.jsonld", headers=HTTPS, timeout=60)
            if response.status_code == 200 or time.monotonic() > deadline:
                break
            assert response.status_code == 503 and response.headers["retry-after"] == "30"
            time.sleep(0.5)
        assert response.status_code == 200
        assert len(response.json()["itemListElement"]) == 3001
    finally:
        for sock in stalled:
            sock.close()
