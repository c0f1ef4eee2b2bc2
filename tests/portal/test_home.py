"""The home page's figures: counted over the public catalogue, cached, and refreshed by the scheduled task."""

import pytest
from django.urls import reverse

from jobs.models import EmploymentType, JobStatus
from jobs.tasks import refresh_catalogue_figures
from tests.factories import EmployerFactory, JobPostingFactory, city

pytestmark = pytest.mark.django_db


def figures(client) -> dict:
    context = client.get(reverse("home")).context
    by_province = {p.code: p.vacancy_count for p in context["provinces"]}
    return {
        "vacancies": context["vacancies"],
        "positions": context["positions"],
        "fresh": context["fresh_count"],
        "by_province": {code: n for code, n in by_province.items() if n},
    }


def test_figures_count_only_what_the_public_sees(client):
    nanjing = EmployerFactory(city=city("320100"))
    JobPostingFactory(headcount=3)  # Shanghai
    JobPostingFactory(employer=nanjing, headcount=5, fresh_graduate=True)
    JobPostingFactory(employer=nanjing, headcount=1, employment_type=EmploymentType.CAMPUS)
    JobPostingFactory(headcount=50, status=JobStatus.CLOSED)
    JobPostingFactory(headcount=70, employer=EmployerFactory(verification_state="pending"))

    assert figures(client) == {
        "vacancies": 3,
        "positions": 9,
        "fresh": 2,
        "by_province": {"310000": 1, "320000": 2},
    }


def test_the_page_reads_the_cached_figures_until_the_scheduled_refresh(client):
    JobPostingFactory(headcount=2)
    assert figures(client)["vacancies"] == 1

    JobPostingFactory(headcount=4)
    assert figures(client)["vacancies"] == 1  # cached: the page does not count a million rows per visit

    assert refresh_catalogue_figures.delay().get() == 2
    assert figures(client)["vacancies"] == 2
    assert figures(client)["positions"] == 6
