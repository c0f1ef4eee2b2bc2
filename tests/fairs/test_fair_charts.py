"""The fair page's charts and figures: a small hand-made fair, the demo fair's seed figures, and the dashboard."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from fairs.charts import fair_charts
from fairs.models import Fair
from fairs.selectors import applications_per_day, pending_review_by_province
from jobs.models import Application, JobStatus
from tests.factories import (
    ApplicationFactory,
    EmployerFactory,
    FairFactory,
    JobPostingFactory,
    ParticipationFactory,
    city,
    industry,
)
from tests.moderation_helpers import HANGZHOU, HEFEI, PUDONG, SUZHOU, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def fair():
    """Five employers: 2 state (Shanghai C, Jiangsu I), 2 private (Zhejiang C, Shanghai F), 1 foreign (Anhui M)."""
    fair = FairFactory(slug="small-fair", city=city(PUDONG))
    for code, ownership, section, positions in [
        (PUDONG, "state", "C", 40),
        (SUZHOU, "state", "I", 10),
        (HANGZHOU, "private", "C", 20),
        (PUDONG, "private", "F", 25),
        (HEFEI, "foreign", "M", 5),
    ]:
        employer = EmployerFactory(city=city(code), ownership=ownership, industry=industry(section))
        ParticipationFactory(fair=fair, employer=employer, positions=positions)
    return fair


def _rows(chart):
    return {row.label: (row.value, row.percent) for row in chart.rows}


def test_charts_of_a_hand_made_fair(fair):
    charts = fair_charts(fair)
    assert _rows(charts["ownership"]) == {
        "国有企业/事业单位": (2, "40.0%"),
        "民营企业": (2, "40.0%"),
        "外资/合资企业": (1, "20.0%"),
    }
    assert _rows(charts["employers_by_province"]) == {
        "上海": (2, "40.0%"),
        "江苏": (1, "20.0%"),
        "浙江": (1, "20.0%"),
        "安徽": (1, "20.0%"),
    }
    assert _rows(charts["positions_by_province"])["上海"] == (65, "65.0%")
    industry_rows = charts["industry"].rows
    assert industry_rows[0].label == "C 制造业" and industry_rows[0].value == 2
    assert "60.0%" in charts["industry"].note  # C (2) + I (1) of 5
    highlighted = {row.label.split()[0] for row in industry_rows if row.colour == "#e8590c"}
    assert highlighted == {"C", "I"}


def test_applications_per_day_and_pending_per_province(fair):
    job = JobPostingFactory(employer=fair.participations.first().employer, fair=fair)
    today = timezone.now()
    for days_ago, count in [(0, 3), (2, 1)]:
        for _ in range(count):
            application = ApplicationFactory(job=job)
            Application.objects.filter(pk=application.pk).update(created_at=today - timedelta(days=days_ago))
    ApplicationFactory()  # another fair's (no fair) application is not counted
    per_day = applications_per_day(fair)
    assert [n for _day, n in per_day] == [1, 0, 3]

    JobPostingFactory(fair=fair, status=JobStatus.PENDING, employer=EmployerFactory(city=city(SUZHOU)))
    JobPostingFactory(status=JobStatus.PENDING, employer=EmployerFactory(city=city(HANGZHOU)))
    assert pending_review_by_province(fair.jobs.all()) == {"310000": 0, "320000": 1, "330000": 0, "340000": 0}
    assert pending_review_by_province()["330000"] == 1


def test_fair_page_shows_charts_with_tables(client, fair, django_assert_max_num_queries):
    # The finished fair's page: the fair, its organisers, zones and qualifications, the exhibitor figures, the
    # graduates' counters, report and flow, and the names the charts print; none of it grows with the fair.
    with django_assert_max_num_queries(16):
        response = client.get(reverse("fairs:detail", args=[fair.slug]))
    text = response.content.decode()
    assert text.count("<svg") >= 4
    assert text.count('<table class="visually-hidden">') == text.count("<svg")
    assert "40.0%" in text and "60.0%" in text
    assert "<script" not in text  # no JavaScript needed


def test_home_links_the_fair_page(client, fair):
    assert reverse("fairs:detail", args=[fair.slug]) in client.get(reverse("home")).content.decode()


def test_dashboard_is_scoped_and_shows_queues(client, fair):
    JobPostingFactory(status=JobStatus.PENDING, employer=EmployerFactory(city=city(SUZHOU)))
    JobPostingFactory(status=JobStatus.PENDING, employer=EmployerFactory(city=city(HANGZHOU)))
    EmployerFactory(city=city(SUZHOU), verification_state="pending")
    client.force_login(staff("320000"))
    response = client.get(reverse("admin-dashboard"))
    assert response.status_code == 200
    queues = {queue["label"]: queue["count"] for queue in response.context["queues"]}
    assert queues["待审核职位"] == 1 and queues["待认证单位"] == 1
    assert [row.label for row in response.context["charts"]["pending_all"].rows] == ["江苏"]
    index = client.get(reverse("admin:index")).content.decode()
    assert "待审核职位" in index


def test_dashboard_needs_staff(client):
    response = client.get(reverse("admin-dashboard"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.django_db(transaction=True)
def test_demo_fair_page_shows_the_seed_figures(reference_data, client):
    call_command("seed_demo", verbosity=0)
    fair = Fair.objects.get(slug="yrd-2018")
    text = client.get(reverse("fairs:detail", args=[fair.slug])).content.decode()
    for figure in ["22.7%", "60.1%", "17.2%", "49.6%"]:
        assert figure in text, figure
    charts = fair_charts(fair)
    by_province = {row.label: row.value for row in charts["employers_by_province"].rows}
    assert (by_province["浙江"], by_province["江苏"], by_province["安徽"]) == (57, 85, 21)
    visiting = sum(row.value for row in charts["positions_by_province"].rows if row.label != "上海")
    assert visiting >= 1200
