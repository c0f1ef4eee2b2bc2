"""Response headers a browser enforces, and a production configuration that `check --deploy` finds nothing in."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.servers import collected_static

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/jobs/", "/api/v1/jobs/", "/accounts/login/"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";", 1)[0]  # no inline script allowed
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=(self)" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def _production(**extra) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "SITE_URL"))}
    return {
        **clean,
        "DJANGO_SETTINGS_MODULE": "talentfair.settings",
        "DJANGO_SECRET_KEY": "deploy-check-" + "s3cr3t-" * 8,
        "DJANGO_ALLOWED_HOSTS": "talent.example.cn",
        "SITE_URL": "https://talent.example.cn",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/talentfair",
        "DJANGO_STATIC_ROOT": str(collected_static()),  # production's hashed files, which its pages link
        **extra,
    }


def test_check_deploy_is_clean():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_sends_hsts_for_a_year_with_subdomains_behind_the_proxy():
    code = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/accounts/login/', headers={'X-Forwarded-Proto': 'https'}, HTTP_HOST='talent.example.cn'); "
        "print(r.status_code, r.headers.get('Strict-Transport-Security')); "
        "r = Client().get('/accounts/login/', HTTP_HOST='talent.example.cn'); "
        "print(r.status_code, r.headers.get('Location'))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_production(), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    secure, plain = result.stdout.strip().splitlines()
    assert secure == "200 max-age=31536000; includeSubDomains; preload"
    assert plain == "301 https://talent.example.cn/accounts/login/"  # plain http is sent to https
