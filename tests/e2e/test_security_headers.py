"""The Content-Security-Policy holds with the site working: in real Chromium, the main pages, the API docs and the
admin load with no CSP violation and no script error, and the scripts we ship still run (the search page's sort
submits on change; Swagger UI renders)."""

import pytest

from jobs.services import job_index
from tests.factories import JobPostingFactory
from tests.moderation_helpers import staff

from .test_fair_day import staff_groups  # noqa: F401 - the staff groups, after a transactional flush
from .test_graduate_journey import browser  # noqa: F401 - the Chromium fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _watch(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return problems


def test_pages_load_under_the_policy_and_our_scripts_run(browser, live_server, reference_data):  # noqa: F811
    job = JobPostingFactory(title="Java开发工程师")
    job_index(job=job)
    page = browser.new_page()
    problems = _watch(page)
    for path in (
        "/",
        "/jobs/?q=Java",
        f"/jobs/{job.pk}/",
        f"/employers/{job.employer_id}/",
        "/fairs/",
        "/api/v1/docs/",
    ):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector("#swagger-ui .info", timeout=15000)  # Swagger UI ran, from its own files
    page.goto(live_server.url + "/jobs/?q=Java")
    with page.expect_navigation():
        page.select_option("#id_sort", "salary")  # search.js submits the form on change
    assert "sort=salary" in page.url
    assert problems == [], problems


def test_admin_works_under_the_policy(browser, live_server, staff_groups):  # noqa: F811
    member = staff("320000")
    page = browser.new_page()
    problems = _watch(page)
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", member.email)
    page.fill("#id_password", "correct horse battery")
    with page.expect_navigation():
        page.click("input[type=submit]")
    for path in ("/admin/", "/admin/jobs/jobposting/", "/admin/jobs/pendingjob/", "/admin/dashboard/"):
        assert page.goto(live_server.url + path).status == 200, path
    assert problems == [], problems
