"""Shared fixtures: real PostgreSQL (pytest-django's test database), real Redis, a real Celery worker."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from tests.core.ports import free_port
from tests.feeds.conftest import shared_feed_server

ROOT = Path(__file__).resolve().parent.parent
# The port the webhook tests' receiver listens on (tests/api/webhook_receiver.py), chosen once, so the session's
# worker can be told that this loopback address, like the feed server's, may be sent to.
WEBHOOK_RECEIVER_PORT = free_port()


def _clear_own_cache() -> None:
    """Delete this run's cache keys only. ``cache.clear()`` would FLUSHDB the cache database, which a dev site and
    a second test run on the same machine share (``make test`` gives each run its own ``CACHE_KEY_PREFIX``)."""
    from talentfair.core.cache import UNREACHABLE

    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    try:
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    except UNREACHABLE:  # a test that stopped its own Redis: nothing of this run's is left there to clear
        pass


@pytest.fixture(autouse=True)
def _isolated_cache():
    """Rate limits and caches live in Redis; each test starts from an empty cache of its own."""
    _clear_own_cache()
    yield
    _clear_own_cache()


@pytest.fixture(autouse=True)
def _mail_outbox(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _celery_in_process(request):
    """Tasks run in the test's own process (mail lands in ``mail.outbox``) unless the test asks for the real
    worker with the ``celery_worker_process`` fixture; asynchronous behaviour is tested through that worker."""
    from talentfair.celery import app

    # Settings come from Django's under the CELERY_ namespace, so they are changed by their namespaced names.
    eager = "celery_worker_process" not in request.fixturenames
    keys = ("CELERY_TASK_ALWAYS_EAGER", "CELERY_TASK_EAGER_PROPAGATES")
    previous = {key: app.conf.get(key) for key in keys}
    app.conf.update(dict.fromkeys(keys, eager))
    yield
    app.conf.update(previous)


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker):
    """A real Celery worker process on the Redis broker, using the test database.

    Tests that use it need ``@pytest.mark.django_db(transaction=True)`` so the worker sees committed rows.
    Tasks it runs send mail through the file backend into ``CELERY_TEST_MAIL_DIR``.
    """
    mail_dir = Path(tempfile.mkdtemp(prefix="talentfair-mail-"))
    env = worker_env(mail_dir=mail_dir)
    queue = f"test-{os.getpid()}"
    env["CELERY_DEFAULT_QUEUE"] = queue
    env["CELERY_FEEDS_QUEUE"] = f"{queue}-feeds"
    settings.CELERY_FEEDS_QUEUE = f"{queue}-feeds"
    settings.CELERY_TASK_DEFAULT_QUEUE = queue
    from talentfair.celery import app

    app.conf.update(CELERY_TASK_DEFAULT_QUEUE=queue)
    log = mail_dir.parent / f"{mail_dir.name}-worker.log"
    process = start_celery_worker(env=env, queues=[queue, f"{queue}-feeds"], name=queue, log=log)
    yield {"queue": queue, "mail_dir": mail_dir, "log": log}
    process.terminate()
    process.wait(timeout=20)
    # The worker's server process outlives the worker by a moment; dropping the test database before it is gone
    # fails ("being accessed by other users").
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        wait_for(
            lambda: not cursor.execute(
                "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            and not cursor.fetchone(),
            timeout=10,
        )


def worker_env(*, mail_dir: Path) -> dict:
    """The environment of a worker process on the test database and the Redis broker."""
    db = settings.DATABASES["default"]
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "DJANGO_EMAIL_BACKEND": "tests.mail_backend.EmailBackend",  # a file per connection, never shared
        "DJANGO_EMAIL_FILE_PATH": str(mail_dir),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        # The worker fetches the tests' feeds from the loopback feed server: the one host allowed besides public ones.
        "FEEDS_ALLOWED_HOSTS": f"{shared_feed_server().allowed_host},127.0.0.1:{WEBHOOK_RECEIVER_PORT}",
        # A receiver that is down is retried after 0.5 s, 1 s, 2 s … instead of 15 s, 30 s, 1 min …
        "WEBHOOK_RETRY_BASE_SECONDS": "0.5",
        "WEBHOOK_RETRY_MAX_SECONDS": "2",
        "WEBHOOK_MAX_FAILURES": "50",  # a receiver down for a busy minute is retried, not disabled
    }


def start_celery_worker(*, env: dict, queues: list[str], name: str, log: Path | None = None) -> subprocess.Popen:
    """A Celery worker process (solo pool) consuming ``queues``, once it answers a ping; its log lines (JSON, as in
    production) go to ``log`` when given."""
    from talentfair.celery import app

    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "talentfair",
            "worker",
            "--pool=solo",
            "--loglevel=INFO" if log else "--loglevel=WARNING",
            "-Q",
            ",".join(queues),
            "--hostname",
            f"{name}@%h",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env={**env, "LOG_FORMAT": "json", "DJANGO_LOG_LEVEL": "INFO"} if log else env,
        stderr=log.open("ab") if log else None,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if app.control.ping(destination=[f"{name}@{os.uname().nodename}"], timeout=0.5):
            return process
        if process.poll() is not None:
            raise RuntimeError("The Celery worker exited during start-up.")
    process.terminate()
    raise RuntimeError("The Celery worker did not answer a ping within 30 s.")


def wait_for(predicate, *, timeout: float = 20.0, interval: float = 0.1):
    """Poll until ``predicate()`` is truthy (for work done by the Celery worker); return its value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


@pytest.fixture
def celery_eager():
    """Run tasks in-process (e.g. mail after commit lands in ``mailoutbox``); pair with
    ``django_capture_on_commit_callbacks(execute=True)`` in non-transactional tests."""
    from talentfair.celery import app

    # The app reads Django settings under the CELERY_ namespace; the namespaced key is the one that wins.
    previous = app.conf.task_always_eager
    app.conf.CELERY_TASK_ALWAYS_EAGER = True
    yield
    app.conf.CELERY_TASK_ALWAYS_EAGER = previous


@pytest.fixture(autouse=True)
def _private_resume_storage(monkeypatch, tmp_path):
    """Résumés uploaded by a test go to its own temporary folder, not the developer's private-media/."""
    from django.core.files.storage import FileSystemStorage

    from accounts.models import GraduateProfile

    field = GraduateProfile._meta.get_field("resume")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path / "private-media", base_url=None))


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """PBKDF2's many iterations cost ~0.3 s per user created; tests do not need them. PBKDF2 stays listed so
    passwords hashed outside a test's settings (module-scoped fixtures) still verify."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture
def reference_data(transactional_db):
    """Regions, centres and industries for transactional tests: the flush after an earlier transactional test
    empties the tables the data migrations filled. Reloads them with the migrations' own (idempotent) loaders."""
    from importlib import import_module

    from django.apps import apps

    for module in ("regions.migrations.0002_load_regions_and_centres", "employers.migrations.0002_load_industries"):
        import_module(module).load(apps, None)
