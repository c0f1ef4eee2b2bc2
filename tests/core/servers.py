"""The site as production runs it: gunicorn with the repository's gunicorn.conf.py and production settings
(``DJANGO_DEBUG=0``, secrets from the environment, static files collected, hashed and compressed)."""

import os
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from django.conf import settings

from tests.core.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="talentfair-test-static-"))


def production_env(**overrides: str) -> dict:
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "talentfair.settings",  # production's, not the tests'
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "production-test-" + "k" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "https://127.0.0.1",
        "DATABASE_URL": f"postgres://{db['USER'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        "DJANGO_STATIC_ROOT": str(STATIC_ROOT),
        "DJANGO_PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
    }
    env.update(overrides)
    return env


@cache
def collected_static() -> Path:
    """collectstatic with production's storage, once per test run (a few seconds)."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=production_env(),
        check=True,
    )
    return STATIC_ROOT


@contextmanager
def production_site(*, log: Path | None = None, **overrides: str):
    """gunicorn on a free loopback port; yields its base URL once it accepts connections. Its log lines (the
    site's JSON lines and gunicorn's own) go to ``log`` when given."""
    collected_static()
    port = free_port()
    env = production_env(GUNICORN_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="1", GUNICORN_ACCESS_LOG="", **overrides)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "talentfair.wsgi", "--config", str(ROOT / "gunicorn.conf.py")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("ab") if log else subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=15)
