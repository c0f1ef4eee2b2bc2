"""What searches share through the cache (counts, result order, facet links, rendered cards) never shows a
vacancy that is no longer public, nor an old version of one that changed."""

import pytest
from django.core.cache import cache

from employers.services import employer_suspend
from jobs.services import job_close, job_index
from tests.factories import EmployerFactory, JobPostingFactory

pytestmark = pytest.mark.django_db


def _titles(client, **params) -> list[str]:
    response = client.get("/jobs/", params)
    assert response.status_code == 200
    return [job.title for job in response.context["jobs"]]


@pytest.fixture
def vacancies():
    employer = EmployerFactory(name="苏州汇川精密机械有限公司")
    jobs = [JobPostingFactory(employer=employer, title=f"机械设计工程师{i}") for i in range(3)]
    return employer, jobs


def test_a_closed_vacancy_leaves_the_shared_results_at_once(client, vacancies):
    _employer, jobs = vacancies
    assert len(_titles(client, q="机械")) == 3  # counts and order now shared
    assert list(cache._cache.get_client().scan_iter(match=cache.make_key("jobs:search:order:*")))

    job_close(job=jobs[0], by=None)

    assert sorted(_titles(client, q="机械")) == ["机械设计工程师1", "机械设计工程师2"]


def test_a_hidden_employer_s_vacancies_leave_at_once(client, vacancies):
    employer, _jobs = vacancies
    assert len(_titles(client, q="机械")) == 3

    employer_suspend(employer=employer, by=None, reason="营业执照已注销")

    assert _titles(client, q="机械") == []


def test_a_changed_title_or_employer_name_shows_at_once_on_the_cached_cards(client, vacancies):
    employer, jobs = vacancies
    page = client.get("/jobs/", {"q": "机械"}).content.decode()
    assert "苏州汇川精密机械有限公司" in page and "机械设计工程师0" in page

    jobs[0].title = "机械设计主管"
    jobs[0].save()  # a write: updated_at moves, and with it the card's key
    job_index(job=jobs[0])
    employer.name = "汇川技术股份有限公司"
    employer.save()

    page = client.get("/jobs/", {"q": "机械"}).content.decode()
    assert "机械设计主管" in page and "机械设计工程师0" not in page
    assert "汇川技术股份有限公司" in page and "苏州汇川精密机械有限公司" not in page


def test_cards_are_cached_per_language(client, vacancies):
    client.get("/jobs/", {"q": "机械"})
    client.cookies["django_language"] = "en"
    page = client.get("/jobs/", {"q": "机械"}).content.decode()
    assert "Suzhou" in page or "Jiangsu" in page  # the place in English, not the Chinese card
