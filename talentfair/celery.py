"""The Celery app, configured from Django settings (``CELERY_`` namespace)."""

import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentfair.settings")

app = Celery("talentfair")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

from talentfair.core import tracing  # noqa: E402, F401 - connects the signals that carry trace ids through tasks


@worker_ready.connect
def _send_held_tasks(**kwargs) -> None:
    """A worker that has just connected sends what was kept while the broker was unreachable (beat does too)."""
    from talentfair.core.tasks import send_held_tasks

    send_held_tasks.delay()
