"""A fair's life: each state change is one service call with an audit row, in order, by the host centre only;
the fair's details are saved through the service and its state never through a form."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from fairs.models import Fair, FairLog, FairState
from fairs.services import fair_advance, fair_publish_exhibitors, fair_save
from talentfair.core.errors import ApplicationError
from tests.factories import FairFactory, centre, city
from tests.fairs.helpers import host_staff, make_fair, staff

pytestmark = pytest.mark.django_db


def _draft(**extra):
    return fair_save(
        fair=Fair(
            name="第二十届长三角地区人才交流洽谈会",
            slug="yrd-2028",
            starts_on=timezone.localdate() + timedelta(days=60),
            ends_on=timezone.localdate() + timedelta(days=60),
            venue="杭州国际博览中心",
            city=city("330100"),
            **extra,
        ),
        by=staff("330000"),
    )


def test_a_new_fair_is_a_draft_hosted_by_its_creators_centre():
    fair = _draft()
    assert fair.state == FairState.DRAFT
    assert fair.host_centre == centre("zj-talent")
    assert not fair.exhibitors_published


def test_every_step_is_logged_in_order():
    fair = _draft(
        employer_registration_opens=timezone.now() - timedelta(days=1),
        employer_registration_closes=timezone.now() + timedelta(days=20),
        graduate_registration_opens=timezone.now(),
        graduate_registration_closes=timezone.now() + timedelta(days=50),
    )
    host = staff("330000")
    fair.zones.create(code="A", name="综合").booths.create(fair=fair, code="A001")
    for target in (FairState.EMPLOYER_OPEN, FairState.GRADUATE_OPEN, FairState.IN_PROGRESS, FairState.FINISHED):
        fair = fair_advance(fair=fair, by=host, to=target, reason="按计划")
        assert Fair.objects.get(pk=fair.pk).state == target
    log = list(FairLog.objects.filter(fair=fair, action="state").order_by("at", "id"))
    assert [(entry.from_value, entry.to_value) for entry in log] == [
        ("draft", "employer_open"),
        ("employer_open", "graduate_open"),
        ("graduate_open", "in_progress"),
        ("in_progress", "finished"),
    ]
    assert {entry.by for entry in log} == {host}
    assert {entry.reason for entry in log} == {"按计划"}


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (FairState.DRAFT, FairState.GRADUATE_OPEN),  # a step skipped
        (FairState.GRADUATE_OPEN, FairState.EMPLOYER_OPEN),  # backwards
        (FairState.FINISHED, FairState.IN_PROGRESS),  # a finished fair stays finished
        (FairState.IN_PROGRESS, FairState.IN_PROGRESS),  # no-op
    ],
)
def test_out_of_order_changes_are_refused_and_change_nothing(start, target):
    fair = make_fair(state=start)
    with pytest.raises(ApplicationError):
        fair_advance(fair=fair, by=host_staff(), to=target)
    assert Fair.objects.get(pk=fair.pk).state == start
    assert not FairLog.objects.filter(fair=fair, action="state").exists()


def test_opening_for_employers_needs_the_window_and_a_booth_plan():
    fair = _draft()
    with pytest.raises(ApplicationError) as refused:
        fair_advance(fair=fair, by=staff("330000"), to=FairState.EMPLOYER_OPEN)
    assert "单位报名时间" in refused.value.message
    assert "展位" in refused.value.message
    assert Fair.objects.get(pk=fair.pk).state == FairState.DRAFT


@pytest.mark.parametrize("province", ["310000", "340000"])
def test_only_the_host_centre_runs_the_fair(province):
    """A co-organiser (上海) and a centre with no part in the fair (安徽) are both refused."""
    fair = make_fair()
    with pytest.raises(PermissionDenied):
        fair_advance(fair=fair, by=staff(province), to=FairState.IN_PROGRESS)
    with pytest.raises(PermissionDenied):
        fair_publish_exhibitors(fair=fair, by=staff(province))
    fair.refresh_from_db()
    assert fair.state == FairState.GRADUATE_OPEN
    assert not fair.exhibitors_published


def test_publishing_is_logged_and_idempotent():
    fair = make_fair()
    host = host_staff()
    fair_publish_exhibitors(fair=fair, by=host)
    fair_publish_exhibitors(fair=fair, by=host)
    fair_publish_exhibitors(fair=fair, by=host, published=False)
    assert list(FairLog.objects.filter(fair=fair).values_list("action", flat=True).order_by("id")) == [
        "published",
        "unpublished",
    ]


def test_saving_details_keeps_the_state_and_checks_the_windows():
    fair = make_fair()
    fair.state = FairState.FINISHED  # a stale or forged value never lands
    fair.venue = "南京国际展览中心"
    fair_save(fair=fair, by=host_staff())
    fair.refresh_from_db()
    assert fair.state == FairState.GRADUATE_OPEN
    assert fair.venue == "南京国际展览中心"
    fair.employer_registration_closes = timezone.now() + timedelta(days=90)  # after the doors open
    with pytest.raises(ValidationError) as refused:
        fair_save(fair=fair, by=host_staff())
    assert "employer_registration_closes" in refused.value.message_dict


def test_the_admin_form_cannot_set_the_state(client):
    fair = make_fair()
    admin = staff("320000", group="centre admin")
    client.force_login(admin)
    page = client.get(reverse("admin:fairs_fair_change", args=[fair.pk]))
    assert page.status_code == 200
    assert 'name="state"' not in page.content.decode()


def test_the_admin_action_advances_through_the_service(client):
    fair = make_fair()
    client.force_login(host_staff())
    response = client.post(
        reverse("admin:fairs_fair_changelist"),
        {"action": "advance", "_selected_action": [fair.pk], "apply": "1", "reason": "开幕"},
    )
    assert response.status_code == 302
    fair.refresh_from_db()
    assert fair.state == FairState.IN_PROGRESS
    assert FairLog.objects.get(fair=fair, action="state").reason == "开幕"


def test_co_organisers_see_the_fair_in_admin_but_cannot_change_it(client):
    fair = make_fair()
    other = FairFactory(host_centre=centre("ah-talent"), organised_by=[])
    client.force_login(staff("310000", group="centre admin"))
    text = client.get(reverse("admin:fairs_fair_changelist")).content.decode()
    assert fair.name in text
    assert other.name not in text  # 上海 takes no part in it
    response = client.post(
        reverse("admin:fairs_fair_changelist"), {"action": "advance", "_selected_action": [fair.pk], "apply": "1"}
    )
    assert response.status_code in (200, 302)
    fair.refresh_from_db()
    assert fair.state == FairState.GRADUATE_OPEN
