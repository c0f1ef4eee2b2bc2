import base64
import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage

from .queue import held_tasks_send

logger = logging.getLogger(__name__)


@shared_task(
    name="core.send_email",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=30,
    time_limit=60,
)
def send_email(*, to: list[str], subject: str, body: str, attachments: list | None = None) -> None:
    """``attachments``: [file name, base64 content, MIME type] each, as ``mail_on_commit`` sends them."""
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    for name, content, mimetype in attachments or ():
        message.attach(name, base64.b64decode(content), mimetype)
    message.send()
    logger.info("mail sent to %d recipient(s): %s", len(to), subject)


@shared_task(name="core.send_held_tasks", acks_late=True, max_retries=0, soft_time_limit=60, time_limit=90)
def send_held_tasks() -> int:
    """Send what was kept while the broker was unreachable (``talentfair.core.queue``)."""
    return held_tasks_send()
