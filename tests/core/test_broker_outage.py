"""With the broker (Redis) unreachable, work that would be queued is kept in PostgreSQL and the request goes on; once
the broker answers again the kept tasks are sent and a real worker runs them."""

import json

import pytest
from django.conf import settings
from django.urls import reverse

from feeds.models import FeedSource, RunStatus, SyncRun
from feeds.services import feed_sync_request
from talentfair.celery import app
from talentfair.core.mail import mail_on_commit
from talentfair.core.models import HeldTask
from talentfair.core.queue import held_tasks_send
from tests.accounts.helpers import worker_mails
from tests.conftest import wait_for
from tests.core.ports import free_port
from tests.factories import EmployerFactory, UserFactory, centre

pytestmark = pytest.mark.django_db(transaction=True)


def _use_broker(url: str) -> None:
    """Point the app's producers at ``url`` (its cached producer pools are dropped)."""
    app.conf.update({"CELERY_BROKER_URL": url, "broker_url": url})
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_down():
    working = settings.CELERY_BROKER_URL
    _use_broker(f"redis://127.0.0.1:{free_port()}/0")
    yield
    _use_broker(working)


def test_mail_is_kept_while_the_broker_is_down_and_sent_when_it_is_back(
    celery_worker_process, reference_data, broker_down
):
    employer = EmployerFactory(name="苏州汇川精密机械有限公司")
    before = set(celery_worker_process["mail_dir"].iterdir())
    mail_on_commit(
        template_prefix="employers/email/employer_verified",
        context={"employer": employer, "reason": "", "site_url": settings.SITE_URL},
        to=["hr@huichuan.example.cn"],
    )  # no transaction: sent (or kept) at once, and no exception reaches the caller
    [held] = HeldTask.objects.all()
    assert held.name == "core.send_email" and held.kwargs["to"] == ["hr@huichuan.example.cn"]
    assert held_tasks_send() == 0  # still down: kept, the attempt counted
    assert HeldTask.objects.get().attempts == 1

    _use_broker(settings.CELERY_BROKER_URL)  # the broker is back
    assert held_tasks_send() == 1
    assert not HeldTask.objects.exists()

    def delivered():  # (other tests' late mail may land in the same directory)
        return [m for m in worker_mails(celery_worker_process["mail_dir"], exclude=before) if "huichuan" in m["to"]]

    assert len(wait_for(delivered)) == 1


def test_a_sync_requested_while_the_broker_is_down_waits_for_it(celery_worker_process, reference_data, broker_down):
    source = FeedSource.objects.create(
        slug="js-outage", name="江苏职位源", centre=centre("js-talent"), url="https://feeds.example.cn/jobs.jsonld"
    )
    run = feed_sync_request(source=source)
    assert SyncRun.objects.get(pk=run.pk).status == RunStatus.QUEUED
    held = HeldTask.objects.get()
    assert (held.name, held.args, held.queue) == ("feeds.sync_source", [run.pk], settings.CELERY_FEEDS_QUEUE)


def test_a_kept_task_goes_out_under_the_trace_id_of_the_request_that_queued_it(
    client, celery_worker_process, reference_data, broker_down
):
    UserFactory(email="li@example.com")
    response = client.post(reverse("account_reset_password"), {"email": "li@example.com"})
    trace_id = response["X-Request-ID"]
    assert HeldTask.objects.get().trace_id == trace_id

    _use_broker(settings.CELERY_BROKER_URL)
    assert held_tasks_send() == 1  # sent from here, yet still under the request's id

    def logged():
        lines = [json.loads(x) for x in celery_worker_process["log"].read_text().splitlines() if x.startswith("{")]
        return [x for x in lines if x["trace_id"] == trace_id and "mail sent" in x["message"]]

    assert wait_for(logged)
