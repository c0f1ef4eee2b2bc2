"""The fair day in real Chromium against a live server, with mail sent by a real Celery worker: a graduate
registers and gets the e-ticket (and its mail with the QR code and calendar file); staff check the ticket in on a
phone (once, then "已签到"); the recruiter at the booth types the ticket code and receives the résumé; the
graduate sees the application in 我的申请 and the fair page's counters have moved."""

import re
from importlib import import_module

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from playwright.sync_api import expect

from fairs.models import FairState, Registration
from fairs.services import booth_assign, exhibitor_approve, fair_advance
from jobs.models import Application, ApplicationSource
from tests.accounts.helpers import PASSWORD, worker_mails
from tests.conftest import wait_for
from tests.e2e.test_graduate_journey import browser  # noqa: F401 - the Chromium fixture
from tests.fairs.helpers import exhibitor, graduate, make_fair, staff


@pytest.fixture
def staff_groups(reference_data):
    """The staff groups and their permissions, as the data migrations create them (a transactional test's flush
    empties them)."""
    import_module("accounts.migrations.0003_centre_groups").create_groups(apps, None)
    import_module("fairs.migrations.0005_staff_permissions").forwards(apps, None)


def _log_in(context, base: str, email: str):
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.auth-form button[type=submit]")
    page.wait_for_load_state()
    return page


def _confirmed(user):
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"primary": True, "verified": True})
    return user


@pytest.mark.e2e
@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_the_fair_day(browser, live_server, celery_worker_process, staff_groups, settings):  # noqa: F811
    settings.FAIR_COUNTERS_REFRESH_SECONDS = 1
    mail_dir = celery_worker_process["mail_dir"]
    before = set(mail_dir.iterdir())
    fair = make_fair(slug="yrd-e2e")
    host = _confirmed(staff("320000"))
    participation, recruiter, job = exhibitor(fair)
    _confirmed(recruiter)
    exhibitor_approve(participation=participation, by=host)
    booth_assign(participation=participation, booth=fair.booths.get(code="B002"), by=host)
    student = _confirmed(graduate())
    base = live_server.url

    # 1. The graduate registers from the fair page in one step and sees the ticket.
    desk = browser.new_context(locale="zh-CN")
    page = _log_in(desk, base, student.email)
    page.goto(f"{base}/fairs/{fair.slug}/")
    page.click("text=一键报名，领取电子票")
    page.wait_for_url(re.compile(r"/fairs/tickets/\d+/"))
    assert page.locator(".qr-box svg").count() == 1
    code = page.inner_text(".ticket-code")
    registration = Registration.objects.get(fair=fair, graduate=student)
    assert code == registration.code_display
    mails = wait_for(lambda: [m for m in worker_mails(mail_dir, before) if student.email in m["to"]], timeout=30)
    assert mails and code in mails[0]["body"]

    # 2. The doors open; a visitor keeps the fair page open; staff check the ticket in on a phone: admitted once,
    # then "已签到".
    fair_advance(fair=fair, by=host, to=FairState.IN_PROGRESS)
    watcher = browser.new_context(locale="zh-CN").new_page()
    watcher.goto(f"{base}/fairs/{fair.slug}/")
    assert watcher.inner_text("[data-counter=checked_in]") == "0"
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    door = _log_in(phone, base, host.email)
    door.goto(f"{base}/fairs/{fair.slug}/check-in/")
    assert door.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    door.fill("input[name=ticket]", code.lower())
    door.click("form.checkin-form button[type=submit]")
    door.wait_for_selector("text=签到成功，请入场")
    door.fill("input[name=ticket]", code)
    door.click("form.checkin-form button[type=submit]")
    door.wait_for_selector(".checkin-result.refused >> text=已签到")
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    # The open fair page's counter moves without a reload.
    # (A locator assertion, not wait_for_function: a string predicate is eval()ed in the page, which our CSP forbids.)
    expect(watcher.locator("[data-counter=checked_in]")).to_have_text("1", timeout=10000)

    # 3. At the booth, the recruiter types the ticket code and receives the résumé.
    office = browser.new_context(locale="zh-CN")
    booth = _log_in(office, base, recruiter.email)
    booth.goto(f"{base}/fairs/exhibiting/")
    booth.click("text=展位收简历")
    booth.fill("input[name=ticket]", code)
    booth.select_option("select[name=job]", str(job.pk))
    booth.click("form.checkin-form button[type=submit]")
    booth.wait_for_selector("text=已收到")
    application = Application.objects.get(job=job, graduate=student)
    assert application.source == ApplicationSource.FAIR

    # 4. The graduate sees it in 我的申请; the fair page's counters have moved.
    page.goto(f"{base}/me/applications/")
    card = page.locator(f"#application-{application.pk}")
    assert job.title in card.inner_text()
    assert "招聘会现场" in card.inner_text()
    page.goto(f"{base}/fairs/{fair.slug}/")
    assert page.inner_text("[data-counter=checked_in]") == "1"
    assert page.inner_text("[data-counter=applications]") == "1"
    for context in (desk, phone, office):
        context.close()
