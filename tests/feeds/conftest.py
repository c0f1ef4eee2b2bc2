"""A real HTTP server on localhost for feed tests: serves ``samples/feeds`` and scripted responses.

``feed_server.url(path)`` gives a URL; ``feed_server.script(path, *responses)`` makes the next requests to ``path``
answer the given ``Response``s in order (the last one repeats). Every request is recorded with its headers.
"""

import atexit
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.utils import translation

from feeds.models import FeedSource
from tests.factories import centre

# The Celery worker (started once per session, see tests/conftest.py) inherits this: retries in tests wait
# a fraction of a second instead of a minute.
os.environ["FEEDS_RETRY_BACKOFF"] = "0.2"

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "feeds"


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (a server that never answers: longer than the read timeout)
    chunked: bool = False  # no Content-Length: stream the body in pieces
    trickle: float = 0.0  # seconds between bytes: a server that sends one byte at a time


class FeedServer:
    def __init__(self) -> None:
        self.scripts: dict[str, list[Response]] = {}
        self.requests: list[tuple[str, dict]] = []
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                path = self.path.split("?")[0]
                with server.lock:
                    server.requests.append((path, dict(self.headers)))
                    script = server.scripts.get(path)
                    response = (script.pop(0) if len(script) > 1 else script[0]) if script else None
                if response is None:
                    file = SAMPLES / path.lstrip("/")
                    if path.startswith("/samples/") and (SAMPLES / path.removeprefix("/samples/")).is_file():
                        file = SAMPLES / path.removeprefix("/samples/")
                        response = Response(body=file.read_bytes(), headers={"ETag": '"v1"'})
                    else:
                        response = Response(status=404, body=b"not found")
                if response.delay:
                    time.sleep(response.delay)
                etag = response.headers.get("ETag")
                if response.status == 200 and etag and self.headers.get("If-None-Match") == etag:
                    response = Response(status=304, headers={"ETag": etag})
                try:
                    self.send_response(response.status)
                    for name, value in response.headers.items():
                        self.send_header(name, value)
                    if response.trickle:
                        self.send_header("Content-Length", str(len(response.body)))
                        self.end_headers()
                        for byte in response.body:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            time.sleep(response.trickle)
                    elif response.chunked:
                        self.send_header("Transfer-Encoding", "chunked")
                        self.end_headers()
                        for start in range(0, len(response.body), 4096):
                            piece = response.body[start : start + 4096]
                            self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                        self.wfile.write(b"0\r\n\r\n")
                    else:
                        self.send_header("Content-Length", str(len(response.body)))
                        self.end_headers()
                        self.wfile.write(response.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"

    @property
    def allowed_host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def script(self, path: str, *responses: Response) -> str:
        with self.lock:
            self.scripts["/" + path.lstrip("/")] = list(responses)
        return self.url(path)

    def hits(self, path: str) -> list[dict]:
        return [headers for p, headers in self.requests if p == "/" + path.lstrip("/")]

    def reset(self) -> None:
        with self.lock:
            self.scripts.clear()
            self.requests.clear()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def reference_data(db):
    """Provinces, cities, centres and industries for transactional tests: an earlier transactional test's flush
    removes what the data migrations loaded. The loaders are the migrations' own (idempotent)."""
    import importlib

    from django.apps import apps

    from regions.models import Province

    if not Province.objects.exists():
        importlib.import_module("regions.migrations.0002_load_regions_and_centres").load(apps, None)
        importlib.import_module("employers.migrations.0002_load_industries").load(apps, None)


@pytest.fixture(autouse=True)
def _source_language():
    """Messages are asserted in zh-Hans; a request with another Accept-Language leaves that language active."""
    translation.activate("zh-hans")
    yield
    translation.activate("zh-hans")


_shared: FeedServer | None = None


def shared_feed_server() -> FeedServer:
    """The session's one feed server, started on first use (the Celery worker fixture asks for its port too: the
    worker must be allowed to fetch from it)."""
    global _shared
    if _shared is None:
        _shared = FeedServer()
        atexit.register(_shared.close)
    return _shared


@pytest.fixture(scope="session")
def _feed_server():
    return shared_feed_server()


@pytest.fixture
def feed_server(_feed_server, settings):
    """The feed server, reset, and allowed as a feed host: feeds are otherwise fetched from public addresses only,
    and this one is on loopback."""
    settings.FEEDS_ALLOWED_HOSTS = [*settings.FEEDS_ALLOWED_HOSTS, _feed_server.allowed_host]
    _feed_server.reset()
    yield _feed_server
    _feed_server.reset()


@pytest.fixture
def make_source(db):
    def make(*, slug="js-feed", centre_slug="js-talent", url="http://127.0.0.1:9/none", format="jsonld", **extra):
        return FeedSource.objects.create(
            slug=slug, name=f"{slug} 职位源", centre=centre(centre_slug), url=url, format=format, **extra
        )

    return make


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()
