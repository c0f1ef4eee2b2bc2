"""One filter definition: for the same parameters the API's first page is the search page's first page (same
vacancies, same order), its facet counts are the page's, and a value the page ignores with a message is a 400."""

from datetime import timedelta

import pytest
from django.utils import timezone

from employers.models import Ownership
from jobs import selectors
from jobs.models import EmploymentType
from tests.factories import EmployerFactory, FairFactory, JobPostingFactory, city, industry

pytestmark = pytest.mark.django_db

CITIES = ("310115", "310104", "320500", "320100", "330100", "330200", "340100")
INDUSTRIES = ("I", "C", "M")
OWNERSHIPS = (Ownership.STATE, Ownership.PRIVATE, Ownership.FOREIGN, Ownership.OTHER)
TYPES = (EmploymentType.FULL_TIME, EmploymentType.INTERNSHIP, EmploymentType.CAMPUS, EmploymentType.PART_TIME)
TITLES = ("Java开发工程师", "机械设计工程师", "数据分析实习生", "销售经理", "软件测试工程师")
DESCRIPTIONS = ("负责后端开发，熟悉Java。", "五险一金，双休。", "参与数据分析与建模。", "", "使用Java编写自动化测试。")
# (min, max, negotiable): open ranges, 面议 and missing salaries, so salary filter and sort meet every case
SALARIES = ((8000, 12000, False), (15000, 25000, False), (None, None, True), (6000, None, False), (None, 9000, False))


@pytest.fixture
def catalogue():
    """72 open vacancies spread over every filter dimension, with ties in time (the id breaks them) and ranks."""
    now = timezone.now()
    fair = FairFactory(slug="fair-parity")
    employers = {}
    for i in range(72):
        code, ownership = CITIES[i % 7], OWNERSHIPS[i % 4]
        if (code, ownership) not in employers:
            employers[code, ownership] = EmployerFactory(
                city=city(code), ownership=ownership, industry=industry(INDUSTRIES[i % 3])
            )
        salary_min, salary_max, negotiable = SALARIES[i % 5]
        JobPostingFactory(
            employer=employers[code, ownership],
            city=city(code),
            industry=industry(INDUSTRIES[i % 3]),
            title=TITLES[i % 5],
            description=DESCRIPTIONS[(i // 5) % 5],
            education=i % 6,
            employment_type=TYPES[i % 4],
            salary_min=salary_min,
            salary_max=salary_max,
            salary_negotiable=negotiable,
            fresh_graduate=i % 3 == 0,
            fair=fair if i % 6 == 0 else None,
            published_at=now - timedelta(hours=(i % 36) * 12),  # pairs of vacancies share a moment
        )
    return fair


COMBINATIONS = [
    {},
    {"q": "工程师"},
    {"q": "Java"},
    {"q": "java", "sort": "newest"},
    {"q": "工程师", "sort": "salary"},
    {"sort": "relevance"},  # without a query: newest first, as on the page
    {"sort": "salary"},
    {"province": "320000"},
    {"province": "320000", "city": "320500"},
    {"city": "310104", "sort": "salary"},
    {"industry": "C"},
    {"ownership": "state", "q": "工程师"},
    {"education": "3"},
    {"education": "0", "sort": "newest"},
    {"type": "internship"},
    {"type": "campus", "fresh": "1"},
    {"salary_min": "10000"},
    {"salary_min": "9000", "sort": "salary", "province": "330000"},
    {"posted_within": "3"},
    {"posted_within": "7", "q": "数据"},
    {"fresh": "1"},
    {"fair": "fair-parity"},
    {"fair": "fair-parity", "fresh": "1", "sort": "salary"},
    {"q": "工程师", "province": "310000", "industry": "I", "education": "5", "type": "full_time"},
    {"q": "Java", "ownership": "private", "salary_min": "5000", "posted_within": "30", "sort": "relevance"},
]


def _page_ids(client, params: dict) -> list[int]:
    response = client.get("/jobs/", params)
    assert response.status_code == 200
    assert not response.context["search"].errors, response.context["search"].errors
    return [job.pk for job in response.context["jobs"]]


def _api_ids(client, params: dict) -> list[int]:
    response = client.get("/api/v1/jobs/", params)
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


@pytest.mark.parametrize("params", COMBINATIONS, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()) or "all")
def test_api_first_page_is_the_search_page_first_page(client, catalogue, params):
    page = _page_ids(client, params)
    assert page, "every combination here matches something, so the comparison means something"
    assert _api_ids(client, params) == page


def test_a_combination_matching_nothing_is_empty_on_both(client, catalogue):
    params = {"q": "首席科学家"}
    assert _page_ids(client, params) == [] == _api_ids(client, params)


def test_whole_first_page_compared_and_then_walked_on(client, catalogue):
    """A combination with more matches than a page: the API's first page is the page's 20, and its cursor goes on
    to the page's second page."""
    params = {"q": "工程师"}
    first = _page_ids(client, params)
    assert len(first) == selectors.PAGE_SIZE
    body = client.get("/api/v1/jobs/", params).json()
    assert [item["id"] for item in body["results"]] == first
    second = client.get(body["next"]).json()
    assert [item["id"] for item in second["results"]] == _page_ids(client, {**params, "page": 2})


def test_relevance_is_capped_as_on_the_page(client, catalogue, monkeypatch):
    """Beyond RANK_CANDIDATES matches both rank the same capped candidate set (set small here, for both)."""
    monkeypatch.setattr(selectors, "RANK_CANDIDATES", 10)
    params = {"q": "工程师"}  # about 43 matches
    page = _page_ids(client, params)
    assert len(page) == 10
    api = []
    url, query = "/api/v1/jobs/", params
    while url:
        body = client.get(url, query).json()
        api += [item["id"] for item in body["results"]]
        url, query = body["next"], None
    assert api == page


@pytest.mark.parametrize(
    "params",
    [{}, {"q": "工程师"}, {"province": "320000"}, {"education": "3", "type": "full_time"}, {"fresh": "1"}],
    ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()) or "all",
)
def test_api_facets_are_the_search_page_facets(client, catalogue, params):
    search = client.get("/jobs/", params).context["search"]
    body = client.get("/api/v1/jobs/facets/", params).json()
    assert body["total"] == search.total
    assert body["estimated"] is search.estimated is False
    assert body["facets"] == {
        facet.name: [
            {"value": o.value, "label": o.label, "count": o.count, "selected": o.selected} for o in facet.shown
        ]
        for facet in search.facets
    }
    if "province" not in params:  # a facet counts under the *other* filters: its options add up to the total
        assert sum(option["count"] for option in body["facets"]["province"]) == body["total"]


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("province=999999", "province"),
        ("city=320599", "city"),  # no such city
        ("industry=Z", "industry"),
        ("fair=no-such-fair", "fair"),
        ("ownership=public", "ownership"),
        ("education=6", "education"),
        ("posted_within=2", "posted_within"),
        ("fresh=yes", "fresh"),
        ("sort=oldest", "sort"),
        ("salary_min=1000001", "salary_min"),
        ("q=" + "长" * 101, "q"),
    ],
)
def test_a_value_the_page_ignores_with_a_message_is_a_400_with_that_message(client, catalogue, query, parameter):
    page = client.get(f"/jobs/?{query}")
    assert page.status_code == 200  # the page searches without it and says why
    page_messages = page.context["search"].errors[parameter]
    for path in ("/api/v1/jobs/", "/api/v1/jobs/facets/"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400, (path, response.content)
        error = response.json()["error"]
        assert error["code"] == "invalid"
        assert error["details"][parameter][0] == page_messages[0]
        assert error["message"].startswith(f"{parameter}: {page_messages[0]}")
