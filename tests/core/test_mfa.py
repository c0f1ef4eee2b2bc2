"""A second factor for staff (allauth MFA, TOTP): asked for at /admin/login/ and at the site's sign-in once turned
on, counted with the failed-login limits, and required of superusers before any admin page in production."""

import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.test import Client

from tests.factories import UserFactory
from tests.moderation_helpers import staff

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def code_now(secret: str, *, offset: int = 0) -> str:
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD + offset
    return format_hotp_value(hotp_value(secret, counter))


@pytest.fixture
def member_with_totp():
    member = staff("320000")
    secret = generate_totp_secret()
    TOTP.activate(member, secret)
    return member, secret


def _admin_login(client, email, password=PASSWORD, code=""):
    return client.post("/admin/login/?next=/admin/", {"username": email, "password": password, "code": code})


def test_the_admin_form_offers_the_code_field_and_staff_without_a_second_factor_sign_in_with_a_password():
    page = Client().get("/admin/login/").content.decode()
    assert 'name="code"' in page and 'autocomplete="one-time-code"' in page

    assert _admin_login(Client(), staff("310000").email).status_code == 302


def test_with_totp_on_the_password_alone_does_not_open_the_admin(member_with_totp):
    member, secret = member_with_totp
    client = Client()

    missing = _admin_login(client, member.email)
    wrong = _admin_login(client, member.email, code="000000" if code_now(secret) != "000000" else "111111")

    assert missing.status_code == 200 and "已开启两步验证" in missing.content.decode()
    assert wrong.status_code == 200 and "两步验证码不正确" in wrong.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # still sent to the login page


def test_the_current_code_opens_the_admin_once(member_with_totp):
    member, secret = member_with_totp
    code = code_now(secret)
    client = Client()

    assert _admin_login(client, member.email, code=code).status_code == 302
    assert client.get("/admin/").status_code == 200
    # The same code a second time (someone who watched it typed) is refused.
    assert "两步验证码不正确" in _admin_login(Client(), member.email, code=code).content.decode()


def test_a_recovery_code_works_once(member_with_totp):
    member, _secret = member_with_totp
    recovery = RecoveryCodes.activate(member).get_unused_codes()[0]

    assert _admin_login(Client(), member.email, code=recovery).status_code == 302
    assert _admin_login(Client(), member.email, code=recovery).status_code == 200


def test_wrong_codes_count_as_failed_logins_and_lock_the_account(member_with_totp, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "20/m/ip,3/60s/key"}
    member, secret = member_with_totp
    guesser = Client()
    for guess in ("123456", "234567", "345678"):
        _admin_login(guesser, member.email, code=guess)

    refused = _admin_login(Client(), member.email, code=code_now(secret))

    errors = [str(e) for e in refused.context["form"].non_field_errors()] if refused.context else []
    assert "登录失败次数过多" in refused.content.decode(), errors


def test_the_site_sign_in_asks_for_the_code_too(member_with_totp):
    member, secret = member_with_totp
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    client = Client()

    first = client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})

    assert first.status_code == 302 and first["Location"].startswith("/accounts/2fa/authenticate/")
    assert "_auth_user_id" not in client.session
    second = client.post("/accounts/2fa/authenticate/", {"code": code_now(secret)})
    assert second.status_code == 302
    assert int(client.session["_auth_user_id"]) == member.pk


def test_a_superuser_in_production_sets_up_totp_before_any_admin_page(settings):
    settings.MFA_REQUIRED_FOR_SUPERUSERS = True
    root = UserFactory(is_staff=True, is_superuser=True)
    root.set_password(PASSWORD)
    root.save()
    client = Client()
    assert _admin_login(client, root.email).status_code == 302  # the password is right: signed in

    sent = client.get("/admin/jobs/jobposting/")

    assert sent.status_code == 302 and sent["Location"].startswith("/accounts/2fa/totp/activate/")
    assert "next=%2Fadmin%2Fjobs%2Fjobposting%2F" in sent["Location"]
    page = client.get(sent["Location"])
    if page.status_code == 302:  # allauth asks for the password again before a security change
        client.post(page["Location"], {"password": PASSWORD})
        page = client.get(sent["Location"])
    assert page.status_code == 200
    secret = page.context["form"].secret
    activated = client.post(sent["Location"], {"code": code_now(secret)})
    assert activated.status_code == 302
    assert Authenticator.objects.filter(user=root, type=Authenticator.Type.TOTP).exists()
    assert client.get("/admin/jobs/jobposting/").status_code == 200


def test_staff_are_not_forced_unless_configured(settings):
    settings.MFA_REQUIRED_FOR_SUPERUSERS = True
    member = staff("320000")
    client = Client()
    _admin_login(client, member.email)
    assert client.get("/admin/").status_code == 200

    settings.MFA_REQUIRED_FOR_STAFF = True
    assert client.get("/admin/")["Location"].startswith("/accounts/2fa/totp/activate/")


def test_staff_find_the_second_factor_from_every_admin_page():
    client = Client()
    _admin_login(client, staff("320000").email)

    page = client.get("/admin/").content.decode()

    assert 'href="/accounts/2fa/"' in page and "两步验证" in page
    assert client.get("/accounts/2fa/").status_code == 200
