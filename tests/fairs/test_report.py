"""After the fair, its report is computed from what happened: exhibitors, registrations, check-ins and the
applications made at it, with the cross-province flow; as charts with tables on the fair page, and as CSV."""

import csv
import io

import pytest
from django.urls import reverse

from fairs.models import FairState
from fairs.selectors import fair_report
from fairs.services import (
    booth_collect_resume,
    booths_allocate,
    exhibitor_approve,
    fair_advance,
    registration_check_in,
    registration_create,
)
from tests.fairs.helpers import HANGZHOU, SUZHOU, exhibitor, graduate, host_staff, make_fair, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished_fair():
    """Two exhibitors (苏州 I with 3 positions, 杭州 C with 5); four graduates registered — two studying in
    江苏, one in 上海, one outside the region — three came; the 上海 and one 江苏 graduate applied to 杭州, the other
    江苏 graduate to 苏州."""
    fair = make_fair()
    suzhou, suzhou_recruiter, suzhou_job = exhibitor(fair, place=SUZHOU, sector="I", positions=3)
    hangzhou, hangzhou_recruiter, hangzhou_job = exhibitor(fair, place=HANGZHOU, sector="C", positions=5)
    for participation in (suzhou, hangzhou):
        exhibitor_approve(participation=participation, by=host_staff())
    booths_allocate(fair=fair, by=host_staff())
    people = {
        "js1": graduate(study_province="320000"),
        "js2": graduate(study_province="320000"),
        "sh": graduate(study_province="310000"),
        "away": graduate(study_province="other"),
    }
    tickets = {key: registration_create(fair=fair, graduate=user) for key, user in people.items()}
    start(fair)
    for key in ("js1", "js2", "sh"):
        registration_check_in(fair=fair, ticket=tickets[key].code, by=host_staff())
    for key, (participation, recruiter, job) in {
        "js1": (hangzhou, hangzhou_recruiter, hangzhou_job),
        "sh": (hangzhou, hangzhou_recruiter, hangzhou_job),
        "js2": (suzhou, suzhou_recruiter, suzhou_job),
    }.items():
        booth_collect_resume(participation=participation, ticket=tickets[key].code, job_id=job.pk, by=recruiter)
    return fair_advance(fair=fair, by=host_staff(), to=FairState.FINISHED)


def test_the_report_figures(finished_fair):
    report = fair_report(finished_fair)
    assert (report["employers"], report["positions"]) == (2, 8)
    assert report["by_province"]["320000"] == {"employers": 1, "positions": 3}
    assert report["by_province"]["330000"] == {"employers": 1, "positions": 5}
    assert report["share_c_plus_i"] == 1.0
    assert report["graduates"] == {"registered": 4, "waitlisted": 0, "checked_in": 3, "applications": 3}
    by_study = report["graduates_by_study_province"]
    assert by_study["320000"] == {"registered": 2, "checked_in": 2}
    assert by_study["310000"] == {"registered": 1, "checked_in": 1}
    assert by_study["other"] == {"registered": 1, "checked_in": 0}
    assert by_study["340000"] == {"registered": 0, "checked_in": 0}
    flow = {(row["from"], row["to"]): row["applications"] for row in report["application_flow"]}
    assert flow == {("320000", "330000"): 1, ("310000", "330000"): 1, ("320000", "320000"): 1}


def test_the_fair_page_shows_the_report_as_charts_with_tables(client, finished_fair):
    text = client.get(reverse("fairs:detail", args=[finished_fair.slug])).content.decode()
    for chart in ("chart-graduates_registered", "chart-graduates_checked_in", "chart-flow", "chart-ownership"):
        assert f'id="{chart}-title"' in text
    assert "江苏 → 浙江" in text
    assert "跨省申请占 66.7%" in text
    assert text.count("<svg") == text.count('<table class="visually-hidden">')
    assert reverse("fairs:report_csv", args=[finished_fair.slug]) in text


def test_the_report_as_csv(client, finished_fair):
    response = client.get(reverse("fairs:report_csv", args=[finished_fair.slug]))
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert ["单位所在省份", "江苏", "1", "3"] in rows
    assert ["求职者", "长三角以外", "1", "0"] in rows
    assert ["跨省流向", "上海", "浙江", "1"] in rows
    # Counts only: nobody's name, address or ticket.
    assert "王小明" not in body and "@" not in body


def test_the_report_is_public_but_a_draft_fair_is_not(client):
    draft = make_fair(slug="draft-fair", state=FairState.DRAFT)
    for name in ("fairs:detail", "fairs:report_csv", "fairs:counters", "fairs:guide"):
        assert client.get(reverse(name, args=[draft.slug])).status_code == 404
    assert draft.name not in client.get(reverse("fairs:list")).content.decode()
    assert client.get("/fairs/no-such-fair/").status_code == 404
