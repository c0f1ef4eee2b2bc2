import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_settings(**env):
    # Without the deployment's variables (a shell or `make` may have set some of them, SITE_URL among them).
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "SITE_URL"))}
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "talentfair.settings", **env},
        capture_output=True,
        text=True,
    )


def test_production_refuses_to_start_without_secret_key_database_and_hosts():
    result = load_settings(DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr and "DATABASE_URL" in result.stderr
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr and "SITE_URL" in result.stderr


def test_production_is_the_default_when_the_variable_is_forgotten():
    """A deploy that forgets DJANGO_DEBUG does not run in debug with the development key: it refuses to start."""
    result = load_settings()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_starts_with_them():
    result = load_settings(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/talentfair",
        DJANGO_ALLOWED_HOSTS="talent.example.cn",
        SITE_URL="https://talent.example.cn",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
