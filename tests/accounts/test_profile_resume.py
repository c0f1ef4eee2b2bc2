from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import GraduateProfile
from accounts.services import profile_update, resume_upload, validate_mobile
from jobs.services import application_apply, application_withdraw
from tests.accounts.helpers import make_graduate, make_recruiter, pdf_bytes, pdf_upload
from tests.factories import EmployerFactory, JobPostingFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("13812345678", "13812345678"), ("+86 138-1234-5678", "13812345678"), ("１３８１２３４５６７８", "13812345678")],
)
def test_mainland_mobile_numbers_are_normalised(raw, expected):
    assert validate_mobile(raw) == expected


@pytest.mark.parametrize("raw", ["12812345678", "1381234567", "138123456789", "021-12345678", "abc"])
def test_bad_mobile_numbers_are_refused(raw):
    with pytest.raises(ValidationError):
        validate_mobile(raw)


def test_profile_form_refuses_bad_mobile_and_changes_nothing(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:profile"), {"name": "李雷", "mobile": "12345"})
    assert response.status_code == 400
    assert "11位中国大陆手机号码" in response.content.decode()
    assert not GraduateProfile.objects.filter(user=user).exclude(mobile="").exists()


def test_profile_saves(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"),
        {
            "name": "李雷",
            "mobile": "139 0000 1111",
            "school": "南京大学",
            "major": "软件工程",
            "degree": "4",
            "cohort": "2026",
        },
    )
    assert response.status_code == 302
    profile = GraduateProfile.objects.get(user=user)
    assert (profile.name, profile.mobile, profile.degree, profile.cohort) == ("李雷", "13900001111", 4, 2026)
    assert profile.cohort_display == "2026届"


def test_resume_is_stored_privately_under_an_unguessable_name(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:resume_upload"), {"resume": pdf_upload("my cv.pdf")})
    assert response.status_code == 302
    profile = GraduateProfile.objects.get(user=user)
    name = profile.resume.name
    assert name.startswith("resumes/") and name.endswith(".pdf")
    assert "my cv" not in name and str(user.pk) not in Path(name).stem
    assert len(Path(name).stem) >= 32
    stored = Path(profile.resume.path)
    assert stored.exists()
    assert settings.MEDIA_ROOT not in stored.parents  # never under the public media root
    assert profile.resume_filename == "my cv.pdf"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"hello, this is plain text renamed to .pdf", "不是PDF"),
        (b"%PDF-1.7\n this is not really a pdf at all", "损坏"),
        (b"", "空"),
    ],
)
def test_fake_or_broken_pdfs_are_refused(client, content, message):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:resume_upload"), {"resume": pdf_upload("cv.pdf", content)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not GraduateProfile.objects.filter(user=user).exclude(resume="").exists()


def test_resume_over_5_mb_is_refused(client, settings):
    user = UserFactory()
    client.force_login(user)
    big = pdf_bytes() + b"%" + b"0" * (settings.RESUME_MAX_BYTES)
    response = client.post(reverse("accounts:resume_upload"), {"resume": pdf_upload("big.pdf", big)})
    assert response.status_code == 400
    assert "5 MB" in response.content.decode()
    assert not GraduateProfile.objects.filter(user=user).exclude(resume="").exists()


def test_replacing_a_resume_deletes_the_old_file(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = resume_upload(user=user, file=pdf_upload()).resume.path
        second = resume_upload(user=user, file=pdf_upload()).resume.path
    assert first != second
    assert not Path(first).exists() and Path(second).exists()


# --- who may download a résumé -------------------------------------------------------------------------------


@pytest.fixture
def applied():
    graduate = make_graduate()
    job = JobPostingFactory()
    recruiter = make_recruiter(job.employer)
    application = application_apply(job=job, graduate=graduate)
    return graduate, recruiter, application


def resume_url(user):
    return reverse("accounts:resume", args=[user.pk])


def test_owner_downloads_own_resume(client, applied):
    graduate, _recruiter, _application = applied
    client.force_login(graduate)
    response = client.get(resume_url(graduate))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_recruiter_of_the_employer_applied_to_downloads_it(client, applied):
    graduate, recruiter, _application = applied
    client.force_login(recruiter)
    assert client.get(resume_url(graduate)).status_code == 200


def test_recruiter_of_another_employer_gets_404(client, applied):
    graduate, _recruiter, _application = applied
    other = make_recruiter(EmployerFactory())
    client.force_login(other)
    assert client.get(resume_url(graduate)).status_code == 404


def test_pending_member_of_the_employer_gets_404(client, applied):
    graduate, _recruiter, application = applied
    pending = make_recruiter(application.job.employer, role="recruiter", status="pending")
    client.force_login(pending)
    assert client.get(resume_url(graduate)).status_code == 404


def test_another_graduate_gets_404(client, applied):
    graduate, _recruiter, _application = applied
    client.force_login(make_graduate())
    assert client.get(resume_url(graduate)).status_code == 404


def test_anonymous_is_sent_to_log_in(client, applied):
    graduate, _recruiter, _application = applied
    response = client.get(resume_url(graduate))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_withdrawing_revokes_the_employers_access(client, applied):
    graduate, recruiter, application = applied
    application_withdraw(application=application, by=graduate)
    client.force_login(recruiter)
    assert client.get(resume_url(graduate)).status_code == 404


def test_resume_is_not_reachable_under_media_url(client, applied):
    graduate, _recruiter, _application = applied
    name = GraduateProfile.objects.get(user=graduate).resume.name
    assert client.get(f"/{settings.MEDIA_URL}{name}").status_code == 404


def test_profile_update_requires_a_name():
    with pytest.raises(ValidationError) as error:
        profile_update(user=UserFactory(), name=" ", mobile="13812345678")
    assert "name" in error.value.message_dict
