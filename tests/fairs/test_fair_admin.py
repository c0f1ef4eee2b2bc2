"""The fair's admin change forms save through the fair's services: the host centre's admins edit the fair, its
organisers, zones and booths; the rules show as form errors; nobody else edits them; state never comes from a form."""

import pytest
from django.urls import reverse

from fairs.models import Booth, Fair, FairOrganiser, FairState, Zone
from fairs.services import booth_assign, exhibitor_approve
from tests.admin_forms import form_data
from tests.factories import centre
from tests.fairs.helpers import exhibitor, host_staff, make_fair, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(staff("320000", group="centre admin"))
    return client


def _change(fair):
    return reverse("admin:fairs_fair_change", args=[fair.pk])


def test_the_host_edits_the_fair_and_its_organisers(admin_client):
    fair = make_fair()
    url = _change(fair)
    data = form_data(admin_client.get(url))
    data["venue"] = "南京国际展览中心"
    data["cohorts"] = "2027，2026"
    total = int(data["organisers-TOTAL_FORMS"])
    data.update(
        {
            f"organisers-{total}-role": "supporter",
            f"organisers-{total}-name": "南京市人才服务中心",
            f"organisers-{total}-position": "0",
            "organisers-TOTAL_FORMS": str(total + 1),
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    fair.refresh_from_db()
    assert fair.venue == "南京国际展览中心"
    assert fair.cohorts == [2026, 2027]
    assert fair.state == FairState.GRADUATE_OPEN
    assert FairOrganiser.objects.filter(fair=fair, role="supporter", name="南京市人才服务中心").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("slug", "mine", "保留"),
        ("cohorts", "二〇二六", "四位年份"),
        ("closes_at", "08:00:00", "晚于开放时间"),
    ],
)
def test_the_fairs_rules_are_form_errors(admin_client, field, value, message):
    fair = make_fair()
    data = form_data(admin_client.get(_change(fair)))
    data[field] = value
    response = admin_client.post(_change(fair), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Fair.objects.get(pk=fair.pk).slug == "yrd-test"


def test_a_booth_holding_an_exhibitor_cannot_be_deleted(admin_client):
    fair = make_fair()
    participation, *_ = exhibitor(fair)
    exhibitor_approve(participation=participation, by=host_staff())
    booth = Booth.objects.get(fair=fair, code="A001")
    booth_assign(participation=participation, booth=booth, by=host_staff())
    response = admin_client.post(reverse("admin:fairs_booth_delete", args=[booth.pk]), {"post": "yes"}, follow=True)
    assert "请先调整展位再删除" in response.content.decode()
    assert Booth.objects.filter(pk=booth.pk).exists()


def test_generating_booths_for_a_zone(admin_client):
    fair = make_fair()
    zone = Zone.objects.get(fair=fair, code="A")
    admin_client.post(
        reverse("admin:fairs_zone_changelist"),
        {"action": "generate_booths", "_selected_action": [zone.pk], "apply": "1", "count": "4", "size": "double"},
    )
    assert list(zone.booths.order_by("code").values_list("code", flat=True)) == [
        "A001",
        "A002",
        "A003",
        "A004",
        "A005",
        "A006",
        "A007",
    ]
    assert zone.booths.filter(size="double").count() == 4


@pytest.mark.parametrize("province", ["310000", "340000"])
def test_others_cannot_edit_the_fair(client, province):
    fair = make_fair()
    client.force_login(staff(province, group="centre admin"))
    page = client.get(_change(fair))
    if province == "310000":  # a co-organiser: sees it read-only
        assert page.status_code == 200
        assert 'name="venue"' not in page.content.decode()
    else:  # takes no part in the fair
        assert page.status_code == 404
    response = client.post(_change(fair), {"name": "改名", "venue": "别处"})
    assert response.status_code in (403, 404)
    assert Fair.objects.get(pk=fair.pk).venue == "上海国际展览中心"


def test_a_new_fair_is_a_draft_of_the_creators_centre(admin_client):
    page = admin_client.get(reverse("admin:fairs_fair_add"))
    data = form_data(page)
    data.update(
        {
            "name": "2027届江苏高校毕业生双选会",
            "slug": "js-2027",
            "starts_on": "2027-04-10",
            "ends_on": "2027-04-10",
            "opens_at": "09:00",
            "closes_at": "15:00",
            "venue": "南京国际博览中心",
            "city": "320100",
        }
    )
    response = admin_client.post(reverse("admin:fairs_fair_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    fair = Fair.objects.get(slug="js-2027")
    assert fair.state == FairState.DRAFT
    assert fair.host_centre == centre("js-talent")
