"""Sign-up, e-mail confirmation, login, logout, password reset (django-allauth) with mail through a real worker."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.models import User
from tests.accounts.helpers import PASSWORD, worker_mails
from tests.conftest import wait_for
from tests.factories import UserFactory

LINK = re.compile(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/")


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_sign_up_confirm_by_mail_then_log_in(client, celery_worker_process):
    mail_dir = celery_worker_process["mail_dir"]
    before = set(mail_dir.iterdir())
    response = client.post(
        reverse("account_signup"),
        {"email": "new.grad@example.cn", "password1": "Yangtze-Delta-2026", "password2": "Yangtze-Delta-2026"},
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.grad@example.cn")
    assert not EmailAddress.objects.get(user=user).verified
    # Unconfirmed: logging in is refused and the confirmation is sent (again).
    mails = wait_for(lambda: [m for m in worker_mails(mail_dir, before) if "new.grad@example.cn" in m["to"]])
    assert mails, "the worker sent no confirmation mail"
    link = LINK.search(mails[0]["body"]).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.post("/" + path)
    assert EmailAddress.objects.get(user=user).verified
    client.post(reverse("account_logout"))
    response = client.post(reverse("account_login"), {"login": "new.grad@example.cn", "password": "Yangtze-Delta-2026"})
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200


@pytest.mark.django_db
def test_unconfirmed_address_cannot_log_in(client, django_capture_on_commit_callbacks):
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert client.get(reverse("accounts:profile")).status_code == 302
    assert len(callbacks) == 1, "a confirmation mail is queued after commit, not sent in the request"


@pytest.mark.django_db
def test_failed_logins_are_rate_limited(client):
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": user.email, "password": "wrong password"})
        assert response.status_code == 200
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert "登录失败次数过多" in response.content.decode(), "the right password after 5 failures is still refused"
    assert client.get(reverse("accounts:profile")).status_code == 302


@pytest.mark.django_db
def test_sign_up_is_rate_limited_per_ip(client, django_capture_on_commit_callbacks):
    statuses = []
    with django_capture_on_commit_callbacks():
        for index in range(12):
            response = client.post(
                reverse("account_signup"),
                {
                    "email": f"bot{index}@example.cn",
                    "password1": "Yangtze-Delta-2026",
                    "password2": "Yangtze-Delta-2026",
                },
            )
            statuses.append(response.status_code)
    assert statuses[:10] == [302] * 10
    assert statuses[10:] == [429, 429]
    assert User.objects.count() == 10


@pytest.mark.django_db
def test_password_reset_mail_is_queued_after_commit(client, django_capture_on_commit_callbacks):
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_header_shows_account_links(client):
    page = client.get("/").content.decode()
    assert reverse("account_login") in page and reverse("account_signup") in page
    user = UserFactory()
    client.force_login(user)
    page = client.get("/").content.decode()
    assert reverse("accounts:applications") in page and reverse("employers:centre") in page
    assert reverse("account_logout") in page
