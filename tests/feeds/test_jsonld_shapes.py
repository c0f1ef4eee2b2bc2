"""JSON-LD as publishers write it: a record's key (identifier, url, @id or derived), title or name, a salary in
another currency, HTML escaped once too often; and what we publish uses schema.org properties only."""

import pytest

from feeds.normalise import employment_type
from feeds.parsers import parse
from jobs.jsonld import job_posting_jsonld
from jobs.models import JobPosting
from tests.factories import JobPostingFactory

from .feedkit import jsonld, posting
from .test_sync import sync

pytestmark = pytest.mark.django_db


def _fields(**overrides):
    [record] = list(parse(jsonld(posting("K", **overrides)), format="jsonld"))
    return record


@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        ({"identifier": "JS-1"}, "JS-1"),
        ({"identifier": 778}, "778"),
        # A PropertyValue's value, qualified by its scheme: propertyID, else name.
        ({"identifier": {"@type": "PropertyValue", "name": "编号", "value": "Z9"}}, "编号:Z9"),
        ({"identifier": [{"@type": "PropertyValue", "propertyID": "zhaopin", "value": 123}]}, "zhaopin:123"),
        ({"identifier": {"@type": "PropertyValue", "propertyID": "zhaopin", "name": "智联", "value": 7}}, "zhaopin:7"),
        ({"identifier": {"@type": "PropertyValue", "value": "P-8"}}, "P-8"),  # no scheme: the value
        ({"identifier": [{"@type": "PropertyValue", "name": "x"}, "Q-1"]}, "Q-1"),  # the first that has a value
        ({"identifier": None, "url": "https://jobs.example.cn/p/5", "@id": "#p5"}, "https://jobs.example.cn/p/5"),
        ({"identifier": None, "@id": "https://jobs.example.cn/p/6"}, "https://jobs.example.cn/p/6"),
    ],
)
def test_a_records_key(overrides, key):
    record = _fields(**overrides)
    assert record.external_id == key
    assert record.fields["id_derived"] == ""


def test_a_record_without_any_key_gets_a_derived_one_and_a_warning(make_source):
    record = _fields(identifier=None, datePosted="2026-03-01")
    assert record.external_id.startswith("derived-")
    assert record.external_id == _fields(identifier=None, datePosted="2026-03-01").external_id  # stable
    assert record.external_id != _fields(identifier=None, datePosted="2026-03-02").external_id
    source = make_source()
    run = sync(source, jsonld(posting("x", identifier=None, datePosted="2026-03-01")))
    assert run.created == 1
    assert run.issues.filter(field="id").exists()


def test_two_different_records_with_one_key_are_reported_not_merged(make_source):
    source = make_source()
    run = sync(source, jsonld(posting("SAME", title="电气工程师"), posting("SAME", title="会计")))
    assert run.created == 1
    assert run.rejected == 1
    assert JobPosting.objects.filter(source=source.centre).count() == 1


def test_title_or_name():
    assert _fields(title=None, name="数据分析师").fields["title"] == "数据分析师"
    assert _fields(title="算法工程师", name="别的").fields["title"] == "算法工程师"


@pytest.mark.parametrize(
    "overrides",
    [
        {"baseSalary": 100000, "salaryCurrency": "USD"},
        {"baseSalary": "100000", "salaryCurrency": "usd"},
        {"baseSalary": {"@type": "MonetaryAmount", "value": 5000}, "salaryCurrency": "EUR"},
        {"baseSalary": {"@type": "MonetaryAmount", "currency": "HKD", "value": {"minValue": 20000, "maxValue": 30000}}},
    ],
)
def test_a_salary_in_another_currency_is_kept_as_text_and_flagged(make_source, overrides):
    source = make_source()
    run = sync(source, jsonld(posting("FX", **overrides)))
    job = JobPosting.objects.get(source=source.centre)
    assert job.salary_unparsed
    assert (job.salary_min, job.salary_max) == (None, None)
    assert run.issues.filter(field="salary").exists()


def test_a_cny_salary_is_read():
    assert _fields(baseSalary=12000, salaryCurrency="CNY").fields["salary"] == "12000"


def test_html_escaped_once_too_often_is_unescaped_then_sanitised(make_source):
    source = make_source()
    sync(
        source,
        jsonld(
            posting(
                "H",
                description="&lt;p&gt;负责&lt;strong&gt;固件&lt;/strong&gt;开发&lt;script&gt;x()&lt;/script&gt;&lt;/p&gt;",
            )
        ),
    )
    description = JobPosting.objects.get(source=source.centre).description
    assert "<strong>固件</strong>" in description
    assert "&lt;" not in description
    assert "script" not in description


# Every property schema.org defines for these types (the ones our output uses), to check we invent none.
SCHEMA = {
    "JobPosting": {
        "@context", "@type", "@id", "url", "identifier", "title", "description", "datePosted", "validThrough",
        "employmentType", "hiringOrganization", "jobLocation", "industry", "totalJobOpenings", "directApply",
        "occupationalCategory", "jobBenefits", "educationRequirements", "experienceRequirements", "baseSalary",
        "qualifications", "jobStartDate", "salaryCurrency",
    },
    "Organization": {"@type", "name", "identifier", "additionalType", "address", "url", "sameAs", "logo"},
}  # fmt: skip


def test_what_we_publish_uses_schema_org_properties_only():
    job = JobPostingFactory(tags="五险一金", category="研发")
    job = JobPosting.objects.with_related().get(pk=job.pk)
    data = job_posting_jsonld(job)
    assert set(data) <= SCHEMA["JobPosting"], set(data) - SCHEMA["JobPosting"]
    organisation = data["hiringOrganization"]
    assert set(organisation) <= SCHEMA["Organization"], set(organisation) - SCHEMA["Organization"]
    assert organisation["additionalType"] == job.employer.ownership


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        (["CONTRACTOR"], "contractor"),  # never full-time
        (["TEMPORARY"], "temporary"),
        (["PER_DIEM"], "per_diem"),
        (["VOLUNTEER"], "volunteer"),
        (["OTHER"], "other"),
        (["劳务派遣"], "contractor"),
        (["日结"], "per_diem"),
        (["FULL_TIME"], "full_time"),
        (["PART_TIME"], "part_time"),
        (["INTERN"], "internship"),
        (["FULL_TIME", "CONTRACTOR"], "full_time"),  # several: the first kind in our order
    ],
)
def test_employment_types_are_kept_as_published(values, kind):
    assert employment_type(values) == kind


def test_a_contractor_job_round_trips(make_source):
    source = make_source()
    sync(source, jsonld(posting("C1", employmentType="CONTRACTOR")))
    job = JobPosting.objects.with_related().get(source=source.centre)
    assert job.employment_type == "contractor"
    assert job_posting_jsonld(job)["employmentType"] == ["CONTRACTOR"]


@pytest.mark.parametrize(
    ("organisation", "website"),
    [
        ({"sameAs": "https://www.huichuan.example.cn"}, "https://www.huichuan.example.cn"),
        ({"url": "http://hc.example.cn/", "sameAs": ["https://weibo.example.cn/hc"]}, "http://hc.example.cn/"),
        ({"sameAs": ["weixin:hc", "https://hc.example.cn"]}, "https://hc.example.cn"),
        ({"url": "javascript:alert(1)"}, ""),
        ({"url": "https://x.example.cn/" + "a" * 300}, ""),
    ],
)
def test_a_new_employers_website_comes_from_its_url_or_same_as(make_source, organisation, website):
    source = make_source()
    base = posting("W")["hiringOrganization"]
    sync(source, jsonld(posting("W", hiringOrganization={**base, **organisation})))
    assert JobPosting.objects.get(source=source.centre).employer.website == website


def test_our_own_employer_page_is_not_taken_for_the_employers_website(make_source, settings):
    source = make_source()
    base = posting("O")["hiringOrganization"]
    ours = {**base, "url": f"{settings.SITE_URL}/employers/7/", "sameAs": "https://www.real.example.cn"}
    sync(source, jsonld(posting("O", hiringOrganization=ours)))
    assert JobPosting.objects.get(source=source.centre).employer.website == "https://www.real.example.cn"


def test_two_schemes_with_one_value_are_two_records(make_source):
    source = make_source()
    run = sync(
        source,
        jsonld(
            posting("a", identifier={"@type": "PropertyValue", "propertyID": "51job", "value": "1001"}),
            posting("b", title="会计", identifier={"@type": "PropertyValue", "propertyID": "zhaopin", "value": "1001"}),
        ),
    )
    assert (run.created, run.rejected) == (2, 0)


def test_records_stored_under_their_bare_identifier_are_adopted_not_recreated(make_source):
    """Before keys were qualified, ``{"propertyID": "zhaopin", "value": "1001"}`` was stored as "1001" (and a
    record listing two cities as "1002@<city>"): the next sync renames them in place — same vacancies, nothing
    closed or created."""
    from feeds.models import FeedRecord

    source = make_source()
    two_cities = [{"address": "苏州"}, {"address": "南京"}]
    items = [
        posting("1001", identifier="1001"),
        posting("1002", title="电气工程师", identifier="1002", jobLocation=two_cities),
    ]
    sync(source, jsonld(*items))
    before = dict(FeedRecord.objects.filter(source=source).values_list("external_id", "job_id"))
    assert set(before) == {"1001", "1002@320500", "1002@320100"}
    qualified = [
        item | {"identifier": {"@type": "PropertyValue", "propertyID": "zhaopin", "value": item["identifier"]}}
        for item in items
    ]
    run = sync(source, jsonld(*qualified))
    assert (run.created, run.closed) == (0, 0)
    after = dict(FeedRecord.objects.filter(source=source).values_list("external_id", "job_id"))
    assert after == {
        "zhaopin:1001": before["1001"],
        "zhaopin:1002@320500": before["1002@320500"],
        "zhaopin:1002@320100": before["1002@320100"],
    }
    job = JobPosting.objects.get(pk=before["1001"])
    assert job.external_id == f"{source.pk}/zhaopin:1001" and job.status == "published"
