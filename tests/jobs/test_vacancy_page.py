"""The vacancy page: plain-Chinese fields, employer card, fair booth, similar vacancies, JSON-LD, closed notice."""

import json
import re
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from jobs.models import JobStatus
from tests.factories import (
    EmployerFactory,
    FairFactory,
    JobPostingFactory,
    ParticipationFactory,
    centre,
    city,
)

pytestmark = pytest.mark.django_db

_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def jsonld(response) -> list[dict]:
    return [json.loads(block) for block in _LD.findall(response.content.decode())]


def page(client, job):
    response = client.get(f"/jobs/{job.pk}/")
    assert response.status_code == 200
    return response


def test_open_vacancy_has_google_jobposting_jsonld(client):
    employer = EmployerFactory(name="苏州精工装备有限公司", city=city("320500"), website="https://jinggong.example.cn")
    job = JobPostingFactory(
        employer=employer,
        title="机械设计工程师",
        description="<p>负责非标设备设计。</p><ul><li>五险一金</li></ul>",
        address="工业园区星湖街 328 号",
        salary_min=8000,
        salary_max=12000,
        salary_months=13,
        education=3,
        experience=1,
    )
    blocks = jsonld(page(client, job))
    assert len(blocks) == 1
    data = blocks[0]
    assert data["@context"].startswith("https://schema.org") and data["@type"] == "JobPosting"
    assert data["title"] == "机械设计工程师"
    assert "<li>五险一金</li>" in data["description"]
    assert isinstance(data["totalJobOpenings"], int) and isinstance(data["employmentType"], list)
    assert datetime.fromisoformat(data["datePosted"]) == job.published_at
    assert datetime.fromisoformat(data["validThrough"]) == job.valid_through
    organisation = data["hiringOrganization"]
    assert organisation["@type"] == "Organization" and organisation["name"] == "苏州精工装备有限公司"
    assert organisation["sameAs"] == "https://jinggong.example.cn"
    assert organisation["identifier"]["value"] == employer.uscc
    address = data["jobLocation"]["address"]
    assert address == {
        "@type": "PostalAddress",
        "addressRegion": "江苏省",
        "addressLocality": "苏州市",
        "addressCountry": "CN",
        "streetAddress": "工业园区星湖街 328 号",
    }
    assert data["employmentType"] == ["FULL_TIME"]
    salary = data["baseSalary"]
    assert salary["@type"] == "MonetaryAmount" and salary["currency"] == "CNY"
    assert salary["value"] == {"@type": "QuantitativeValue", "unitText": "MONTH", "minValue": 8000, "maxValue": 12000}
    assert data["identifier"]["value"] == str(job.pk)
    assert data["educationRequirements"]["@type"] == "EducationalOccupationalCredential"
    assert data["educationRequirements"]["credentialCategory"] == "bachelor degree"
    assert data["experienceRequirements"]["monthsOfExperience"] == 12
    assert data["directApply"] is True
    assert data["url"].endswith(f"/jobs/{job.pk}/")


def test_negotiable_salary_has_no_base_salary(client):
    job = JobPostingFactory(salary_min=None, salary_max=None, salary_negotiable=True, employment_type="internship")
    response = page(client, job)
    data = jsonld(response)[0]
    assert "baseSalary" not in data
    assert data["employmentType"] == ["INTERN"]
    assert "面议" in response.content.decode()


def test_salary_reads_in_plain_chinese(client):
    job = JobPostingFactory(salary_min=8000, salary_max=12000, salary_months=13)
    assert "8–12K·13薪" in page(client, job).content.decode()


@pytest.mark.parametrize(
    "changes",
    [
        {"status": JobStatus.CLOSED},
        {"status": JobStatus.EXPIRED},
        {"valid_through": timezone.now() - timedelta(days=1)},
    ],
)
def test_closed_or_expired_vacancy_keeps_its_page_without_apply_or_jsonld(client, changes):
    job = JobPostingFactory(**changes)
    response = page(client, job)
    html = response.content.decode()
    assert "已截止" in html
    assert jsonld(response) == []
    assert 'id="apply"' not in html  # the apply box renders only for open vacancies
    assert 'name="robots" content="noindex"' in html


def test_open_vacancy_includes_the_apply_and_report_slots(client):
    html = page(client, JobPostingFactory()).content.decode()
    assert 'id="apply"' in html


@pytest.mark.parametrize("status", [JobStatus.DRAFT, JobStatus.PENDING, JobStatus.REJECTED])
def test_never_published_vacancies_have_no_public_page(client, status):
    job = JobPostingFactory(status=status, published_at=None)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404


def test_a_vacancy_taken_down_after_publication_keeps_a_closed_page(client):
    job = JobPostingFactory(status=JobStatus.REJECTED)
    html = page(client, job).content.decode()
    assert "已截止" in html and 'id="apply"' not in html


def test_vacancy_of_an_unverified_employer_has_no_public_page(client):
    job = JobPostingFactory(employer=EmployerFactory(verification_state="pending"))
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    imported = JobPostingFactory(employer=EmployerFactory(verification_state="pending", source_centre=centre()))
    assert client.get(f"/jobs/{imported.pk}/").status_code == 200


def test_fair_participation_and_booth_are_shown(client):
    fair = FairFactory(name="第十届长三角地区人才交流洽谈会")
    employer = EmployerFactory()
    ParticipationFactory(fair=fair, employer=employer, booth="B218")
    job = JobPostingFactory(employer=employer, fair=fair)
    html = page(client, job).content.decode()
    assert "第十届长三角地区人才交流洽谈会" in html
    assert "B218" in html


def test_similar_vacancies_are_open_ones_sharing_title_words(client):
    job = JobPostingFactory(title="Java开发工程师")
    JobPostingFactory(title="高级Java开发工程师")
    JobPostingFactory(title="Java架构师", status=JobStatus.CLOSED)
    JobPostingFactory(title="行政前台")
    similar = [j.title for j in page(client, job).context["similar"]]
    assert similar == ["高级Java开发工程师"]


def test_description_html_is_sanitised_and_plain_text_keeps_line_breaks(client):
    html_job = JobPostingFactory(
        description='<p onclick="steal()">职责</p><script>alert(1)</script><img src=x onerror=alert(1)><b>要求</b>'
    )
    html = page(client, html_job).content.decode()
    assert "<p>职责</p>" in html and "<b>要求</b>" in html
    assert "<script>alert" not in html and "onerror" not in html and "onclick" not in html
    plain_job = JobPostingFactory(description="岗位职责：\n1. 设计\n2. 开发 <不是标签>")
    html = page(client, plain_job).content.decode()
    assert "1. 设计<br>2. 开发 &lt;不是标签&gt;" in html


def test_jsonld_cannot_be_broken_out_of(client):
    job = JobPostingFactory(title="工程师</script><script>alert(1)</script>")
    response = page(client, job)
    assert "</script><script>alert(1)" not in response.content.decode()
    assert jsonld(response)[0]["title"] == "工程师</script><script>alert(1)</script>"


def test_vacancy_page_query_count_is_fixed(client, django_assert_max_num_queries):
    job = JobPostingFactory(title="Java开发工程师", fair=FairFactory())
    JobPostingFactory.create_batch(8, title="Java开发工程师")
    with django_assert_max_num_queries(6):
        page(client, job)
