"""E-mail goes out through Celery, after the transaction that caused it commits."""

import base64

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from .queue import enqueue

SEND_TASK = "core.send_email"  # talentfair.core.tasks.send_email


def render_mail(template_prefix: str, context: dict) -> tuple[str, str]:
    """Subject and body from ``<prefix>_subject.txt`` and ``<prefix>.txt``, e.g. ``jobs/email/application_received``;
    every body ends with the portal's name and address (``email/_signature.txt``)."""
    context = {**context, "site_url": settings.SITE_URL.rstrip("/")}
    subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
    body = render_to_string(f"{template_prefix}.txt", context).rstrip() + "\n"
    body += render_to_string("email/_signature.txt", context)
    return subject, body


def mail_on_commit(
    *,
    template_prefix: str,
    context: dict,
    to: list[str],
    language: str = "zh-hans",
    attachments: list[tuple[str, bytes, str]] = (),
) -> None:
    """Render now (the context may hold model instances), send from a worker once the transaction commits.

    ``attachments`` are (file name, content, MIME type); they travel to the worker base64-encoded (JSON only).
    """
    recipients = [address for address in to if address]
    if not recipients:
        return
    with translation.override(language):
        subject, body = render_mail(template_prefix, context)
    files = [(name, base64.b64encode(content).decode("ascii"), mimetype) for name, content, mimetype in attachments]
    message = {"to": recipients, "subject": subject, "body": body, **({"attachments": files} if files else {})}
    transaction.on_commit(lambda: enqueue(SEND_TASK, kwargs=message))
