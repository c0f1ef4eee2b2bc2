"""Keyboard users (issue 16, item 6, in part): from the search box, one "skip to results" link takes them past every
facet to the results, and the next Tab is the first vacancy — in real Chromium."""

import pytest

from jobs.services import job_index
from tests.e2e.test_graduate_journey import browser  # noqa: F401 - the Chromium fixture
from tests.factories import JobPostingFactory


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_skip_to_results_reaches_the_first_vacancy_past_the_facets(browser, live_server, reference_data):  # noqa: F811
    first = JobPostingFactory(title="数控编程员（五轴加工中心）")
    job_index(job=first)
    for n in range(3):
        job_index(job=JobPostingFactory(title=f"质量工程师{n}"))
    page = browser.new_context(locale="zh-CN").new_page()
    page.goto(f"{live_server.url}/jobs/?q=数控")

    page.focus("#id_q")
    page.keyboard.press("Tab")  # the search button
    page.keyboard.press("Tab")
    skip = page.evaluate("[document.activeElement.getAttribute('href'), document.activeElement.textContent]")
    assert skip == ["#results", "跳到搜索结果"]
    assert page.evaluate("document.activeElement.getBoundingClientRect().left >= 0"), "visible while it has focus"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.tagName, document.activeElement.closest('.job-list') !== null]")
    assert focused == ["A", True], "the next stop is a vacancy in the results, not a facet"
    assert "数控编程员" in page.evaluate("document.activeElement.closest('li').textContent")
