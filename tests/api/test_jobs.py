"""The vacancy endpoints: public fields only, keyset pagination, mirroring with updated_since, JSON errors."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from jobs.models import JobPosting, JobStatus
from jobs.services import job_close
from tests.factories import (
    ApplicationFactory,
    EmployerFactory,
    FairFactory,
    JobPostingFactory,
    centre,
    city,
    industry,
)

pytestmark = pytest.mark.django_db

JOB_FIELDS = {
    "id",
    "remote",
    "url",
    "status",
    "title",
    "description",
    "employer",
    "province",
    "city",
    "address",
    "industry",
    "category",
    "tags",
    "employment_type",
    "education",
    "experience",
    "headcount",
    "salary",
    "fresh_graduate",
    "cohort",
    "fair",
    "source_centre",
    "published_at",
    "valid_through",
    "closed_at",
    "updated_at",
}


def _jobs(n: int, **kwargs) -> list[JobPosting]:
    """``n`` open vacancies published a minute apart, newest last."""
    start = timezone.now() - timedelta(days=1)
    employer = kwargs.pop("employer", None) or EmployerFactory()
    return [JobPostingFactory(employer=employer, published_at=start + timedelta(minutes=i), **kwargs) for i in range(n)]


def test_list_shows_open_vacancies_with_public_fields_only(client):
    employer = EmployerFactory(
        contact_name="王经理", contact_phone="021-12345678", contact_email="hr@secret.example.cn"
    )
    fair = FairFactory()
    job = JobPostingFactory(
        employer=employer, fair=fair, tags="五险一金 年终奖", rejection_reason="内部备注", external_id="X-1"
    )
    ApplicationFactory(job=job, cover_note="我的简历附言")
    JobPostingFactory(employer=employer, status=JobStatus.PENDING, title="待审核职位")
    JobPostingFactory(employer=EmployerFactory(verification_state="suspended"), title="暂停单位的职位")

    response = client.get("/api/v1/jobs/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    results = response.json()["results"]
    assert [r["id"] for r in results] == [job.pk]
    item = results[0]
    assert set(item) == JOB_FIELDS
    assert set(item["employer"]) == {"id", "name", "uscc", "ownership", "url"}
    assert item["status"] == "open"
    assert item["tags"] == ["五险一金", "年终奖"]
    assert item["fair"] == {"slug": fair.slug, "name": fair.name}
    assert item["salary"] == {"min": 8000, "max": 12000, "months": 12, "negotiable": False, "text": job.salary_display}
    assert item["province"] == {"code": "310000", "name": "上海市"}
    body = response.content.decode()
    for secret in ("021-12345678", "hr@secret.example.cn", "王经理", "内部备注", "X-1", "我的简历附言", "applications"):
        assert secret not in body


def test_detail_and_json_errors(client):
    job = JobPostingFactory()
    assert client.get(f"/api/v1/jobs/{job.pk}/").json()["title"] == job.title

    missing = client.get("/api/v1/jobs/999999/")
    assert missing.status_code == 404
    assert missing.json()["error"]["status"] == 404

    unknown_path = client.get("/api/v1/nothing/here/")
    assert unknown_path.status_code == 404
    assert unknown_path["Content-Type"] == "application/json"
    assert "/api/v1/nothing/here/" in unknown_path.json()["error"]["message"]

    post = client.post("/api/v1/jobs/", {"title": "x"}, content_type="application/json")
    assert post.status_code == 405
    assert post.json()["error"]["code"] == "method_not_allowed"
    assert JobPosting.objects.count() == 1


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("page_size=0", "page_size"),
        ("page_size=abc", "page_size"),
        ("page_size=100000", "page_size"),
        ("cursor=not-a-cursor", "cursor"),
        ("cursor=eyJzIjoiMSJ9", "cursor"),
        ("education=9", "education"),
        ("type=astronaut", "type"),
        ("salary_min=-5", "salary_min"),
        ("salary_min=lots", "salary_min"),
        ("updated_since=yesterday", "updated_since"),
        ("updated_since=2026-13-45T99:00:00", "updated_since"),
    ],
)
def test_bad_parameters_are_400_with_a_message(client, query, parameter):
    JobPostingFactory()
    response = client.get(f"/api/v1/jobs/?{query}")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert parameter in error["details"]
    assert error["message"]


def test_cursor_pagination_walks_every_vacancy_once_in_order(client, django_assert_max_num_queries):
    jobs = _jobs(25)
    expected = [job.pk for job in sorted(jobs, key=lambda j: (j.published_at, j.pk), reverse=True)]
    seen, url, pages = [], "/api/v1/jobs/?page_size=10", 0
    while url:
        with django_assert_max_num_queries(3):  # the page, then its cities' and industries' names (api.selectors)
            body = client.get(url).json()
        seen += [item["id"] for item in body["results"]]
        url, pages = body["next"], pages + 1
    assert pages == 3
    assert seen == expected


def test_cursor_survives_ties_and_rows_added_in_front(client):
    moment = timezone.now() - timedelta(hours=1)
    jobs = [JobPostingFactory(published_at=moment) for _ in range(7)]  # same timestamp: id breaks the tie
    first = client.get("/api/v1/jobs/?page_size=3").json()
    JobPostingFactory()  # newer: lands before the cursor, must not shift later pages
    rest = []
    url = first["next"]
    while url:
        body = client.get(url).json()
        rest += [item["id"] for item in body["results"]]
        url = body["next"]
    assert [i["id"] for i in first["results"]] + rest == sorted((j.pk for j in jobs), reverse=True)


def test_cursor_of_another_sort_is_refused(client):
    _jobs(5)
    cursor = client.get("/api/v1/jobs/?page_size=2").json()["next_cursor"]
    response = client.get(f"/api/v1/jobs/?page_size=2&sort=salary&cursor={cursor}")
    assert response.status_code == 400
    assert "cursor" in response.json()["error"]["details"]


def test_salary_sort_pages_through_nulls(client):
    employer = EmployerFactory()
    salaries = [None, 20000, 9000, None, 15000, 9000]
    jobs = [JobPostingFactory(employer=employer, salary_min=None, salary_max=s) for s in salaries]
    seen, url = [], "/api/v1/jobs/?sort=salary&page_size=2"
    while url:
        body = client.get(url).json()
        seen += [item["id"] for item in body["results"]]
        url = body["next"]
    assert len(seen) == len(jobs) == len(set(seen))
    values = [JobPosting.objects.get(pk=pk).salary_max for pk in seen]
    assert values[:4] == [20000, 15000, 9000, 9000]
    assert values[4:] == [None, None]


def test_updated_since_includes_closed_and_expired_with_their_status(client):
    old = _jobs(3)
    since = timezone.now()
    closed, expired, untouched = old
    job_close(job=closed, by=None)
    JobPosting.objects.filter(pk=expired.pk).update(status=JobStatus.EXPIRED, updated_at=timezone.now())
    new = JobPostingFactory()
    JobPostingFactory(status=JobStatus.DRAFT, published_at=None)  # never public: never mirrored

    response = client.get("/api/v1/jobs/", {"updated_since": since.isoformat()})

    assert response.status_code == 200
    items = response.json()["results"]
    assert {i["id"]: i["status"] for i in items} == {closed.pk: "closed", expired.pk: "expired", new.pk: "open"}
    updated = [i["updated_at"] for i in items]
    assert updated == sorted(updated)
    assert untouched.pk not in [i["id"] for i in items]
    # The plain list shows neither the closed nor the expired one.
    assert {i["id"] for i in client.get("/api/v1/jobs/").json()["results"]} == {untouched.pk, new.pk}


def test_updated_since_accepts_an_unencoded_plus_and_a_bare_date(client):
    job = JobPostingFactory()
    local = timezone.localtime(job.updated_at - timedelta(seconds=1))
    unencoded = local.strftime("%Y-%m-%dT%H:%M:%S+08:00")
    assert [i["id"] for i in client.get(f"/api/v1/jobs/?updated_since={unencoded}").json()["results"]] == [job.pk]
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert client.get(f"/api/v1/jobs/?updated_since={tomorrow}").json()["results"] == []


def test_withdrawn_vacancy_is_a_tombstone_without_its_unreviewed_content(client):
    job = JobPostingFactory()
    since = timezone.now()
    JobPosting.objects.filter(pk=job.pk).update(
        status=JobStatus.PENDING, title="改过但未审核的标题", updated_at=timezone.now()
    )
    items = client.get("/api/v1/jobs/", {"updated_since": since.isoformat()}).json()["results"]
    assert len(items) == 1
    assert items[0]["status"] == "withdrawn"
    assert items[0]["id"] == job.pk
    assert "改过但未审核的标题" not in str(items)
    detail = client.get(f"/api/v1/jobs/{job.pk}/").json()
    assert detail["status"] == "withdrawn"
    assert "改过但未审核的标题" not in str(detail)


def test_filters_apply_to_the_list(client):
    suzhou = EmployerFactory(city=city("320500"))
    in_suzhou = JobPostingFactory(employer=suzhou, education=2)
    JobPostingFactory(education=4)
    assert [i["id"] for i in client.get("/api/v1/jobs/?province=320000").json()["results"]] == [in_suzhou.pk]
    assert [i["id"] for i in client.get("/api/v1/jobs/?education=3").json()["results"]] == [in_suzhou.pk]


def test_facets(client):
    JobPostingFactory(employer=EmployerFactory(city=city("320500")))
    JobPostingFactory()
    JobPostingFactory()
    body = client.get("/api/v1/jobs/facets/").json()
    assert body["total"] == 3
    provinces = {f["value"]: f["count"] for f in body["facets"]["province"]}
    assert provinces == {"310000": 2, "320000": 1}


def test_relevance_sort_pages_through_a_ranked_search(client):
    from jobs.services import job_index

    employer = EmployerFactory()
    matching = [
        JobPostingFactory(employer=employer, title=title, description=text)
        for title, text in [
            ("Java开发工程师", "Java Java"),
            ("后端工程师", "使用Java"),
            ("Java架构师", ""),
            ("测试工程师", "了解Java"),
            ("Java实习生", "Java"),
        ]
    ]
    JobPostingFactory(employer=employer, title="会计", description="财务")
    for job in JobPosting.objects.all():
        job_index(job=job)
    seen, url = [], "/api/v1/jobs/?q=java&sort=relevance&page_size=2"
    while url:
        body = client.get(url).json()
        seen += [item["id"] for item in body["results"]]
        url = body["next"]
    assert sorted(seen) == sorted(job.pk for job in matching)
    assert len(seen) == len(set(seen))
    titled = {job.pk for job in matching if "Java" in job.title}
    assert set(seen[:3]) == titled  # title matches rank first


def test_errors_in_english_on_request(client):
    response = client.get("/api/v1/jobs/?page_size=0", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["error"]["message"] == "page_size: Must be a whole number from 1 to 1000."
    chinese = client.get("/api/v1/jobs/?page_size=0")
    assert "必须是 1 到 1000 之间的整数" in chinese.json()["error"]["message"]


def test_updated_since_returns_the_vacancies_of_a_suspended_and_reinstated_employer(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from employers.services import employer_suspend, employer_verify
    from tests.moderation_helpers import staff

    employer = EmployerFactory(city=city("320500"))
    published = _jobs(2, employer=employer)
    closed = JobPostingFactory(employer=employer, status=JobStatus.CLOSED)
    in_review = JobPostingFactory(employer=employer, status=JobStatus.PENDING)  # edited after publication
    elsewhere = JobPostingFactory()
    moderator = staff("320000")
    review_since = JobPosting.objects.get(pk=in_review.pk).updated_at

    def changed(since) -> dict[int, str]:
        response = client.get("/api/v1/jobs/", {"updated_since": since.isoformat()})
        assert response.status_code == 200
        return {item["id"]: item["status"] for item in response.json()["results"]}

    since = timezone.now()
    assert changed(since) == {}
    with CaptureQueriesContext(connection) as queries:
        employer_suspend(employer=employer, by=moderator, reason="发布虚假招聘信息")
    job_updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "jobs_jobposting"')]
    assert len(job_updates) == 1

    # Both published vacancies went from open to withdrawn; the closed one, the one in review and another
    # employer's vacancy read as before, so they are not sent again.
    assert changed(since) == {job.pk: "withdrawn" for job in published}
    assert JobPosting.objects.get(pk=in_review.pk).updated_at == review_since  # its place in the review queue

    since = timezone.now()
    employer_verify(employer=employer, by=moderator, reason="已整改")
    assert changed(since) == {job.pk: "open" for job in published}
    assert closed.pk not in changed(since) and elsewhere.pk not in changed(since)


def test_mirror_walk_bounds_the_index_on_its_not_null_columns(client):
    """``updated_at`` and ``id`` are NOT NULL: the next page's condition has no "OR … IS NULL" branch, which would keep
    PostgreSQL from starting the index scan at the cursor (every page would re-read the rows before it)."""
    jobs = _jobs(5)
    since = (timezone.now() - timedelta(days=2)).isoformat().replace("+", "%2B")
    url, seen = f"/api/v1/jobs/?page_size=2&updated_since={since}", []
    while url:
        with CaptureQueriesContext(connection) as queries:
            body = client.get(url).json()
        seen += [item["id"] for item in body["results"]]
        if "cursor=" in url:
            assert "IS NULL" not in queries[-1]["sql"]
        url = body["next"]
    assert seen == sorted(j.pk for j in jobs)


def test_names_of_cities_industries_fairs_and_centres_on_a_page(client, django_assert_max_num_queries):
    """The reference names are read apart from the page's vacancies (``api.selectors.with_reference_names``): each
    row still gets its own city, province, industry, fair and source centre, in a fixed number of queries."""
    fairs = [FairFactory(), FairFactory()]
    cases = [
        ("310115", "I", fairs[0], centre("sh-talent")),
        ("320500", "C", fairs[1], None),
        ("330100", "I", None, centre("zj-talent")),
        ("340100", "F", None, None),
    ]
    expected = {}
    for code, industry_code, fair, source in cases:
        place, sector = city(code), industry(industry_code)
        job = JobPostingFactory(employer=EmployerFactory(city=place), city=place, industry=sector, fair=fair)
        JobPosting.objects.filter(pk=job.pk).update(source=source)
        expected[job.pk] = {
            "province": {"code": place.province.code, "name": place.province.name},
            "city": {"code": place.code, "name": place.name},
            "industry": {"code": sector.code, "name": sector.name},
            "fair": {"slug": fair.slug, "name": fair.name} if fair else None,
            "source_centre": source.slug if source else None,
        }

    with django_assert_max_num_queries(5):  # the page; cities with provinces; industries; fairs; centres
        results = client.get("/api/v1/jobs/").json()["results"]

    assert {item["id"]: {key: item[key] for key in expected[item["id"]]} for item in results} == expected
    for pk, names in expected.items():
        detail = client.get(f"/api/v1/jobs/{pk}/").json()
        assert {key: detail[key] for key in names} == names


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_salary_text_of_every_vacancy_on_a_page(client, language):
    """The serializer makes each distinct salary text once per page; every row still gets its own, in the language
    asked for, as the vacancy page shows it."""
    employer = EmployerFactory()
    salaries = [
        {},
        {},  # the same range again
        {"salary_months": 13},
        {"salary_min": 8500, "salary_max": None},
        {"salary_min": None, "salary_max": 12000},
        {"salary_min": None, "salary_max": None, "salary_negotiable": True},
        {"salary_min": None, "salary_max": None, "salary_text": "按件计酬"},
        {"salary_min": 15000, "salary_max": 15000},
    ]
    jobs = [JobPostingFactory(employer=employer, **salary) for salary in salaries]
    results = client.get("/api/v1/jobs/", HTTP_ACCEPT_LANGUAGE=language).json()["results"]
    with translation.override(language):
        expected = {job.pk: job.salary_display for job in jobs}
    assert {item["id"]: item["salary"]["text"] for item in results} == expected
    assert len(set(expected.values())) == len(salaries) - 1
