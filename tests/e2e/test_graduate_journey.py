"""The graduate's journey in real Chromium (Playwright driving Debian's chromium) against a live server, with mail
sent by a real Celery worker: sign up, confirm the address from the mail, upload a résumé, search, apply, and see
the status change after a recruiter moves the application to interview."""

import os
import re
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress

from accounts.models import User
from jobs.models import Application, ApplicationStatus
from jobs.services import job_index
from tests.accounts.helpers import PASSWORD, pdf_bytes, worker_mails
from tests.conftest import wait_for
from tests.factories import EmployerFactory, JobPostingFactory, MembershipFactory

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+/")


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), (
        f"Chromium not found at {CHROMIUM}: run `make browser` (Debian: apt-get install chromium)"
    )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.mark.e2e
@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_graduate_signs_up_applies_and_sees_interview(
    browser, live_server, celery_worker_process, reference_data, tmp_path
):
    mail_dir = celery_worker_process["mail_dir"]
    before = set(mail_dir.iterdir())
    employer = EmployerFactory(name="上海示例软件有限公司")
    recruiter = MembershipFactory(employer=employer).user
    EmailAddress.objects.create(user=recruiter, email=recruiter.email, primary=True, verified=True)
    job = JobPostingFactory(employer=employer, title="Python开发工程师")
    job_index(job=job)
    JobPostingFactory(title="财务会计")

    graduate = browser.new_context(locale="zh-CN")
    page = graduate.new_page()
    page.set_default_timeout(15000)

    # 1. Sign up; the confirmation mail is sent by the worker.
    page.goto(f"{live_server.url}/accounts/signup/")
    page.fill("input[name=email]", "journey@example.cn")
    page.fill("input[name=password1]", "Yangtze-Delta-2026")
    page.fill("input[name=password2]", "Yangtze-Delta-2026")
    page.click("form.auth-form button[type=submit]")
    mails = wait_for(lambda: [m for m in worker_mails(mail_dir, before) if "journey@example.cn" in m["to"]], timeout=30)
    assert mails, "no confirmation mail"
    link = CONFIRM_LINK.search(mails[0]["body"]).group(0)

    # 2. Confirm from the mail.
    page.goto(link)
    page.click("form.auth-form button[type=submit]")
    page.wait_for_url(re.compile(r"/me/"))
    assert EmailAddress.objects.get(email="journey@example.cn").verified

    # 3. Profile and résumé.
    page.goto(f"{live_server.url}/me/profile/")
    page.fill("input[name=name]", "陈同学")
    page.fill("input[name=mobile]", "13912345678")
    page.fill("input[name=school]", "同济大学")
    page.fill("input[name=major]", "软件工程")
    page.select_option("select[name=degree]", "3")
    page.fill("input[name=cohort]", "2026")
    page.click("form[action='/me/profile/'] button[type=submit]")
    page.wait_for_selector("text=个人资料已保存")
    resume = tmp_path / "陈同学简历.pdf"
    resume.write_bytes(pdf_bytes())
    page.set_input_files("input[name=resume]", str(resume))
    page.click("form[action='/me/resume/'] button[type=submit]")
    page.wait_for_selector("text=简历已上传")

    # 4. Search and open the vacancy.
    page.goto(f"{live_server.url}/jobs/?q=Python")
    page.click("a:has-text('Python开发工程师')")
    page.wait_for_selector("h1:has-text('Python开发工程师')")

    # 5. Apply in one step.
    page.fill("textarea[name=cover_note]", "可以立即到岗")
    page.click("text=一键申请")
    page.wait_for_selector("text=您已申请该职位")
    application = Application.objects.get(job=job, graduate__email="journey@example.cn")
    assert application.cover_note == "可以立即到岗"

    # 6. The recruiter moves the application to interview with a note.
    recruiting = browser.new_context(locale="zh-CN")
    office = recruiting.new_page()
    office.set_default_timeout(15000)
    office.goto(f"{live_server.url}/accounts/login/")
    office.fill("input[name=login]", recruiter.email)
    office.fill("input[name=password]", PASSWORD)
    office.click("form.auth-form button[type=submit]")
    office.wait_for_url(re.compile(r"/employers/centre/"))
    office.click(f"a[href='/employers/centre/jobs/{job.pk}/applicants/']")
    office.wait_for_selector("text=陈同学")
    office.select_option(f"#status-{application.pk}", "interview")
    office.fill(f"#note-{application.pk}", "请于周三下午两点来面试")
    office.click(f"#application-{application.pk} button[type=submit]")
    office.wait_for_selector("text=已将申请更新为")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INTERVIEW

    # 7. The graduate sees the change, and is mailed about it.
    page.goto(f"{live_server.url}/me/applications/")
    card = page.locator(f"#application-{application.pk}")
    assert "邀请面试" in card.inner_text()
    assert "请于周三下午两点来面试" in card.inner_text()
    changed = wait_for(
        lambda: [
            m for m in worker_mails(mail_dir, before) if "journey@example.cn" in m["to"] and "邀请面试" in m["subject"]
        ],
        timeout=30,
    )
    assert changed, "the graduate got no status mail"
    assert User.objects.get(email="journey@example.cn").name == "陈同学"
    recruiting.close()
    graduate.close()
