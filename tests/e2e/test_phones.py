"""Phones (issue 16, item 5): no main page scrolls sideways at 390 px, in Chinese or English, for a visitor, a
graduate, a recruiter and centre staff — measured in real Chromium (``scrollWidth <= innerWidth``)."""

import pytest
from django.test import Client

from jobs.models import ApplicationStatus
from jobs.services import application_apply, job_index, saved_search_create
from tests.accounts.helpers import make_graduate, make_recruiter
from tests.e2e.test_graduate_journey import browser  # noqa: F401 - the Chromium fixture
from tests.factories import (
    ApplicationFactory,
    EmployerFactory,
    JobPostingFactory,
    ParticipationFactory,
    StaffFactory,
    UpcomingFairFactory,
    centre,
)

PHONE = {"width": 390, "height": 844}


def _pages(data) -> dict[str, list[str]]:
    job, employer, fair = data["job"], data["employer"], data["fair"]
    public = [
        "/",
        "/jobs/",
        "/jobs/?q=工程师",
        f"/jobs/{job.pk}/",
        f"/employers/{employer.pk}/",
        "/fairs/",
        f"/fairs/{fair.slug}/",
        f"/fairs/{fair.slug}/guide/",
        f"/fairs/{fair.slug}/booths/",
        "/accounts/login/",
        "/accounts/signup/",
    ]
    return {
        "visitor": public,
        "graduate": ["/me/applications/", "/me/saved/", "/me/searches/", "/me/profile/", "/fairs/mine/", "/jobs/"],
        "recruiter": [
            "/employers/centre/",
            "/employers/centre/members/",
            "/employers/centre/jobs/new/",
            f"/employers/centre/jobs/{job.pk}/edit/",
            f"/employers/centre/jobs/{job.pk}/applicants/",
            "/fairs/exhibiting/",
            f"/fairs/{fair.slug}/exhibit/",
        ],
        "staff": [f"/fairs/{fair.slug}/check-in/", f"/fairs/{fair.slug}/"],
    }


@pytest.fixture
def site(reference_data):
    employer = EmployerFactory(name="苏州汇川精密机械有限公司（苏州工业园区分公司）")
    recruiter = make_recruiter(employer)
    job = JobPostingFactory(employer=employer, title="嵌入式软件工程师（PLC / 运动控制方向，2027届校招）")
    job_index(job=job)
    for n in range(5):
        job_index(job=JobPostingFactory(title=f"机械设计工程师{n}号岗", employer=employer))
    fair = UpcomingFairFactory(organised_by=["js-talent", "zj-talent"])
    ParticipationFactory(fair=fair, employer=employer, booth="A101")
    graduate = make_graduate(email="phone@example.cn")
    application_apply(job=job, graduate=graduate)
    ApplicationFactory(job=JobPostingFactory(employer=employer), status=ApplicationStatus.INTERVIEW)
    saved_search_create(user=graduate, querystring="q=工程师&province=320000", frequency="instant")
    staff = StaffFactory(centre=centre("sh-talent"), is_superuser=True)
    return {
        "job": job,
        "employer": employer,
        "fair": fair,
        "users": {"graduate": graduate, "recruiter": recruiter, "staff": staff},
    }


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_main_page_scrolls_sideways_on_a_phone(browser, live_server, site, language):  # noqa: F811
    host = live_server.url.split("//", 1)[1].split(":")[0]
    too_wide = []
    for who, paths in _pages(site).items():
        context = browser.new_context(viewport=PHONE)  # no mobile emulation: it would zoom out to fit a wide page
        cookies = [{"name": "django_language", "value": language, "domain": host, "path": "/"}]
        user = site["users"].get(who)
        if user is not None:
            client = Client()
            client.force_login(user)
            cookies.append(
                {"name": "sessionid", "value": client.cookies["sessionid"].value, "domain": host, "path": "/"}
            )
        context.add_cookies(cookies)
        page = context.new_page()
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response.status < 400, f"{who} {path}: HTTP {response.status}"
            widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            if widths[0] > widths[1]:
                widest = page.evaluate(
                    """() => [...document.querySelectorAll('body *')]
                        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                        .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))"""
                )
                too_wide.append(f"{who} {path}: {widths[0]} px > {widths[1]} px ({', '.join(widest)})")
        context.close()
    assert too_wide == [], "\n".join(too_wide)
