"""The search page: Chinese segmentation, ranking, visibility, facets, bad parameters and query counts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobs import selectors
from jobs.models import JobPosting, JobStatus
from jobs.selectors import format_count, job_search
from tests.factories import EmployerFactory, FairFactory, JobPostingFactory, centre, city, industry

pytestmark = pytest.mark.django_db


def titles(response_or_page) -> list[str]:
    jobs = response_or_page.context["jobs"] if hasattr(response_or_page, "context") else response_or_page.jobs
    return [job.title for job in jobs]


def search(client, **params):
    response = client.get("/jobs/", params)
    assert response.status_code == 200
    return response


# --- Chinese search (issue item 3) --------------------------------------------------------------------------------


def test_software_engineer_finds_software_development_engineer(client):
    JobPostingFactory(title="软件开发工程师", description="负责系统开发。")
    JobPostingFactory(title="行政助理", description="负责日常行政事务。")
    assert titles(search(client, q="软件工程师")) == ["软件开发工程师"]


def test_latin_words_are_case_folded_and_kept_whole(client):
    JobPostingFactory(title="Java开发工程师", description="Spring Boot")
    JobPostingFactory(title="C++开发工程师", description="Qt")
    JobPostingFactory(title="C语言嵌入式开发", description="单片机")
    assert titles(search(client, q="java")) == ["Java开发工程师"]
    assert titles(search(client, q="JAVA")) == ["Java开发工程师"]
    assert titles(search(client, q="c++")) == ["C++开发工程师"]


def test_place_and_subject_rank_the_local_mechanical_vacancy_first(client):
    suzhou, nanjing = city("320500"), city("320100")
    employer_sz = EmployerFactory(city=suzhou, industry=industry("C"), name="苏州精工装备有限公司")
    employer_nj = EmployerFactory(city=nanjing, industry=industry("C"), name="南京重工装备有限公司")
    JobPostingFactory(employer=employer_nj, title="机械工程师", description="苏州客户现场支持，机械装配。")
    JobPostingFactory(employer=employer_sz, title="机械设计工程师", description="负责非标机械设计。")
    JobPostingFactory(employer=employer_sz, title="软件测试工程师", description="测试机械控制软件。")
    result = titles(search(client, q="苏州 机械"))
    assert result[0] == "机械设计工程师"
    assert set(result) == {"机械设计工程师", "机械工程师", "软件测试工程师"}


def test_a_title_match_outranks_a_description_only_match(client):
    JobPostingFactory(title="行政助理", description="协助数据分析师整理报表，数据分析相关工作。")
    JobPostingFactory(title="数据分析师", description="负责报表。")
    assert titles(search(client, q="数据分析"))[0] == "数据分析师"


def test_one_character_query_finds_words_in_titles(client):
    JobPostingFactory(title="会计", description="负责账务处理。")
    JobPostingFactory(title="出纳", description="负责现金管理。")
    assert titles(search(client, q="会")) == ["会计"]


@pytest.mark.parametrize("text", ["！！！", "%%%", "'", "&|!", "\\", "()", "   ", "<>"])
def test_punctuation_only_queries_do_not_fail(client, text):
    JobPostingFactory(title="会计")
    response = search(client, q=text)
    assert titles(response) == ["会计"]  # nothing to search for: the whole catalogue


@pytest.mark.parametrize(
    ("query", "field", "text"),
    [
        ("五险一金", "tags", "五险一金 年终奖"),
        ("年假", "description", "享受带薪年假与节日福利。"),
        ("管培生", "title", "2026届管培生"),
        ("应届生", "description", "欢迎应届生投递。"),
    ],
)
def test_job_market_words_are_found(client, query, field, text):
    JobPostingFactory(**{"title": "储备干部", "description": "负责门店运营。", field: text})
    JobPostingFactory(title="无关职位", description="负责门店运营。", tags="双休")
    assert titles(search(client, q=query)) == [text if field == "title" else "储备干部"]


def test_edits_through_services_keep_the_index_current(client):
    from jobs.services import job_save_by_staff, job_update

    job = JobPostingFactory(title="出纳", status=JobStatus.DRAFT, published_at=None)
    job_update(job=job, by=None, title="财务分析师")
    job.refresh_from_db()
    job.status = JobStatus.PUBLISHED
    job.published_at = timezone.now()
    job_save_by_staff(job=job, by=None)
    assert titles(search(client, q="财务分析")) == ["财务分析师"]
    assert titles(search(client, q="出纳")) == []
    job.title = "审计助理"
    job_save_by_staff(job=job, by=None)
    assert titles(search(client, q="审计")) == ["审计助理"]


def test_rebuild_search_index_command(client, settings):
    from io import StringIO

    settings.SEARCH_CACHE_TTL = 0  # the same search before and after: nothing shared between the two

    from django.core.management import call_command

    JobPostingFactory.create_batch(3, title="调香师")
    JobPosting.objects.update(search_vector=None)
    assert titles(search(client, q="调香师")) == []
    out = StringIO()
    call_command("rebuild_search_index", "--batch-size", "2", stdout=out)
    assert "3/3" in out.getvalue()
    assert titles(search(client, q="调香师")) == ["调香师"] * 3


# --- visibility (issue item 4) -------------------------------------------------------------------------------------


def test_only_published_valid_vacancies_of_public_employers_appear(client):
    now = timezone.now()
    JobPostingFactory(title="可见职位")
    JobPostingFactory(
        title="中心导入职位", employer=EmployerFactory(verification_state="pending", source_centre=centre())
    )
    JobPostingFactory(title="草稿职位", status=JobStatus.DRAFT)
    JobPostingFactory(title="待审职位", status=JobStatus.PENDING)
    JobPostingFactory(title="未通过职位", status=JobStatus.REJECTED)
    JobPostingFactory(title="已关闭职位", status=JobStatus.CLOSED)
    JobPostingFactory(title="已过期状态职位", status=JobStatus.EXPIRED)
    JobPostingFactory(title="超过有效期职位", valid_through=now - timedelta(minutes=1))
    JobPostingFactory(title="未认证单位职位", employer=EmployerFactory(verification_state="pending"))
    JobPostingFactory(title="被拒单位职位", employer=EmployerFactory(verification_state="rejected"))
    JobPostingFactory(
        title="暂停的中心单位职位", employer=EmployerFactory(verification_state="suspended", source_centre=centre())
    )
    visible = {"可见职位", "中心导入职位"}
    assert set(JobPosting.objects.published().values_list("title", flat=True)) == visible
    response = search(client)
    assert set(titles(response)) == visible
    assert response.context["search"].total == 2
    assert set(titles(search(client, q="职位"))) == visible


# --- filters and facets (issue items 1 and 2) ------------------------------------------------------------------------


@pytest.fixture
def catalogue():
    """Nine vacancies over three provinces, two industries, three education levels and two types."""
    specs = [
        ("320500", "C", "private", 3, "full_time", 9000, "机械设计工程师"),
        ("320500", "C", "state", 2, "full_time", 7000, "机械工程师"),
        ("320100", "C", "private", 4, "internship", 3000, "机械研发实习生"),
        ("320100", "I", "foreign", 3, "full_time", 15000, "软件开发工程师"),
        ("310115", "I", "private", 3, "full_time", 20000, "Java开发工程师"),
        ("310115", "I", "private", 5, "full_time", 30000, "算法研究员"),
        ("310104", "C", "state", 1, "full_time", 6000, "数控操作工"),
        ("330100", "I", "private", 2, "campus", 8000, "前端开发工程师"),
        ("330100", "C", "foreign", 0, "full_time", None, "机械装配技工"),
    ]
    jobs = []
    for code, section, ownership, education, kind, salary, title in specs:
        employer = EmployerFactory(city=city(code), industry=industry(section), ownership=ownership)
        jobs.append(
            JobPostingFactory(
                employer=employer,
                title=title,
                education=education,
                employment_type=kind,
                salary_min=salary,
                salary_max=salary,
                salary_negotiable=salary is None,
            )
        )
    return jobs


def facet(page, name) -> dict[str, int | None]:
    for f in page.facets:
        if f.name == name:
            return {option.value: option.count for option in f.options}
    raise AssertionError(f"no facet {name}")


def test_facets_add_up_to_the_total(client, catalogue):
    page = job_search({})
    assert page.total == 9 and not page.estimated
    for name in ("province", "industry", "ownership", "type"):
        assert sum(facet(page, name).values()) == 9, name
    assert facet(page, "province") == {"310000": 3, "320000": 4, "330000": 2, "340000": 0}
    assert '江苏</a> <span class="count">(4)</span>' in client.get("/jobs/").content.decode()
    assert facet(page, "industry")["C"] == 5 and facet(page, "industry")["I"] == 4
    # education is "at most this level": cumulative counts ending at the total
    assert facet(page, "education") == {"0": 1, "1": 2, "2": 4, "3": 7, "4": 8, "5": 9}


def test_facets_follow_the_query_and_the_other_filters(catalogue):
    page = job_search({"q": "机械"})
    assert page.total == 4
    assert facet(page, "province") == {"310000": 0, "320000": 3, "330000": 1, "340000": 0}
    page = job_search({"q": "机械", "industry": "C", "province": "320000"})
    assert page.total == 3
    # each facet counts under the *other* filters: provinces ignore the province filter, not the industry one
    assert facet(page, "province") == {"310000": 0, "320000": 3, "330000": 1, "340000": 0}
    assert facet(page, "city")["320500"] == 2
    assert facet(page, "city")["320100"] == 1
    assert facet(page, "ownership") == {"state": 1, "private": 2, "foreign": 0, "other": 0}
    assert sum(facet(page, "type").values()) == page.total


def test_filters_narrow_the_results(client, catalogue):
    assert set(titles(search(client, province="310000"))) == {"Java开发工程师", "算法研究员", "数控操作工"}
    assert set(titles(search(client, city="320500"))) == {"机械设计工程师", "机械工程师"}
    assert set(titles(search(client, industry="I", education="3"))) == {
        "软件开发工程师",
        "Java开发工程师",
        "前端开发工程师",
    }
    assert set(titles(search(client, ownership="foreign"))) == {"软件开发工程师", "机械装配技工"}
    assert titles(search(client, type="campus")) == ["前端开发工程师"]
    assert set(titles(search(client, salary_min="15000"))) == {"软件开发工程师", "Java开发工程师", "算法研究员"}
    assert titles(search(client, sort="salary"))[:2] == ["算法研究员", "Java开发工程师"]


def test_fresh_fair_and_posted_within_filters(client):
    fair = FairFactory(slug="csj-2026")
    JobPostingFactory(title="校招管培生", fresh_graduate=True, fair=fair)
    JobPostingFactory(title="资深架构师", published_at=timezone.now() - timedelta(days=20))
    assert titles(search(client, fresh="1")) == ["校招管培生"]
    assert titles(search(client, fair="csj-2026")) == ["校招管培生"]
    assert titles(search(client, posted_within="7")) == ["校招管培生"]
    assert set(titles(search(client, posted_within="30"))) == {"校招管培生", "资深架构师"}


def test_sampled_counts_are_marked_estimated_and_a_whole_table_sample_is_exact(catalogue, monkeypatch, settings):
    settings.SEARCH_CACHE_TTL = 0  # the same search counted four ways: nothing shared between them
    exact = job_search({"q": "机械", "province": "320000"})
    monkeypatch.setattr(selectors, "EXACT_LIMIT", 2)
    monkeypatch.setattr(selectors, "SAMPLE_ROWS_MIN", 10_000_000)  # the "sample" is the whole table: exact after all
    monkeypatch.setattr(selectors, "SAMPLE_ROWS_MAX", 10_000_000)
    whole = job_search({"q": "机械", "province": "320000"})
    assert whole.total == exact.total == 3 and not whole.estimated and whole.total_display == "3"
    for name in ("province", "city", "industry", "ownership", "type", "education"):
        assert facet(whole, name) == facet(exact, name), name
    monkeypatch.setattr(selectors, "SAMPLE_ROWS_MIN", 10)
    monkeypatch.setattr(selectors, "SAMPLE_ROWS_MAX", 10)
    monkeypatch.setattr(selectors, "_table_rows", lambda: 1_000)  # a 1 % sample of a "large" table: estimated
    sampled = job_search({"q": "机械", "province": "320000"})
    assert sampled.estimated and sampled.total_display.startswith("约")
    monkeypatch.setattr(selectors, "EXACT_LIMIT", 5)
    narrow = job_search({"province": "330000"})  # the relaxed set is large, the result small: exact total
    assert narrow.total == 2 and not narrow.estimated


def test_estimates_are_rounded_honestly():
    assert format_count(312_345, True) == "约 31万"
    assert format_count(1_234, True) == "约 1,200"
    assert format_count(1_234, False) == "1,234"


def test_zero_results_offer_to_drop_the_narrowest_filter(client, catalogue):
    response = search(client, q="机械", province="310000", type="internship")
    page = response.context["search"]
    assert page.total == 0
    best = page.suggestions[0]
    assert str(best.label) == "省份" and best.count == 1  # dropping the province finds the 南京 internship
    assert "province" not in best.url and "type=internship" in best.url
    assert "去掉“省份”" in response.content.decode()


# --- bad parameters -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"province": "999999"},
        {"city": "abc"},
        {"industry": "Z"},
        {"ownership": "martian"},
        {"education": "9"},
        {"type": "forever"},
        {"salary_min": "abc"},
        {"salary_min": "-5"},
        {"salary_min": "1e309"},
        {"posted_within": "365"},
        {"fresh": "maybe"},
        {"fair": "no-such-fair"},
        {"sort": "random"},
        {"q": "软件" * 200},
    ],
)
def test_bad_parameters_give_a_friendly_page(client, catalogue, params):
    response = search(client, **params)
    assert response.context["search"].errors
    assert "部分筛选条件无效" in response.content.decode()
    assert len(titles(response)) == 9  # the bad parameter is ignored, nothing else changes


def test_a_bad_parameter_leaves_the_query_and_the_other_filters_working(client, catalogue):
    response = search(client, q="机械", province="320000", salary_min="abc", sort="bogus")
    page = response.context["search"]
    assert set(page.errors) == {"salary_min", "sort"}
    assert page.query == "机械" and page.sort == "relevance"
    assert set(titles(response)) == {"机械设计工程师", "机械工程师", "机械研发实习生"}
    assert "“机械”的职位" in response.content.decode()


@pytest.mark.parametrize("page", ["999999", "abc", "0", "-1"])
def test_out_of_range_pages_are_clamped(client, catalogue, page):
    response = search(client, page=page)
    assert response.context["search"].page_clamped
    assert len(titles(response)) == 9


def test_page_links_keep_the_filters(client):
    JobPostingFactory.create_batch(25, title="销售代表")
    response = search(client, q="销售", province="310000")
    html = response.content.decode()
    assert "page=2" in html and "q=%E9%94%80%E5%94%AE&amp;province=310000&amp;page=2" in html
    second = search(client, q="销售", province="310000", page="2")
    assert len(titles(second)) == 5


# --- query count guard (issue item 7) -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params", [{}, {"q": "工程师"}, {"q": "工程师", "province": "320000", "industry": "C", "education": "3"}]
)
def test_search_page_query_count_does_not_grow_with_results(client, django_assert_max_num_queries, params):
    for code in ("320500", "310115", "330100"):
        employer = EmployerFactory(city=city(code), industry=industry("C"))
        JobPostingFactory.create_batch(10, employer=employer, title="机械工程师", fair=FairFactory())
    with django_assert_max_num_queries(10):
        response = search(client, **params)
    assert len(response.context["jobs"]) > 0
