"""/admin/login/ no longer takes unlimited guesses: the site's failed-login limits (per account and per client)
apply, with a clear message, and the account unlocks by itself once the window has passed."""

import time

import pytest
from django.test import Client

from tests.moderation_helpers import staff

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


@pytest.fixture
def quick_limits(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "20/m/ip,3/2s/key"}


def _login(client, email, password, **headers):
    return client.post("/admin/login/?next=/admin/", {"username": email, "password": password}, **headers)


def test_an_account_is_locked_after_failed_guesses_and_unlocks_after_the_cooldown(quick_limits):
    member = staff("320000")
    guesser = Client()
    for _ in range(3):
        assert _login(guesser, member.email, "guess").status_code == 200  # the form again, with its error
    refused = _login(guesser, member.email, PASSWORD)  # even the right password, while locked
    assert refused.status_code == 200
    assert "登录失败次数过多" in refused.content.decode()
    assert "_auth_user_id" not in guesser.session
    # Another account from the same client is not locked by these guesses.
    other = staff("310000")
    assert _login(Client(), other.email, PASSWORD).status_code == 302
    time.sleep(2.2)  # the window of this test's limit (3 per 2 s per account)
    assert _login(Client(), member.email, PASSWORD).status_code == 302


def test_one_client_guessing_many_accounts_is_stopped(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "4/m/ip,5/300s/key"}
    guesser = Client()
    for n in range(4):
        _login(guesser, f"someone{n}@example.cn", "guess")
    assert "登录失败次数过多" in _login(guesser, "someone9@example.cn", "guess").content.decode()
    assert _login(Client(REMOTE_ADDR="203.0.113.9"), staff("320000").email, PASSWORD).status_code == 302
