"""The API's fair endpoints: organisers in their roles, public counters, and the exhibitor list with booths once
published; never anyone's personal data."""

import pytest

from fairs.models import FairState
from fairs.services import (
    booth_assign,
    exhibitor_approve,
    fair_publish_exhibitors,
    registration_check_in,
    registration_create,
)
from tests.fairs.helpers import HANGZHOU, SUZHOU, exhibitor, graduate, host_staff, make_fair, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def fair():
    fair = make_fair()
    approved, *_ = exhibitor(fair, place=SUZHOU)
    exhibitor_approve(participation=approved, by=host_staff())
    booth_assign(participation=approved, booth=fair.booths.get(code="B002"), by=host_staff())
    exhibitor(fair, place=HANGZHOU)  # pending: never listed
    registration = registration_create(fair=fair, graduate=graduate())
    start(fair)
    registration_check_in(fair=fair, ticket=registration.code, by=host_staff())
    return fair


def test_fair_detail_has_organisers_and_counters(client, fair):
    body = client.get(f"/api/v1/fairs/{fair.slug}/").json()
    assert body["state"] == FairState.IN_PROGRESS
    assert {"role": "organiser", "name": "上海市人才服务中心", "centre": "sh-talent"} in body["organisers"]
    assert body["counters"] == {"registered": 1, "waitlisted": 0, "checked_in": 1, "applications": 0}
    assert (body["employers"], body["positions"]) == (1, 3)


def test_the_list_has_the_same_counters_in_a_fixed_number_of_queries(client, fair, django_assert_max_num_queries):
    make_fair(slug="second-fair")
    with django_assert_max_num_queries(6):
        body = client.get("/api/v1/fairs/").json()
    counters = {item["slug"]: item["counters"] for item in body["results"]}
    assert counters[fair.slug]["checked_in"] == 1
    assert counters["second-fair"] == {"registered": 0, "waitlisted": 0, "checked_in": 0, "applications": 0}


def test_participants_appear_once_published_with_booth_and_zone(client, fair):
    assert client.get(f"/api/v1/fairs/{fair.slug}/participants/").json()["results"] == []
    fair_publish_exhibitors(fair=fair, by=host_staff())
    [item] = client.get(f"/api/v1/fairs/{fair.slug}/participants/").json()["results"]
    assert item["booth"] == "B002"
    assert item["zone"] == {"code": "B", "name": "信息技术"}
    assert item["province"]["code"] == "320000"
    assert item["positions"] == 3
    assert set(item) == {"id", "booth", "zone", "positions", "province", "industry", "employer"}
    assert set(item["employer"]) == {"id", "name", "uscc", "ownership", "url"}  # no representatives or contacts


def test_a_draft_fair_is_not_in_the_api(client):
    draft = make_fair(slug="draft-fair", state=FairState.DRAFT)
    assert client.get(f"/api/v1/fairs/{draft.slug}/").status_code == 404
    assert client.get(f"/api/v1/fairs/{draft.slug}/participants/").status_code == 404
    assert draft.slug not in str(client.get("/api/v1/fairs/").json())
