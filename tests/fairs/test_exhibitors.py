"""Employers applying to exhibit, staff deciding within their scope, and booths: one exhibitor per booth, always."""

import re
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from fairs.models import Booth, ExhibitorStatus, FairLog, FairState, Offer, Participation
from fairs.selectors import fair_statistics
from fairs.services import (
    booth_assign,
    booths_allocate,
    exhibitor_apply,
    exhibitor_approve,
    exhibitor_reject,
    exhibitor_withdraw,
)
from jobs.models import JobStatus
from talentfair.core.errors import ApplicationError
from tests.accounts.helpers import make_recruiter
from tests.factories import EmployerFactory, JobPostingFactory, city, industry
from tests.fairs.helpers import HANGZHOU, HEFEI, PUDONG, SUZHOU, exhibitor, host_staff, make_fair, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def fair():
    return make_fair()


# --- applying ------------------------------------------------------------------------------------------------


def test_an_application_records_its_vacancies_people_and_zone(fair):
    zone = fair.zones.get(code="B")
    participation, recruiter, job = exhibitor(fair, positions=4, zone=zone)
    assert participation.status == ExhibitorStatus.PENDING
    assert participation.positions == 4
    assert list(participation.offers.values_list("job", "positions")) == [(job.pk, 4)]
    assert participation.representative_list == ["张老师 13912345678"]
    assert participation.zone_preference == zone
    assert FairLog.objects.get(participation=participation).action == "exhibitor_applied"


def _apply(fair, employer, by, job, **extra):
    kwargs = {"offers": [(job.pk, 2)], "representatives": "李老师 13900001111"} | extra
    return exhibitor_apply(fair=fair, employer=employer, by=by, **kwargs)


def test_refused_outside_the_employer_window(fair):
    fair.employer_registration_closes = timezone.now() - timedelta(minutes=1)
    fair.employer_registration_opens = timezone.now() - timedelta(days=5)
    fair.save()
    employer = EmployerFactory()
    with pytest.raises(ApplicationError, match="单位报名时间"):
        _apply(fair, employer, make_recruiter(employer), JobPostingFactory(employer=employer))
    assert not Participation.objects.exists()


@pytest.mark.parametrize("state", [FairState.DRAFT, FairState.IN_PROGRESS, FairState.FINISHED])
def test_refused_when_the_fair_does_not_take_exhibitors(state):
    fair = make_fair(state=state)
    employer = EmployerFactory()
    with pytest.raises(ApplicationError):
        _apply(fair, employer, make_recruiter(employer), JobPostingFactory(employer=employer))
    assert not Participation.objects.exists()


@pytest.mark.parametrize("state", ["pending", "rejected", "suspended"])
def test_refused_for_an_employer_not_verified(fair, state):
    employer = EmployerFactory(verification_state=state)
    with pytest.raises(ApplicationError, match="认证"):
        _apply(fair, employer, make_recruiter(employer), JobPostingFactory(employer=employer))
    assert not Participation.objects.exists()


def test_refused_for_someone_not_of_the_employer(fair):
    employer, other = EmployerFactory(), EmployerFactory()
    with pytest.raises(PermissionDenied):
        _apply(fair, employer, make_recruiter(other), JobPostingFactory(employer=employer))


def test_refused_with_another_employers_or_an_unpublished_vacancy(fair):
    employer = EmployerFactory()
    recruiter = make_recruiter(employer)
    for job in (
        JobPostingFactory(),  # another employer's
        JobPostingFactory(employer=employer, status=JobStatus.DRAFT),  # a draft not made for this fair
        JobPostingFactory(employer=employer, status=JobStatus.CLOSED),
    ):
        with pytest.raises(ValidationError) as refused:
            _apply(fair, employer, recruiter, job)
        assert "offers" in refused.value.message_dict
    assert not Participation.objects.exists()


@pytest.mark.parametrize(
    ("offers", "representatives", "field"),
    [
        ("none", "李老师", "offers"),
        ("zero", "李老师", "offers"),
        ("huge", "李老师", "offers"),
        ("ok", "", "representatives"),
        ("ok", "\n".join(f"老师{i}" for i in range(6)), "representatives"),
        ("ok", "李" * 61, "representatives"),
    ],
)
def test_bad_input_is_named_and_changes_nothing(fair, offers, representatives, field):
    employer = EmployerFactory()
    recruiter = make_recruiter(employer)
    job = JobPostingFactory(employer=employer)
    lines = {"none": [], "zero": [(job.pk, 0)], "huge": [(job.pk, 5000)], "ok": [(job.pk, 2)]}[offers]
    with pytest.raises(ValidationError) as refused:
        exhibitor_apply(fair=fair, employer=employer, by=recruiter, offers=lines, representatives=representatives)
    assert field in refused.value.message_dict
    assert not Participation.objects.exists()


def test_a_draft_made_for_the_fair_can_be_brought(fair):
    employer = EmployerFactory()
    job = JobPostingFactory(employer=employer, status=JobStatus.DRAFT, fair=fair)
    participation = _apply(fair, employer, make_recruiter(employer), job)
    assert participation.offers.get().job == job


def test_a_pending_application_is_replaced_not_duplicated(fair):
    participation, recruiter, job = exhibitor(fair)
    second = JobPostingFactory(employer=participation.employer)
    again = _apply(fair, participation.employer, recruiter, second, offers=[(second.pk, 7)])
    assert again.pk == participation.pk
    assert list(Offer.objects.filter(participation=again).values_list("job", "positions")) == [(second.pk, 7)]
    assert Participation.objects.get().positions == 7


def test_an_approved_application_cannot_be_changed_by_the_employer(fair):
    participation, recruiter, job = exhibitor(fair)
    exhibitor_approve(participation=participation, by=host_staff())
    with pytest.raises(ApplicationError, match="已通过"):
        _apply(fair, participation.employer, recruiter, job, offers=[(job.pk, 9)])
    assert Participation.objects.get().positions == 3


def test_the_employer_centre_form(client, fair):
    employer = EmployerFactory()
    recruiter = make_recruiter(employer)
    job = JobPostingFactory(employer=employer, title="嵌入式软件工程师")
    client.force_login(recruiter)
    page = client.get(reverse("fairs:exhibit", args=[fair.slug]))
    assert "嵌入式软件工程师" in page.content.decode()
    bad = client.post(reverse("fairs:exhibit", args=[fair.slug]), {f"job_{job.pk}": "", "representatives": "李老师"})
    assert bad.status_code == 400
    assert "请至少选择一个职位" in bad.content.decode()
    assert not Participation.objects.exists()
    good = client.post(
        reverse("fairs:exhibit", args=[fair.slug]),
        {f"job_{job.pk}": "5", "representatives": "李老师 13900001111", "zone_preference": fair.zones.get(code="B").pk},
    )
    assert good.status_code == 302
    assert Participation.objects.get().positions == 5


def test_the_employer_centre_lists_open_fairs_and_own_applications(client, fair):
    participation, recruiter, _job = exhibitor(fair)
    client.force_login(recruiter)
    text = client.get(reverse("fairs:exhibiting")).content.decode()
    assert fair.name in text
    assert "待审核" in text


# --- deciding ------------------------------------------------------------------------------------------------


def test_approval_is_logged_mailed_and_counts_for_the_fair(fair, django_capture_on_commit_callbacks):
    participation, recruiter, job = exhibitor(fair, positions=6)
    with django_capture_on_commit_callbacks(execute=True):
        exhibitor_approve(participation=participation, by=staff("320000"))
    participation.refresh_from_db()
    assert participation.status == ExhibitorStatus.APPROVED
    assert participation.decided_by is not None
    assert FairLog.objects.filter(participation=participation, action="exhibitor_approved").count() == 1
    assert [m.to for m in mail.outbox] == [[recruiter.email]]
    assert fair.name in mail.outbox[0].subject
    job.refresh_from_db()
    assert job.fair == fair  # the vacancy is now one of the fair's (searchable as such)
    stats = fair_statistics(fair)
    assert (stats["employers"], stats["positions"]) == (1, 6)


def test_pending_applications_do_not_count(fair):
    exhibitor(fair, positions=6)
    assert fair_statistics(fair)["employers"] == 0


def test_rejection_needs_a_reason_and_mails_it(fair, django_capture_on_commit_callbacks):
    participation, recruiter, _job = exhibitor(fair)
    with pytest.raises(ValidationError):
        exhibitor_reject(participation=participation, by=host_staff(), reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        exhibitor_reject(participation=participation, by=host_staff(), reason="所带职位信息不完整")
    participation.refresh_from_db()
    assert participation.status == ExhibitorStatus.REJECTED
    assert "所带职位信息不完整" in mail.outbox[0].body
    # The employer corrects and applies again: pending once more.
    again = _apply(fair, participation.employer, recruiter, participation.offers.get().job)
    assert again.status == ExhibitorStatus.PENDING
    assert again.reason == ""


@pytest.mark.parametrize(
    ("staff_province", "employer_place", "allowed"),
    [
        ("320000", HANGZHOU, True),  # the host centre (江苏) acts on every exhibitor of its fair
        ("310000", PUDONG, True),  # a co-organiser on its own province's exhibitor
        ("310000", SUZHOU, False),  # … and not on another province's
        ("330000", HANGZHOU, True),
        ("330000", PUDONG, False),
        ("340000", HEFEI, False),  # 安徽's centre does not organise this fair: not even its own province
    ],
)
def test_province_scoping_of_decisions(fair, staff_province, employer_place, allowed):
    participation, _recruiter, _job = exhibitor(fair, place=employer_place)
    decider = staff(staff_province)
    if allowed:
        exhibitor_approve(participation=participation, by=decider)
        assert Participation.objects.get().status == ExhibitorStatus.APPROVED
    else:
        with pytest.raises(PermissionDenied):
            exhibitor_approve(participation=participation, by=decider)
        assert Participation.objects.get().status == ExhibitorStatus.PENDING


@pytest.mark.parametrize(
    ("staff_province", "visible"),
    [("320000", {"苏", "沪", "浙"}), ("310000", {"沪"}), ("330000", {"浙"}), ("340000", set())],
)
def test_province_scoping_of_the_admin_queue(client, fair, staff_province, visible):
    names = {}
    for short, place in (("苏", SUZHOU), ("沪", PUDONG), ("浙", HANGZHOU)):
        participation, *_ = exhibitor(fair, place=place)
        names[short] = participation
    client.force_login(staff(staff_province))
    text = client.get(reverse("admin:fairs_participation_changelist")).content.decode()
    assert {short for short, p in names.items() if p.employer.name in text} == visible
    for short, participation in names.items():
        page = client.get(reverse("admin:fairs_participation_change", args=[participation.pk]))
        assert page.status_code == (200 if short in visible else 404)


def test_the_admin_reject_action_asks_for_a_reason(client, fair):
    participation, *_ = exhibitor(fair)
    client.force_login(host_staff())
    url = reverse("admin:fairs_participation_changelist")
    client.post(url, {"action": "reject", "_selected_action": [participation.pk], "apply": "1", "reason": ""})
    assert Participation.objects.get().status == ExhibitorStatus.PENDING
    client.post(url, {"action": "reject", "_selected_action": [participation.pk], "apply": "1", "reason": "展位已满"})
    assert Participation.objects.get().status == ExhibitorStatus.REJECTED


def test_withdrawing_frees_the_booth(fair):
    participation, recruiter, _job = exhibitor(fair)
    exhibitor_approve(participation=participation, by=host_staff())
    booth_assign(participation=participation, booth=Booth.objects.get(code="B001"), by=host_staff())
    exhibitor_withdraw(participation=participation, by=recruiter)
    participation.refresh_from_db()
    assert participation.status == ExhibitorStatus.WITHDRAWN
    assert participation.booth is None
    assert not hasattr(Booth.objects.get(code="B001"), "participation")


# --- booths --------------------------------------------------------------------------------------------------


def _approved(fair, *, by=None, **kwargs):
    """An approved exhibitor (``by`` None: the system, for tests whose database was flushed of staff groups)."""
    participation, *_ = exhibitor(fair, **kwargs)
    return exhibitor_approve(participation=participation, by=by)


def test_allocation_fills_the_preferred_zone_then_the_industrys_then_any(fair):
    manufacturer = _approved(fair, sector="C")  # no preference: zone A is for manufacturing
    coder = _approved(fair, sector="I", zone=fair.zones.get(code="A"))  # asked for A
    software = _approved(fair, sector="I")  # no preference: zone B is for software
    result = booths_allocate(fair=fair, by=host_staff())
    assert {p.pk: b.code for p, b in result.assigned} == {
        manufacturer.pk: "A001",
        coder.pk: "A002",
        software.pk: "B001",
    }
    assert FairLog.objects.filter(action="booth_assigned").count() == 3


def test_allocation_reports_who_could_not_be_placed(fair):
    for _i in range(7):
        _approved(fair)
    result = booths_allocate(fair=fair, by=host_staff())
    assert len(result.assigned) == 6
    assert len(result.unplaced) == 1
    assert Participation.objects.filter(booth__isnull=False).count() == 6


def test_a_manual_move_to_a_taken_booth_is_refused(fair):
    first, second = _approved(fair), _approved(fair)
    booth = Booth.objects.get(code="A003")
    booth_assign(participation=first, booth=booth, by=host_staff())
    with pytest.raises(ApplicationError, match="A003"):
        booth_assign(participation=second, booth=booth, by=host_staff())
    assert Participation.objects.get(booth=booth) == first


def test_only_approved_exhibitors_get_booths(fair):
    participation, *_ = exhibitor(fair)
    with pytest.raises(ApplicationError):
        booth_assign(participation=participation, booth=Booth.objects.get(code="A001"), by=host_staff())


def test_the_database_refuses_two_exhibitors_on_one_booth(fair):
    first, second = _approved(fair), _approved(fair)
    booth = Booth.objects.get(code="A001")
    Participation.objects.filter(pk=first.pk).update(booth=booth)
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.filter(pk=second.pk).update(booth=booth)


def test_the_admin_booth_field_moves_through_the_service(client, fair):
    first, second = _approved(fair), _approved(fair)
    booth_assign(participation=first, booth=Booth.objects.get(code="A001"), by=host_staff())
    client.force_login(host_staff())
    url = reverse("admin:fairs_participation_change", args=[second.pk])
    response = client.post(url, {**_inline_management(client.get(url)), "booth": Booth.objects.get(code="B002").pk})
    assert response.status_code == 302
    assert Participation.objects.get(pk=second.pk).booth.code == "B002"
    assert FairLog.objects.filter(participation=second, action="booth_assigned", to_value="B002").exists()
    # A booth someone else holds is not offered, and posting it anyway changes nothing.
    taken = Booth.objects.get(code="A001")
    assert f'value="{taken.pk}"' not in client.get(url).content.decode()
    client.post(url, {**_inline_management(client.get(url)), "booth": taken.pk})
    assert Participation.objects.get(pk=second.pk).booth.code == "B002"


def _inline_management(page) -> dict[str, str]:
    """The hidden management-form fields of the page's (read-only) inlines, as a browser would post them."""
    html = page.content.decode()
    return dict(re.findall(r'name="([\w-]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)" value="(\d*)"', html))


@pytest.mark.django_db(transaction=True)
def test_two_allocations_racing_for_one_booth_cannot_both_win(reference_data):
    """Two staff members put two exhibitors on the same booth at the same moment: one wins, the other is told."""
    fair = make_fair()
    first, second = _approved(fair), _approved(fair)
    booth = Booth.objects.get(fair=fair, code="B003")
    barrier = threading.Barrier(2)
    outcomes: dict[int, str] = {}

    def move(participation):
        try:
            barrier.wait(timeout=10)
            booth_assign(participation=participation, booth=booth, by=None)
            outcomes[participation.pk] = "won"
        except ApplicationError as error:
            outcomes[participation.pk] = error.message
        finally:
            connection.close()

    threads = [threading.Thread(target=move, args=(p,)) for p in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcome == "won" for outcome in outcomes.values()) == [False, True]
    loser = next(message for message in outcomes.values() if message != "won")
    assert "B003" in loser
    assert Participation.objects.filter(booth=booth).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_whole_allocations_at_once_never_share_a_booth(reference_data):
    fair = make_fair()
    for _i in range(6):
        _approved(fair)
    barrier = threading.Barrier(2)
    errors = []

    def allocate():
        try:
            barrier.wait(timeout=10)
            booths_allocate(fair=fair, by=None)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=allocate) for _i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    codes = list(Participation.objects.filter(fair=fair).values_list("booth__code", flat=True))
    assert None not in codes
    assert len(set(codes)) == 6


def test_the_booth_plan_and_guide_appear_when_published(client, fair):
    participation = _approved(fair)
    booth_assign(participation=participation, booth=Booth.objects.get(code="B001"), by=host_staff())
    for name in ("fairs:guide", "fairs:booths"):
        text = client.get(reverse(name, args=[fair.slug])).content.decode()
        assert participation.employer.name not in text
    fair.exhibitors_published = True
    fair.save(update_fields=["exhibitors_published"])
    for name in ("fairs:guide", "fairs:booths"):
        text = client.get(reverse(name, args=[fair.slug])).content.decode()
        assert participation.employer.name in text
        assert "B001" in text


def test_the_guide_filters_by_zone_industry_and_province(client, fair):
    fair.exhibitors_published = True
    fair.save(update_fields=["exhibitors_published"])
    suzhou = _approved(fair, place=SUZHOU, sector="I")
    hangzhou = _approved(fair, place=HANGZHOU, sector="C")
    booths_allocate(fair=fair, by=host_staff())
    url = reverse("fairs:guide", args=[fair.slug])
    for query, shown, hidden in (
        ("?zone=A", hangzhou, suzhou),
        ("?industry=I", suzhou, hangzhou),
        ("?province=330000", hangzhou, suzhou),
    ):
        text = client.get(url + query).content.decode()
        assert shown.employer.name in text
        assert hidden.employer.name not in text
    assert client.get(url + "?zone=<script>&province=999999").status_code == 200


def test_exhibitors_of_other_employers_stay_out_of_my_centre(client, fair):
    _approved(fair)
    stranger = make_recruiter(EmployerFactory(city=city(PUDONG), industry=industry("I")))
    client.force_login(stranger)
    assert client.get(reverse("fairs:booth", args=[fair.slug])).status_code == 404


def test_a_co_organiser_allocates_only_its_own_provinces_exhibitors(fair):
    shanghai = _approved(fair, place=PUDONG)
    jiangsu = _approved(fair, place=SUZHOU)
    result = booths_allocate(fair=fair, by=staff("310000"))
    assert [p.pk for p, _booth in result.assigned] == [shanghai.pk]
    assert Participation.objects.get(pk=jiangsu.pk).booth is None
    assert booths_allocate(fair=fair, by=staff("340000")).assigned == []  # no part in the fair
