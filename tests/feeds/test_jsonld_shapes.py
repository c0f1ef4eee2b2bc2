"""JSON-LD as publishers write it: a record's key (identifier, url, @id or derived), title or name, a salary in
another currency, HTML escaped once too often; and what we publish uses schema.org properties only."""

import pytest

from employers.uscc import make_uscc
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


@pytest.mark.parametrize(
    ("overrides", "city_code"),
    [
        # Remote, open to a province: the province is its place.
        ({"jobLocation": None, "applicantLocationRequirements": {"@type": "State", "name": "江苏省"}}, "320000"),
        (
            {
                "jobLocation": None,
                "applicantLocationRequirements": [{"@type": "AdministrativeArea", "name": "Shanghai"}],
            },
            "310000",
        ),
        ({"jobLocation": None, "applicantLocationRequirements": "浙江"}, "330000"),
        # A job location as well: that is its place, and it can be worked remotely.
        ({"applicantLocationRequirements": {"@type": "State", "name": "江苏省"}}, "320500"),
        # Open to a whole country we cannot place: where the employer is.
        (
            {
                "jobLocation": None,
                "applicantLocationRequirements": {"@type": "Country", "name": "CN"},
                "hiringOrganization": {
                    "@type": "Organization",
                    "name": "苏州汇川精密机械有限公司",
                    "address": {"@type": "PostalAddress", "addressLocality": "苏州市"},
                },
            },
            "320500",
        ),
    ],
)
def test_a_remote_job_open_to_a_province(make_source, overrides, city_code):
    source = make_source()
    run = sync(source, jsonld(posting("R1", jobLocationType="TELECOMMUTE", **overrides)))
    assert run.created == 1, list(run.issues.values_list("reason", flat=True))
    job = JobPosting.objects.get(source=source.centre)
    assert (job.remote, job.city_id) == (True, city_code)


def test_a_remote_job_with_no_place_at_all_is_refused_with_a_reason(make_source):
    source = make_source()
    item = posting("R2", jobLocationType="TELECOMMUTE", jobLocation=None)
    item["hiringOrganization"] = {"@type": "Organization", "name": "无地址公司"}
    run = sync(source, jsonld(item))
    assert run.rejected == 1
    assert run.issues.get(field="places").reason == "缺少工作地点"


def test_an_office_job_is_not_remote(make_source):
    source = make_source()
    sync(source, jsonld(posting("O1", jobLocationType="ONSITE")))
    assert JobPosting.objects.get(source=source.centre).remote is False


@pytest.mark.parametrize(
    ("value", "expected", "label"),
    [
        (True, True, "原职位页面直接申请"),
        ("https://schema.org/True", True, "原职位页面直接申请"),
        (False, False, "查看原职位"),
        (None, None, "查看原职位"),
    ],
)
def test_direct_apply(make_source, client, value, expected, label):
    source = make_source()
    sync(source, jsonld(posting("D1", directApply=value, url="https://jobs.partner.example.cn/p/D1")))
    job = JobPosting.objects.get(source=source.centre)
    assert job.direct_apply is expected
    assert label in client.get(f"/jobs/{job.pk}/").content.decode()


def test_what_we_publish_says_remote_and_logo_in_schema_org_terms(settings, media):
    from django.core.files.base import ContentFile

    job = JobPostingFactory(remote=True)
    job.employer.logo.save("x.png", ContentFile(PNG), save=True)
    data = job_posting_jsonld(JobPosting.objects.with_related().get(pk=job.pk))
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"] == {"@type": "State", "name": job.city.province.name}
    assert data["hiringOrganization"]["logo"].startswith(settings.SITE_URL.rstrip("/") + "/media/employer-logos/")


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
USCC_LOGO = make_uscc(division="320100", serial="MA1T00555")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return tmp_path


def test_a_new_employers_logo_is_fetched_once_and_kept_only_as_an_image(make_source, feed_server, media, client):
    from employers.models import Employer
    from feeds.logos import employer_logos_fetch

    from .conftest import Response

    feed_server.script("/logo.png", Response(body=PNG, headers={"Content-Type": "image/png"}))
    feed_server.script(
        "/logo.svg", Response(body=b"<svg onload='alert(1)'/>", headers={"Content-Type": "image/svg+xml"})
    )
    organisations = {
        "L1": {"name": "南京图标科技有限公司", "identifier": USCC_LOGO, "logo": feed_server.url("logo.png")},
        "L2": {
            "name": "南京矢量设计有限公司",
            "logo": {"@type": "ImageObject", "contentUrl": feed_server.url("logo.svg")},
        },
        "L3": {"name": "南京无图有限公司", "logo": "javascript:alert(1)"},
    }
    items = [
        posting(key, hiringOrganization={"@type": "Organization", **org}, jobLocation={"address": "南京"})
        for key, org in organisations.items()
    ]
    sync(make_source(), jsonld(*items))
    employers = {e.name: e for e in Employer.objects.filter(name__startswith="南京")}
    assert employers["南京图标科技有限公司"].logo_source_url == feed_server.url("logo.png")
    assert employers["南京无图有限公司"].logo_source_url == ""  # never a javascript: address
    assert employer_logos_fetch([e.pk for e in employers.values()]) == 1
    png = Employer.objects.get(name="南京图标科技有限公司")
    assert png.logo.name.endswith(".png") and png.logo.read() == PNG
    assert not Employer.objects.get(name="南京矢量设计有限公司").logo  # SVG can carry script: left out
    assert employer_logos_fetch([png.pk]) == 0  # fetched once
    # Shown on its page and beside its vacancies (it came with a USCC: public, as imported by the centre).
    assert f'src="{png.logo.url}"' in client.get(f"/employers/{png.pk}/").content.decode()
    job = JobPosting.objects.get(employer=png)
    assert f'src="{png.logo.url}"' in client.get(f"/jobs/{job.pk}/").content.decode()


def test_a_logo_on_an_internal_address_is_never_fetched(make_source, settings, media):
    from employers.models import Employer
    from feeds.logos import employer_logos_fetch

    settings.FEEDS_ALLOWED_HOSTS = []
    organisation = {"@type": "Organization", "name": "内网图标有限公司", "logo": "http://127.0.0.1:6379/logo.png"}
    sync(make_source(), jsonld(posting("L9", hiringOrganization=organisation)))
    employer = Employer.objects.get(name="内网图标有限公司")
    assert employer_logos_fetch([employer.pk]) == 0
    assert not Employer.objects.get(pk=employer.pk).logo


@pytest.mark.parametrize(("word", "remote"), [("是", True), ("远程", True), ("yes", True), ("否", False), ("", False)])
def test_remote_in_a_csv_feed(make_source, word, remote):
    from .feedkit import USCC_SUZHOU

    source = make_source(format="csv")
    body = (
        "职位编号,职位名称,单位名称,统一社会信用代码,工作地点,远程办公\n"
        f"C1,技术支持工程师,苏州汇川精密机械有限公司,{USCC_SUZHOU},苏州,{word}\n"
    ).encode()
    run = sync(source, body)
    assert run.created == 1, list(run.issues.values_list("reason", flat=True))
    assert JobPosting.objects.get(source=source.centre).remote is remote
