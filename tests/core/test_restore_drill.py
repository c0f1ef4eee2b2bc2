"""The restore drill of docs/operations.md, run for real: back up a seeded database and its résumés with
scripts/backup.sh, restore them with scripts/restore.sh into a database and directories that did not exist, and
check the copy — row counts, and a recruiter downloading the applicant's résumé from it, byte for byte."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings

from accounts.models import GraduateProfile
from jobs.services import application_apply
from tests.accounts.helpers import make_graduate, make_recruiter
from tests.core.ports import free_port
from tests.factories import JobPostingFactory

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db(transaction=True)


def _url(name: str) -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER'] or 'postgres'}@{db['HOST']}:{db['PORT'] or 5432}/{name}"


@pytest.fixture
def restored_name():
    name = f"tf_restore_drill_{os.getpid()}_{free_port()}"
    yield name
    conn = psycopg2.connect(_url("postgres"))
    conn.autocommit = True  # DROP DATABASE runs outside a transaction
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    result = subprocess.run(args, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_backup_restore_drill(tmp_path, reference_data, restored_name):
    job = JobPostingFactory(title="机械设计工程师")
    recruiter = make_recruiter(job.employer)
    graduate = make_graduate(email="wang@example.com")
    application = application_apply(job=job, graduate=graduate, cover_note="期待加入")
    resume = GraduateProfile.objects.get(user=graduate)
    original = Path(resume.resume.path).read_bytes()
    source = settings.DATABASES["default"]["NAME"]
    backup = tmp_path / "backup"

    private_root = Path(GraduateProfile._meta.get_field("resume").storage.location)  # this test's own
    _run(["scripts/backup.sh", str(backup)], DATABASE_URL=_url(source), DJANGO_PRIVATE_MEDIA_ROOT=str(private_root))
    assert (backup / "resumes.tar.gz").exists()
    manifest = (backup / "MANIFEST").read_text()
    assert "rows jobs_application 1" in manifest and "rows accounts_graduateprofile 1" in manifest

    private, media = tmp_path / "restored-private", tmp_path / "restored-media"
    restored = _run(["scripts/restore.sh", str(backup), _url(restored_name), str(private), str(media)])
    assert "row counts match" in restored.stdout

    # The restored site, as a process of its own on the copy: the recruiter downloads the résumé they received.
    check = f"""
import django; django.setup()
from django.test import Client
from django.urls import reverse
from accounts.models import User
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(User.objects.get(pk={recruiter.pk}))
response = client.get(reverse("accounts:resume", args=[{graduate.pk}]))
assert response.status_code == 200, response.status_code
import sys; sys.stdout.buffer.write(b"".join(response.streaming_content) if response.streaming else response.content)
"""
    download = subprocess.run(
        [sys.executable, "-c", check],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "talentfair.test_settings",
            "DATABASE_URL": _url(restored_name),
            "DJANGO_PRIVATE_MEDIA_ROOT": str(private),
            "DJANGO_MEDIA_ROOT": str(media),
        },
        capture_output=True,
    )
    assert download.returncode == 0, download.stderr.decode()[-2000:]
    assert download.stdout == original
    with psycopg2.connect(_url(restored_name)) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT cover_note FROM jobs_application WHERE id = %s", [application.pk])
        assert cursor.fetchone() == ("期待加入",)
    conn.close()


def test_restore_refuses_a_database_that_exists(tmp_path, reference_data):
    source = settings.DATABASES["default"]["NAME"]
    _run(["scripts/backup.sh", str(tmp_path / "b")], DATABASE_URL=_url(source))

    refused = subprocess.run(
        ["scripts/restore.sh", str(tmp_path / "b"), _url(source), str(tmp_path / "p"), str(tmp_path / "m")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )

    assert refused.returncode == 1
    assert "already exists" in refused.stderr


def test_backup_refuses_to_write_over_another(tmp_path, reference_data):
    target = tmp_path / "b"
    target.mkdir()
    (target / "database.dump").write_bytes(b"an earlier backup")

    refused = subprocess.run(
        ["scripts/backup.sh", str(target)],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": _url(settings.DATABASES["default"]["NAME"])},
        capture_output=True,
        text=True,
    )

    assert refused.returncode == 1 and "not empty" in refused.stderr
    assert (target / "database.dump").read_bytes() == b"an earlier backup"
