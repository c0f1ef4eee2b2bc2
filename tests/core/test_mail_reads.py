"""Mail that reads like ours (issue 16, item 7, in part): every mail ends with the portal's name and public address,
decision mails link to the page they are about, allauth's mail names the portal instead of the host a request
reached, and development writes each mail as a file under var/mail/."""

import email

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.urls import reverse

from employers.services import employer_reject, employer_verify
from talentfair.core.mail_backends import DevelopmentEmailBackend
from tests.accounts.helpers import make_recruiter
from tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_site(settings):
    settings.SITE_URL = "https://talent.example.cn/"
    return "https://talent.example.cn"


def test_decision_mails_link_to_the_employer_centre_and_name_the_portal(
    public_site, celery_eager, django_capture_on_commit_callbacks
):
    employer = EmployerFactory(verification_state="pending")
    make_recruiter(employer)  # someone to mail
    with django_capture_on_commit_callbacks(execute=True):
        employer_reject(employer=employer, by=None, reason="营业执照照片不清晰")
    with django_capture_on_commit_callbacks(execute=True):
        employer_verify(employer=employer, by=None)
    rejected, verified = mail.outbox[-2:]
    for message in (rejected, verified):
        assert f"{public_site}/employers/centre/" in message.body
        assert message.body.rstrip().endswith(f"长三角人才交流 · {public_site}")
        assert "127.0.0.1" not in message.body


def test_the_sign_up_mail_names_the_portal_not_the_host_it_was_asked_on(
    client, public_site, celery_eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {"email": "grad@example.cn", "password1": "Yangtze-Delta-2026", "password2": "Yangtze-Delta-2026"},
            HTTP_HOST="127.0.0.1:8000",  # the address this request reached; the public one is SITE_URL
        )
    (message,) = [m for m in mail.outbox if m.to == ["grad@example.cn"]]
    assert "长三角人才交流" in message.body
    assert "talent.example.cn" in message.body
    # The confirmation link goes where the request came in; the greeting and the sign-off name the portal.
    assert message.body.count("127.0.0.1") == message.body.count("http://127.0.0.1")


def test_development_mail_is_written_to_var_mail_as_well(settings, tmp_path, capsys):
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    backend = DevelopmentEmailBackend()
    backend.send_messages(
        [EmailMessage("面试邀请", "您好，请于周三上午十点参加面试。", "noreply@talent.example.cn", ["a@b.cn"])]
    )
    (written,) = (tmp_path / "mail").glob("*.eml")
    parsed = email.message_from_bytes(written.read_bytes())
    assert parsed["To"] == "a@b.cn"
    assert "面试邀请" in str(email.header.make_header(email.header.decode_header(parsed["Subject"])))
    assert "To: a@b.cn" in capsys.readouterr().out, "and on the console, as before"
