"""One trace id from a request to its log lines, the Celery tasks it queues, the sync runs it starts and Sentry
(issue 15, item 6). The web side runs under gunicorn with production settings; tasks run in the real worker."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from django.urls import reverse

from tests.conftest import wait_for
from tests.core.ports import free_port
from tests.core.servers import production_site
from tests.factories import UserFactory

HTTPS = {"X-Forwarded-Proto": "https"}


@pytest.mark.django_db
def test_every_response_names_its_own_new_trace_id(client):
    first, second = client.get("/healthz"), client.get("/healthz")

    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("hops", "offered", "kept"),
    [
        (1, "nginx-4f2a9c1e77b0", True),  # our proxy's id is carried on
        (0, "nginx-4f2a9c1e77b0", False),  # no proxy of ours: the header is the client's own words
        (1, "x", False),  # too short to be an id
        (1, "id with spaces and <script>", False),
        (1, "a" * 65, False),
    ],
)
def test_an_id_from_the_trusted_proxy_is_kept_and_anything_else_replaced(client, settings, hops, offered, kept):
    settings.TRUSTED_PROXY_HOPS = hops

    trace_id = client.get("/healthz", HTTP_X_REQUEST_ID=offered)["X-Request-ID"]

    assert (trace_id == offered) is kept
    assert len(trace_id) in (32, len(offered))


@pytest.mark.django_db(transaction=True)
def test_production_log_lines_are_json_and_carry_the_response_s_trace_id(tmp_path):
    log = tmp_path / "site.log"
    with production_site(log=log, DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/none") as url:
        trace_id = httpx.get(url + "/jobs/?q=会计", headers=HTTPS, timeout=20).headers["x-request-id"]

        def logged():
            lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
            return [line for line in lines if line["trace_id"] == trace_id]

        lines = wait_for(logged, timeout=10)
    assert lines, log.read_text()[-2000:]
    line = lines[0]
    assert line["level"] == "ERROR" and line["logger"] == "django.request"
    assert "/jobs/" in line["message"]
    assert line["time"][:4].isdigit()


@pytest.mark.django_db(transaction=True)
def test_the_worker_logs_the_mail_a_request_queued_under_the_request_s_trace_id(
    client, celery_worker_process, reference_data
):
    UserFactory(email="wang@example.com")

    response = client.post(reverse("account_reset_password"), {"email": "wang@example.com"})

    assert response.status_code == 302
    trace_id = response["X-Request-ID"]

    def logged():
        text = celery_worker_process["log"].read_text() if celery_worker_process["log"].exists() else ""
        lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
        return [line for line in lines if line.get("trace_id") == trace_id]

    lines = wait_for(logged, timeout=20)
    assert any(line["logger"] == "talentfair.core.tasks" and "mail sent" in line["message"] for line in lines), lines


class _SentryIngest(BaseHTTPRequestHandler):
    """Stands in for Sentry: keeps every envelope it is sent."""

    received: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.headers.get("Content-Encoding") == "gzip":
            import gzip

            body = gzip.decompress(body)
        self.received.append(body)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.mark.django_db(transaction=True)
def test_errors_go_to_sentry_tagged_with_the_trace_id_when_a_dsn_is_set():
    ingest = ThreadingHTTPServer(("127.0.0.1", 0), _SentryIngest)
    threading.Thread(target=ingest.serve_forever, daemon=True).start()
    dsn = f"http://publickey@127.0.0.1:{ingest.server_port}/42"
    try:
        no_database = f"postgres://postgres@127.0.0.1:{free_port()}/none"
        with production_site(SENTRY_DSN=dsn, DATABASE_URL=no_database) as url:
            trace_id = httpx.get(url + "/jobs/", headers=HTTPS, timeout=20).headers["x-request-id"]
            received = _SentryIngest.received
            events = wait_for(lambda: [body for body in received if trace_id.encode() in body], timeout=15)
    finally:
        ingest.shutdown()
    assert events, "no Sentry event carried the request's trace id"
    event = next(json.loads(line) for line in events[0].splitlines() if b'"tags"' in line)
    assert event["tags"]["trace_id"] == trace_id
    assert event["level"] == "error"
    assert "wang@example.com" not in events[0].decode()  # no personal data
