"""Settings for the test suite: the development defaults (``DJANGO_DEBUG=1``: the dev key, local hosts), since
production settings refuse to load without their secrets. pytest-django then runs the tests with DEBUG off, as
Django's test runner does. Processes the tests start (the Celery worker) inherit the variable."""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")

from .settings import *  # noqa: F403

# Django's test client closes a streaming response only once a test reads it to the end, and an unread one lives on
# in a reference cycle with its request; the feed's per-process stream limit would count those as still streaming.
# tests/api/test_feed_limits.py sets the limit it tests, and checks it against gunicorn, which closes every response.
FEED_MAX_STREAMS = 1000
