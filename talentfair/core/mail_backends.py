"""Development mail: every message on the console (the `make run` output) and as a file to open in a mail program."""

from pathlib import Path
from uuid import uuid4

from django.conf import settings
from django.core.mail.backends.console import EmailBackend as ConsoleEmailBackend
from django.utils import timezone


class DevelopmentEmailBackend(ConsoleEmailBackend):
    """Each message is also written as ``EMAIL_FILE_PATH/<time>-<id>.eml`` (``var/mail/`` by default)."""

    def write_message(self, message) -> None:
        super().write_message(message)
        directory = Path(settings.EMAIL_FILE_PATH)
        directory.mkdir(parents=True, exist_ok=True)
        name = f"{timezone.localtime():%Y%m%d-%H%M%S}-{uuid4().hex[:8]}.eml"
        (directory / name).write_bytes(message.message().as_bytes())
