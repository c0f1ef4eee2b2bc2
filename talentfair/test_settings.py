"""Settings for the test suite: the development defaults (``DJANGO_DEBUG=1``: the dev key, local hosts), since
production settings refuse to load without their secrets. pytest-django then runs the tests with DEBUG off, as
Django's test runner does. Processes the tests start (the Celery worker) inherit the variable."""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")

from .settings import *  # noqa: F403
