"""Webhooks: vacancy events pushed to partner centres' endpoints, signed, in order, retried, and visible in admin.

Each delivery is one POST of a batch of events — the same objects ``/api/v1/changes/`` pages, the vacancy as it is
now — in sequence order, starting after the endpoint's ``delivered_seq``. The endpoint row is locked while a batch
is in flight, so one endpoint receives one batch at a time and never out of order; a 2xx moves ``delivered_seq``.
Anything else (a timeout, a refused connection, a 4xx/5xx) is a failure: the same batch is tried again after
``WEBHOOK_RETRY_BASE_SECONDS`` × 2^(failures − 1), at most ``WEBHOOK_RETRY_MAX_SECONDS``; after
``WEBHOOK_MAX_FAILURES`` in a row the endpoint is disabled and its contact mailed. A partner that was down gets
every event once it answers again, exactly once unless our acknowledgement of its 2xx is lost (then the batch
comes again: receivers skip events whose ``seq`` they have applied — docs/api.md).

Signature: ``X-Talentfair-Signature: sha256=<hex>``, the HMAC-SHA256 with the endpoint's secret of
``<X-Talentfair-Timestamp>.<body>``; receivers refuse stale timestamps (replays).
"""

import hashlib
import hmac
import logging
import secrets
import time
from datetime import timedelta

import httpx
import orjson
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from feeds.fetch import FetchError, check_peer, check_url, validate_public_url
from jobs.events import events_top
from jobs.models import VacancyEvent
from regions.models import TalentCentre
from talentfair.core.errors import ApplicationError
from talentfair.core.mail import mail_on_commit
from talentfair.core.queue import enqueue
from talentfair.core.tracing import current_trace_id

from .models import WebhookDelivery, WebhookEndpoint
from .serializers import changes_data

logger = logging.getLogger(__name__)

USER_AGENT = "talentfair-webhooks/1.0"
SIGNATURE_HEADER = "X-Talentfair-Signature"
TIMESTAMP_HEADER = "X-Talentfair-Timestamp"
DELIVERY_HEADER = "X-Talentfair-Delivery"
DELIVER_TASK = "api.webhook_deliver"
RESPONSE_EXCERPT = 1000  # characters of the partner's answer kept on the delivery row
EDITABLE_FIELDS = {"name", "url", "contact_email"}


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value for ``body`` sent at ``timestamp`` (Unix seconds)."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


# --- endpoints (admin calls these; nothing else writes WebhookEndpoint rows) ---


@transaction.atomic
def webhook_endpoint_create(
    *, centre: TalentCentre, name: str, url: str, contact_email: str, by: User | None
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint for ``centre``, receiving the events from now on. Returns it and its signing secret (shown to
    staff once, to hand to the partner)."""
    endpoint = WebhookEndpoint(
        centre=centre,
        name=(name or "").strip(),
        url=validate_public_url(url),
        contact_email=(contact_email or "").strip(),
        secret=secrets.token_hex(32),
        delivered_seq=events_top(),
        created_by=by,
    )
    endpoint.full_clean()
    endpoint.save()
    return endpoint, endpoint.secret


@transaction.atomic
def webhook_endpoint_update(*, endpoint: WebhookEndpoint, by: User | None, changes: dict) -> WebhookEndpoint:
    """Edit an endpoint's name, address or contact. A new address obeys the same rule as a new endpoint."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    for name, value in changes.items():
        setattr(endpoint, name, (value or "").strip())
    if "url" in changes:
        endpoint.url = validate_public_url(endpoint.url)
    endpoint.full_clean()
    endpoint.save()
    return endpoint


@transaction.atomic
def webhook_endpoint_rotate_secret(*, endpoint: WebhookEndpoint, by: User | None) -> str:
    """A new signing secret, used from the next delivery on; returns it (shown once)."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    endpoint.secret = secrets.token_hex(32)
    endpoint.save(update_fields=["secret"])
    return endpoint.secret


@transaction.atomic
def webhook_endpoint_enable(*, endpoint: WebhookEndpoint, by: User | None) -> WebhookEndpoint:
    """Switch a disabled endpoint back on: deliveries resume after the last event it acknowledged."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    if endpoint.enabled:
        raise ApplicationError(_("推送地址“%(name)s”已在启用中。") % {"name": endpoint.name})
    validate_public_url(endpoint.url)
    endpoint.enabled, endpoint.failures, endpoint.next_attempt_at = True, 0, None
    endpoint.disabled_at, endpoint.disabled_reason = None, ""
    endpoint.save()
    transaction.on_commit(lambda: enqueue(DELIVER_TASK, kwargs={"endpoint_id": endpoint.pk}))
    return endpoint


@transaction.atomic
def webhook_endpoint_disable(*, endpoint: WebhookEndpoint, by: User | None, reason: str = "") -> WebhookEndpoint:
    """Stop deliveries to an endpoint (they resume from where they stopped when it is enabled again)."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    if not endpoint.enabled:
        raise ApplicationError(_("推送地址“%(name)s”已停用。") % {"name": endpoint.name})
    _disable(endpoint, reason or _("工作人员停用"), notify=False)
    return endpoint


def _disable(endpoint: WebhookEndpoint, reason: str, *, notify: bool) -> None:
    endpoint.enabled = False
    endpoint.disabled_at = timezone.now()
    endpoint.disabled_reason = reason
    endpoint.next_attempt_at = None
    endpoint.save()
    if notify:
        mail_on_commit(
            template_prefix="api/email/webhook_disabled",
            context={"endpoint": endpoint, "reason": reason},
            to=[endpoint.contact_email],
        )


# --- delivery ---


def webhooks_dispatch(*, top: int) -> int:
    """A consumer of the vacancy events (``VACANCY_EVENT_CONSUMERS``): queue a delivery for every enabled endpoint
    that is behind ``top`` and not waiting out a backoff. Returns how many were queued."""
    now = timezone.now()
    due = (
        WebhookEndpoint.objects.filter(enabled=True, delivered_seq__lt=top)
        .exclude(next_attempt_at__gt=now)
        .values_list("pk", flat=True)
    )
    queued = 0
    for pk in due:
        enqueue(DELIVER_TASK, kwargs={"endpoint_id": pk})
        queued += 1
    return queued


def backoff(failures: int) -> timedelta:
    """How long the next attempt waits after ``failures`` consecutive failures (1, 2, 4 … × the base, capped)."""
    seconds = settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** max(failures - 1, 0)
    return timedelta(seconds=min(seconds, settings.WEBHOOK_RETRY_MAX_SECONDS))


def webhook_deliver(*, endpoint_id: int) -> int:
    """Deliver what ``endpoint_id`` has not acknowledged yet, batch after batch, until it is up to date, a batch
    fails, or ``WEBHOOK_BATCHES_PER_TASK`` went out (then the rest is queued). Returns the events delivered."""
    delivered = 0
    for _batch in range(settings.WEBHOOK_BATCHES_PER_TASK):
        outcome = _deliver_batch(endpoint_id)
        if outcome is None:
            return delivered
        if outcome < 0:  # failed: the retry is queued with its backoff
            return delivered
        delivered += outcome
    enqueue(DELIVER_TASK, kwargs={"endpoint_id": endpoint_id})
    return delivered


def _deliver_batch(endpoint_id: int) -> int | None:
    """One batch: the number of events acknowledged, -1 when the attempt failed, None when there was nothing to do
    (up to date, disabled, waiting for its retry time, or another worker is delivering to it right now)."""
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update(skip_locked=True).filter(pk=endpoint_id).first()
        now = timezone.now()
        if endpoint is None or not endpoint.enabled or (endpoint.next_attempt_at and endpoint.next_attempt_at > now):
            return None
        events = list(
            VacancyEvent.objects.filter(seq__gt=endpoint.delivered_seq).order_by("seq")[: settings.WEBHOOK_BATCH]
        )
        first, last = (events[0].seq, events[-1].seq) if events else (None, None)
        if first is None or last is None:  # nothing after delivered_seq (what matched seq > it is numbered)
            return None
        # The endpoint's records older than WEBHOOK_KEEP_DAYS go as it gets a new one (its own index, not a scan).
        endpoint.deliveries.filter(started_at__lt=now - timedelta(days=settings.WEBHOOK_KEEP_DAYS)).delete()
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint,
            first_seq=first,
            last_seq=last,
            events=len(events),
            attempt=endpoint.failures + 1,
            started_at=now,
            trace_id=current_trace_id(),
        )
        with translation.override(settings.LANGUAGE_CODE):
            body = orjson.dumps({"delivery": delivery.pk, "events": changes_data(events, now=now), "last_seq": last})
        _post(endpoint, delivery, body)
        delivery.save()
        if delivery.ok:
            endpoint.delivered_seq = last
            endpoint.failures, endpoint.next_attempt_at = 0, None
            endpoint.save(update_fields=["delivered_seq", "failures", "next_attempt_at"])
            return len(events)
        endpoint.failures += 1
        logger.warning(
            "webhook %s: delivery %s failed (%s), attempt %d",
            endpoint.pk,
            delivery.pk,
            delivery.error or delivery.status_code,
            endpoint.failures,
        )
        if endpoint.failures >= settings.WEBHOOK_MAX_FAILURES:
            reason = _("连续 %(n)d 次推送失败，最近一次：%(error)s") % {
                "n": endpoint.failures,
                "error": delivery.error or f"HTTP {delivery.status_code}",
            }
            _disable(endpoint, reason, notify=True)
            return -1
        wait = backoff(endpoint.failures)
        endpoint.next_attempt_at = now + wait
        endpoint.save(update_fields=["failures", "next_attempt_at"])
        countdown = wait.total_seconds()
        transaction.on_commit(lambda: enqueue(DELIVER_TASK, kwargs={"endpoint_id": endpoint_id}, countdown=countdown))
        return -1


def _post(endpoint: WebhookEndpoint, delivery: WebhookDelivery, body: bytes) -> None:
    """POST ``body`` to the endpoint, filling ``delivery`` with the outcome. Redirects are not followed (a
    receiver that moved is told to update its address), and the address obeys the feeds' public-address rule."""
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        DELIVERY_HEADER: str(delivery.pk),
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(endpoint.secret, timestamp, body),
        "X-Request-ID": delivery.trace_id,
    }
    started = time.monotonic()
    timeout = httpx.Timeout(settings.WEBHOOK_TIMEOUT, connect=min(settings.WEBHOOK_TIMEOUT, 5.0))
    try:
        check_url(endpoint.url)
        with (
            httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client,
            client.stream("POST", endpoint.url, content=body, headers=headers) as response,
        ):
            check_peer(response, endpoint.url)
            delivery.status_code = response.status_code
            excerpt = bytearray()
            for chunk in response.iter_bytes():
                excerpt += chunk
                if len(excerpt) >= RESPONSE_EXCERPT * 4:
                    break
            delivery.response_body = excerpt.decode("utf-8", "replace")[:RESPONSE_EXCERPT]
            delivery.ok = 200 <= response.status_code < 300
            if not delivery.ok:
                delivery.error = _("对方返回 HTTP %(status)d") % {"status": response.status_code}
    except FetchError as exc:
        delivery.error = str(exc)
    except httpx.TimeoutException:
        delivery.error = _("连接或读取超时")
    except httpx.HTTPError as exc:
        delivery.error = _("网络错误：%(error)s") % {"error": exc.__class__.__name__}
    delivery.duration_ms = round((time.monotonic() - started) * 1000)
