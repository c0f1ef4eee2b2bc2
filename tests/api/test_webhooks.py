"""Webhooks to partner centres (issue 14, item 4): endpoints registered in admin under the public-address rule,
signed deliveries checked with the recipe in docs/api.md, backoff, disabling with a mail, and — through a real
worker — a receiver killed and restarted in the middle of a stream of changes gets every event once, in order."""

import json
import re
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from api.models import WebhookDelivery, WebhookEndpoint
from api.webhooks import backoff, sign, webhook_deliver, webhook_endpoint_create, webhooks_dispatch
from employers.services import employer_suspend, employer_verify
from jobs.events import events_sequence, events_top
from jobs.models import JobStatus, VacancyEvent
from jobs.services import job_approve, job_close, job_update
from talentfair.core.groups import CENTRE_ADMIN
from tests.admin_forms import form_data
from tests.api.webhook_receiver import DOCS, recipe
from tests.conftest import WEBHOOK_RECEIVER_PORT, wait_for
from tests.core.ports import free_port
from tests.factories import EmployerFactory, JobPostingFactory, StaffFactory, UserFactory, centre

SECRET_RE = re.compile(r"<code class='api-key'>([0-9a-f]{64})</code>")


class Receiver:
    """A receiver in a thread of the test process: answers with the scripted statuses (then 200) and keeps every
    request it got."""

    def __init__(self, *statuses: int) -> None:
        self.statuses = list(statuses)
        self.requests: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                if status in (301, 302, 307, 308):
                    self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                self.send_header("Content-Length", "8")
                self.end_headers()
                self.wfile.write(b"received")

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.server.server_port}"

    @property
    def url(self) -> str:
        return f"http://{self.host}/hook"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    made: list[Receiver] = []

    def make(*statuses: int) -> Receiver:
        made.append(Receiver(*statuses))
        settings.FEEDS_ALLOWED_HOSTS = [*settings.FEEDS_ALLOWED_HOSTS, made[-1].host]
        return made[-1]

    yield make
    for each in made:
        each.close()


def _endpoint(url: str, **extra) -> WebhookEndpoint:
    endpoint, _secret = webhook_endpoint_create(
        centre=centre("js-talent"), name="江苏镜像", url=url, contact_email="it@js-talent.example.cn", by=None, **extra
    )
    return endpoint


# --- the receiver recipe in docs/api.md ---


def test_the_documented_recipe_accepts_our_signature_and_refuses_tampering_replays_and_other_secrets():
    verify = recipe()["verify"]
    secret, body, now = "s3cret", b'{"delivery": 7, "events": [], "last_seq": 0}', int(time.time())
    signature = sign(secret, now, body)

    assert verify(secret, body, str(now), signature)
    assert not verify(secret, body.replace(b"7", b"8"), str(now), signature), "a changed body"
    assert not verify("another", body, str(now), signature), "another endpoint's secret"
    assert not verify(secret, body, str(now + 1), signature), "a changed timestamp"
    assert not verify(secret, body, str(now), signature, now=now + 301), "replayed six minutes later"
    assert not verify(secret, body, str(now), signature, now=now - 301), "from a clock far ahead"
    assert not verify(secret, body, "yesterday", signature)
    assert not verify(secret, body, None, signature)
    assert not verify(secret, body, str(now), None)


def test_the_documented_openssl_command_computes_the_same_signature():
    script = DOCS.read_text(encoding="utf-8").split("### Verifying a delivery", 1)[1]
    command = next(line for line in script.splitlines() if line.startswith("SIG=$("))
    body, ts = '{"delivery": 0, "events": [], "last_seq": 0}', "1796180531"
    printed = subprocess.run(
        ["bash", "-c", f"{command}; echo $SIG"],
        env={"SECRET": "s3cret", "BODY": body, "TS": ts, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert f"sha256={printed}" == sign("s3cret", int(ts), body.encode())


# --- endpoints ---


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://0x7f000001/hook",
        "http://2130706433/hook",
        "http://localhost/hook",
        "ftp://partner.example.cn/hook",
        "file:///etc/passwd",
        "not a url",
    ],
)
def test_an_endpoint_must_be_a_public_http_address(settings, url):
    settings.FEEDS_ALLOWED_HOSTS = []
    with pytest.raises(ValidationError) as refused:
        _endpoint(url)
    assert "url" in refused.value.message_dict
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.django_db
def test_a_new_endpoint_starts_at_the_end_of_the_stream(receiver):
    JobPostingFactory()
    events_sequence()
    endpoint = _endpoint(receiver().url)
    assert endpoint.delivered_seq == events_top() > 0
    assert len(endpoint.secret) == 64


# --- delivering ---


@pytest.mark.django_db
def test_a_delivery_is_a_signed_batch_in_order_and_moves_the_cursor(receiver):
    hook = receiver()
    endpoint = _endpoint(hook.url)
    jobs = [JobPostingFactory(title=f"数控编程员{n}") for n in range(3)]
    job_close(job=jobs[1], by=None)
    events_sequence()

    assert webhook_deliver(endpoint_id=endpoint.pk) == 4

    (request,) = hook.requests
    headers = request["headers"]
    assert recipe()["verify"](
        endpoint.secret, request["body"], headers["X-Talentfair-Timestamp"], headers["X-Talentfair-Signature"]
    )
    body = json.loads(request["body"])
    assert [(e["vacancy_id"], e["kind"]) for e in body["events"]] == [
        (jobs[0].pk, "created"),
        (jobs[1].pk, "created"),
        (jobs[2].pk, "created"),
        (jobs[1].pk, "closed"),
    ]
    seqs = [e["seq"] for e in body["events"]]
    assert seqs == sorted(seqs) and body["last_seq"] == seqs[-1]
    assert body["events"][0]["vacancy"]["title"] == "数控编程员0"
    assert body["events"][1]["vacancy"]["status"] == "closed", "the vacancy as it is now"
    delivery = WebhookDelivery.objects.get()
    assert headers["X-Talentfair-Delivery"] == str(delivery.pk) == str(body["delivery"])
    assert (delivery.ok, delivery.status_code, delivery.response_body) == (True, 200, "received")
    assert (delivery.first_seq, delivery.last_seq, delivery.events) == (seqs[0], seqs[-1], 4)
    endpoint.refresh_from_db()
    assert (endpoint.delivered_seq, endpoint.failures) == (seqs[-1], 0)

    assert webhook_deliver(endpoint_id=endpoint.pk) == 0, "up to date: nothing more is sent"
    assert len(hook.requests) == 1


@pytest.mark.django_db
def test_batches_follow_one_another(receiver, settings):
    settings.WEBHOOK_BATCH = 2
    hook = receiver()
    endpoint = _endpoint(hook.url)
    for n in range(5):
        JobPostingFactory(title=f"焊工{n}")
    events_sequence()

    assert webhook_deliver(endpoint_id=endpoint.pk) == 5
    sent = [[e["seq"] for e in json.loads(r["body"])["events"]] for r in hook.requests]
    assert [len(batch) for batch in sent] == [2, 2, 1]
    flat = [seq for batch in sent for seq in batch]
    assert flat == sorted(flat) and len(set(flat)) == 5


@pytest.mark.django_db
@pytest.mark.parametrize("status", [302, 400, 404, 500, 503])
def test_an_answer_other_than_2xx_is_a_failure_and_the_same_batch_waits_for_its_retry(receiver, status):
    hook = receiver(status)
    endpoint = _endpoint(hook.url)
    JobPostingFactory()
    events_sequence()
    start = endpoint.delivered_seq

    assert webhook_deliver(endpoint_id=endpoint.pk) == 0
    endpoint.refresh_from_db()
    assert (endpoint.delivered_seq, endpoint.failures) == (start, 1)
    assert endpoint.next_attempt_at > timezone.now()
    failed = WebhookDelivery.objects.get()
    assert (failed.ok, failed.status_code) == (False, status)
    assert str(status) in failed.error

    assert webhook_deliver(endpoint_id=endpoint.pk) == 0, "before its retry time nothing is sent"
    assert len(hook.requests) == 1
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert webhook_deliver(endpoint_id=endpoint.pk) == 1
    assert hook.requests[0]["body"] != hook.requests[1]["body"]  # a new delivery id and time …
    first, second = (json.loads(r["body"])["events"] for r in hook.requests)
    assert first == second, "… for the same events"


@pytest.mark.django_db
def test_a_receiver_that_does_not_answer_is_a_failure(settings):
    settings.FEEDS_ALLOWED_HOSTS = [f"127.0.0.1:{(port := free_port())}"]
    endpoint = _endpoint(f"http://127.0.0.1:{port}/hook")  # nothing listens there
    JobPostingFactory()
    events_sequence()
    webhook_deliver(endpoint_id=endpoint.pk)
    failed = WebhookDelivery.objects.get()
    assert not failed.ok and failed.status_code is None
    assert "ConnectError" in failed.error


def test_backoff_doubles_up_to_its_cap(settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS, settings.WEBHOOK_RETRY_MAX_SECONDS = 15, 3600
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [15, 30, 60, 120]
    assert backoff(30).total_seconds() == 3600


@pytest.mark.django_db
def test_repeated_failure_disables_the_endpoint_and_mails_its_contact(
    receiver, settings, celery_eager, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_FAILURES = 3
    hook = receiver(500, 500, 500, 500)
    endpoint = _endpoint(hook.url)
    JobPostingFactory()
    events_sequence()
    start = endpoint.delivered_seq
    with django_capture_on_commit_callbacks(execute=True):
        for _attempt in range(3):
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(next_attempt_at=None)
            webhook_deliver(endpoint_id=endpoint.pk)

    endpoint.refresh_from_db()
    assert not endpoint.enabled
    assert endpoint.disabled_at is not None and "3" in endpoint.disabled_reason
    assert endpoint.delivered_seq == start
    (message,) = [m for m in mail.outbox if "it@js-talent.example.cn" in m.to]
    assert "江苏镜像" in message.subject
    assert f"after={start}" in message.body and "重新启用" in message.body
    assert webhook_deliver(endpoint_id=endpoint.pk) == 0 and len(hook.requests) == 3, "disabled: nothing is sent"


@pytest.mark.django_db
def test_dispatch_queues_only_enabled_endpoints_that_are_behind_and_due(receiver, celery_eager):
    behind, waiting, disabled, current = receiver(), receiver(), receiver(), receiver()
    endpoints = {hook: _endpoint(hook.url) for hook in (behind, waiting, disabled, current)}
    JobPostingFactory()
    events_sequence()
    top = events_top()
    WebhookEndpoint.objects.filter(pk=endpoints[waiting].pk).update(
        failures=1, next_attempt_at=timezone.now() + timedelta(minutes=5)
    )
    WebhookEndpoint.objects.filter(pk=endpoints[disabled].pk).update(enabled=False)
    WebhookEndpoint.objects.filter(pk=endpoints[current].pk).update(delivered_seq=top)

    assert webhooks_dispatch(top=top) == 1  # queued, and run in-process (eager)
    assert len(behind.requests) == 1
    assert waiting.requests == disabled.requests == current.requests == []


# --- admin ---


def _centre_admin(slug: str = "js-talent"):
    staff = StaffFactory(centre=centre(slug))
    staff.groups.add(Group.objects.get(name=CENTRE_ADMIN))
    return staff


@pytest.mark.django_db
def test_centre_admins_register_an_endpoint_and_see_its_secret_once(client, receiver):
    hook = receiver()
    client.force_login(_centre_admin())
    page = client.get("/admin/api/webhookendpoint/add/").content.decode()
    choices = re.search(r'<select name="centre".*?</select>', page, re.S).group()
    assert "江苏省人才流动服务中心" in choices and "上海市人才服务中心" not in choices

    response = client.post(
        "/admin/api/webhookendpoint/add/",
        {"centre": centre("js-talent").pk, "name": "江苏镜像", "url": hook.url, "contact_email": "it@js.example.cn"},
        follow=True,
    )
    assert response.status_code == 200
    (secret,) = SECRET_RE.findall(response.content.decode())
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret == secret and endpoint.enabled
    assert not SECRET_RE.search(client.get(f"/admin/api/webhookendpoint/{endpoint.pk}/change/").content.decode())


@pytest.mark.django_db
def test_an_internal_address_is_a_form_error_in_admin(client, settings):
    settings.FEEDS_ALLOWED_HOSTS = []
    client.force_login(_centre_admin())
    response = client.post(
        "/admin/api/webhookendpoint/add/",
        {"centre": centre("js-talent").pk, "name": "x", "url": "http://10.0.0.8/hook", "contact_email": "a@b.cn"},
    )
    assert response.status_code == 200
    assert "内部网络地址" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.django_db
def test_the_change_form_edits_through_the_service_and_keeps_the_delivery_state_read_only(client, receiver, settings):
    hook, moved = receiver(), receiver()
    endpoint = _endpoint(hook.url)
    client.force_login(_centre_admin())
    url = f"/admin/api/webhookendpoint/{endpoint.pk}/change/"
    data = form_data(client.get(url))
    assert "delivered_seq" not in data and "enabled" not in data and "secret" not in data
    assert client.post(url, {**data, "url": moved.url, "name": "江苏镜像（新）"}).status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.name) == (moved.url, "江苏镜像（新）")

    settings.FEEDS_ALLOWED_HOSTS = []
    response = client.post(url, {**data, "url": "http://127.0.0.1:6379/"})
    assert response.status_code == 200 and "内部网络地址" in response.content.decode()
    endpoint.refresh_from_db()
    assert endpoint.url == moved.url


@pytest.mark.django_db
def test_staff_of_another_province_neither_see_nor_change_an_endpoint(client, receiver):
    endpoint = _endpoint(receiver().url)
    client.force_login(_centre_admin("sh-talent"))
    assert "江苏镜像" not in client.get("/admin/api/webhookendpoint/").content.decode()
    assert client.get(f"/admin/api/webhookendpoint/{endpoint.pk}/change/").status_code == 404
    client.post("/admin/api/webhookendpoint/", {"action": "disable", "_selected_action": [endpoint.pk]})
    endpoint.refresh_from_db()
    assert endpoint.enabled


@pytest.mark.django_db
def test_disable_enable_and_a_new_secret_are_actions(client, receiver, celery_eager):
    endpoint = _endpoint(receiver().url)
    old_secret = endpoint.secret
    client.force_login(_centre_admin())
    listing = "/admin/api/webhookendpoint/"

    client.post(listing, {"action": "disable", "_selected_action": [endpoint.pk]})
    endpoint.refresh_from_db()
    assert not endpoint.enabled
    client.post(listing, {"action": "enable", "_selected_action": [endpoint.pk]})
    endpoint.refresh_from_db()
    assert endpoint.enabled and endpoint.failures == 0
    response = client.post(listing, {"action": "rotate_secret", "_selected_action": [endpoint.pk]}, follow=True)
    (shown,) = SECRET_RE.findall(response.content.decode())
    endpoint.refresh_from_db()
    assert endpoint.secret == shown != old_secret


@pytest.mark.django_db
def test_deliveries_are_visible_but_not_editable_in_admin(client, receiver):
    hook = receiver(500)
    endpoint = _endpoint(hook.url)
    JobPostingFactory()
    events_sequence()
    webhook_deliver(endpoint_id=endpoint.pk)
    delivery = WebhookDelivery.objects.get()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert "HTTP 500" in client.get(f"/admin/api/webhookendpoint/{endpoint.pk}/change/").content.decode()
    page = client.get(f"/admin/api/webhookdelivery/{delivery.pk}/change/")
    assert page.status_code == 200 and 'type="submit"' not in page.content.decode().split("<form")[-1]


# --- end to end, through the worker ---


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_killed_and_restarted_receiver_gets_every_event_once_in_order(
    celery_worker_process, reference_data, settings, tmp_path
):
    settings.FEEDS_ALLOWED_HOSTS = [*settings.FEEDS_ALLOWED_HOSTS, f"127.0.0.1:{WEBHOOK_RECEIVER_PORT}"]
    log = tmp_path / "received.jsonl"
    endpoint, secret = webhook_endpoint_create(
        centre=centre("js-talent"),
        name="江苏镜像",
        url=f"http://127.0.0.1:{WEBHOOK_RECEIVER_PORT}/hook",
        contact_email="it@js.example.cn",
        by=None,
    )
    start = endpoint.delivered_seq

    def run_receiver() -> subprocess.Popen:
        process = subprocess.Popen(
            [
                sys.executable,
                str(Path(__file__).with_name("webhook_receiver.py")),
                str(WEBHOOK_RECEIVER_PORT),
                secret,
                str(log),
            ]
        )
        assert wait_for(lambda: _listening(WEBHOOK_RECEIVER_PORT), timeout=10), "the receiver did not start"
        return process

    def received() -> list[list]:
        if not log.exists():
            return []
        return [event for line in log.read_text().splitlines() for event in json.loads(line)["events"]]

    def expected() -> list[int]:
        events_sequence()
        return list(VacancyEvent.objects.filter(seq__gt=start).order_by("seq").values_list("seq", flat=True))

    employer = EmployerFactory()
    receiver = run_receiver()
    try:
        jobs = [JobPostingFactory(employer=employer, status=JobStatus.PENDING, published_at=None) for _ in range(3)]
        for job in jobs:
            job_approve(job=job, by=None)  # each commit asks for a dispatch
        assert wait_for(lambda: len(received()) == 3, timeout=30), received()

        receiver.kill()
        receiver.wait()
        job_close(job=jobs[0], by=None)
        job_update(job=jobs[1], by=None, headcount=7)
        employer_suspend(employer=employer, by=None, reason="营业执照已注销")
        assert wait_for(lambda: WebhookDelivery.objects.filter(ok=False).exists(), timeout=30), "no failed attempt"
        employer_verify(employer=employer, by=None)

        receiver = run_receiver()
        assert wait_for(lambda: [e[0] for e in received()] == expected(), timeout=60), (received(), expected())
    finally:
        receiver.kill()
        receiver.wait()

    seqs = [event[0] for event in received()]
    assert seqs == expected() and len(set(seqs)) == len(seqs), "every event once, in order"
    kinds = [(event[1], event[2]) for event in received()]
    assert kinds[:3] == [(job.pk, "created") for job in jobs]
    assert (jobs[0].pk, "closed") in kinds and (jobs[1].pk, "changed") in kinds
    assert [k for j, k in kinds if j == jobs[2].pk] == ["created", "hidden", "shown"]
    endpoint.refresh_from_db()
    assert endpoint.delivered_seq == seqs[-1] and endpoint.failures == 0 and endpoint.enabled


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0
