"""Values as partners write them (issue: real-world feed shapes): experience ranges, bare dates, headcounts and
education below high school — table tests of the normaliser, and one feed synced over HTTP end to end."""

from datetime import datetime, time

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from feeds.normalise import _place, experience, parse_headcount, parse_when
from jobs.models import JobPosting
from jobs.parsing import parse_education
from regions.resolver import province_place

from .feedkit import jsonld, posting
from .test_sync import sync

BEIJING = timezone.get_default_timezone()


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("1-3年", 1),  # a range asks its lower bound
        ("3-5年", 3),
        ("5-10年", 5),
        ("1~3年", 1),
        ("1～3年", 1),
        ("3至5年", 3),
        ("2-4年", 1),  # two years: "1年以上" is the step it meets
        ("1-3 years", 1),
        ("3年以上", 3),
        ("10年以上", 10),
        ("5+ years", 5),
        ("经验3年", 3),
        ("1年以内", 0),
        ("1年以下", 0),
        ("无经验", 0),
        ("经验不限", 0),
        ("不限", 0),
        ("在校/应届", 0),
        ("应届毕业生", 0),
        ("", 0),
    ],
)
def test_experience(text, years):
    assert experience(text) == years


@pytest.mark.parametrize(
    "text",
    [
        "2026-06-30",
        "2026/6/30",
        "2026/06/30",
        "2026.6.30",
        "2026年6月30日",
        "2026年06月30日",
        "20260630",
        " 2026-06-30 ",
    ],
)
def test_a_bare_date_is_the_end_of_that_day_in_beijing(text):
    moment = parse_when(text, end_of_day=True)
    assert moment == datetime(2026, 6, 30, 23, 59, 59, 999999, tzinfo=BEIJING)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-06-30T12:00:00+08:00", datetime(2026, 6, 30, 12, tzinfo=BEIJING)),
        ("2026-06-30T04:00:00Z", datetime(2026, 6, 30, 12, tzinfo=BEIJING)),
        ("2026-06-30 12:00", datetime(2026, 6, 30, 12, tzinfo=BEIJING)),  # no offset: Beijing time
    ],
)
def test_a_time_is_kept(text, expected):
    assert parse_when(text, end_of_day=True) == expected


def test_a_bare_date_posted_is_the_start_of_that_day():
    assert parse_when("2026-06-30", end_of_day=False) == datetime.combine(
        datetime(2026, 6, 30).date(), time.min, tzinfo=BEIJING
    )


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("3", 3),
        ("3人", 3),
        ("招3人", 3),
        ("招 3 人", 3),
        ("招聘5名", 5),
        ("10位", 10),
        ("３人", 3),  # full-width digits
        ("3-5人", 3),  # a range: its lower bound
        ("若干", 1),  # documented as 1
        ("若干名", 1),
        ("招若干人", 1),
        ("不限", 1),
        ("多名", 1),
    ],
)
def test_headcount(text, count):
    assert parse_headcount(text) == count


@pytest.mark.parametrize("text", ["0", "-1", "abc", "三人", "100000"])
def test_an_unreadable_headcount_is_none(text):
    assert parse_headcount(text) is None


@pytest.mark.parametrize(("text", "level"), [("初中及以下", 0), ("初中", 0), ("高中及以下", 0), ("中专及以下学历", 0)])
def test_education_below_high_school_is_no_requirement(text, level):
    assert parse_education(text) == level


def test_a_feed_with_these_shapes_imports_without_warnings(make_source):
    source = make_source()
    body = jsonld(
        posting("V1", experienceRequirements="3-5年", totalJobOpenings="招3人", validThrough="2099-06-30"),
        posting("V2", experienceRequirements="1年以内", totalJobOpenings="若干", educationRequirements="初中及以下"),
        posting("V3", experienceRequirements="经验不限", totalJobOpenings="招若干人", validThrough="2099/6/30"),
    )
    run = sync(source, body)
    assert (run.created, run.rejected) == (3, 0), run.error
    assert not run.issues.exists()  # no warning: every value was read
    jobs = {job.external_id.rsplit("/", 1)[-1]: job for job in JobPosting.objects.filter(source=source.centre)}
    assert (jobs["V1"].experience, jobs["V1"].headcount) == (3, 3)
    assert (jobs["V2"].experience, jobs["V2"].headcount, jobs["V2"].education) == (0, 1, 0)
    end_of_day = datetime(2099, 6, 30, 23, 59, 59, tzinfo=BEIJING)
    for key in ("V1", "V3"):
        assert timezone.localtime(jobs[key].valid_through).replace(microsecond=0) == end_of_day


def test_the_experience_as_written_and_the_postings_own_link_are_kept_and_shown(make_source, client, settings):
    source = make_source()
    sync(
        source,
        jsonld(
            posting("E1", experienceRequirements="1-3年", url="https://jobs.partner.example.cn/p/E1"),
            posting("E2", title="会计", url="javascript:alert(1)"),
            posting("E3", title="出纳", url=f"{settings.SITE_URL}/jobs/5/"),
        ),
    )
    jobs = {job.external_id.rsplit("/", 1)[-1]: job for job in JobPosting.objects.filter(source=source.centre)}
    assert (jobs["E1"].experience, jobs["E1"].experience_text) == (1, "1-3年")
    assert jobs["E1"].original_url == "https://jobs.partner.example.cn/p/E1"
    assert jobs["E2"].original_url == ""  # never a javascript: link
    assert jobs["E3"].original_url == ""  # our own page is not an original
    page = client.get(f"/jobs/{jobs['E1'].pk}/").content.decode()
    assert "（1-3年）" in page
    assert 'href="https://jobs.partner.example.cn/p/E1" rel="nofollow noopener noreferrer external"' in page


@pytest.mark.parametrize(
    ("place", "province"),
    [
        ("上海", "310000"),
        ("上海市", "310000"),
        ({"@type": "PostalAddress", "addressRegion": "上海市"}, "310000"),
        ("江苏省", "320000"),
        ("江苏", "320000"),
        ("Zhejiang Province", "330000"),
        ("Anhui", "340000"),
        ("340000", "340000"),
    ],
)
def test_resolve_place_names_only_the_province_for_a_province(place, province):
    text = place if isinstance(place, str) else place["addressRegion"]
    match = _place(text)
    assert match.province.code == province and match.city is None
    assert province_place(match.province).code == province


def test_a_place_naming_only_the_province_is_the_province_as_a_place(make_source, client):
    """Not refused and not guessed from the employer's registration (the employer is registered in 苏州): placed in
    the province, found by it, shown without a city, and a facet option of its own."""
    source = make_source()
    run = sync(
        source,
        jsonld(
            posting("P1", title="外贸跟单员", jobLocation={"address": "上海"}),
            posting("P2", title="区域销售代表", jobLocation={"address": {"addressRegion": "江苏省"}}),
            posting("P3", title="质量工程师", jobLocation={"address": "Anhui"}),
        ),
    )
    assert (run.created, run.rejected, run.warnings) == (3, 0, 0), list(run.issues.values_list("reason", flat=True))
    jobs = {job.external_id.rsplit("/", 1)[-1]: job for job in JobPosting.objects.filter(source=source.centre)}
    assert {key: job.city_id for key, job in jobs.items()} == {"P1": "310000", "P2": "320000", "P3": "340000"}
    assert all(job.city.is_province_level for job in jobs.values())

    page = client.get(f"/jobs/{jobs['P1'].pk}/").content.decode()
    assert "<dd>上海市</dd>" in page  # the place, with no district
    assert "上海 上海市" not in page

    listing = client.get("/jobs/", {"province": "320000"}).content.decode()
    assert "区域销售代表" in listing and "外贸跟单员" not in listing
    assert "未写明城市" in listing  # the city facet names where these are
    assert "区域销售代表" in client.get("/jobs/", {"q": "江苏 销售"}).content.decode()
    assert "区域销售代表" in client.get("/jobs/", {"city": "320000"}).content.decode()


@pytest.mark.django_db
def test_people_never_choose_the_province_as_a_place():
    """Registration and the vacancy form list real cities and districts only; posting the province's code is refused."""
    from employers.forms import CityChoiceField, city_choices

    codes = {code for _group, options in city_choices()[1:] for code, _name in options}
    assert "320500" in codes and "310115" in codes
    assert not codes & {"310000", "320000", "330000", "340000"}
    field = CityChoiceField(label="city")
    with pytest.raises(ValidationError):
        field.clean("310000")
