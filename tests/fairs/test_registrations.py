"""Graduates at a fair: registering (window, qualifications, capacity and waitlist, under concurrency), the
e-ticket in every form, cancelling, check-in at the door and the résumé received at a booth."""

import threading
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from fairs.models import Registration, RegistrationStatus
from fairs.services import (
    booth_assign,
    booth_collect_resume,
    exhibitor_approve,
    fair_save,
    normalise_code,
    registration_cancel,
    registration_check_in,
    registration_create,
    shortlist_toggle,
    ticket_token,
)
from fairs.services.registrations import TOKEN_SALT
from jobs.models import Application, ApplicationSource
from talentfair.core.errors import ApplicationError
from tests.accounts.helpers import make_recruiter
from tests.factories import EmployerFactory, JobPostingFactory
from tests.fairs.helpers import exhibitor, graduate, host_staff, make_fair, plain_user, staff, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def fair():
    return make_fair(cohorts=[2026, 2027], min_education=2)


# --- registering -----------------------------------------------------------------------------------------------


def test_registering_gives_a_ticket_and_mails_it(fair, django_capture_on_commit_callbacks):
    user = graduate()
    with django_capture_on_commit_callbacks(execute=True):
        registration = registration_create(fair=fair, graduate=user)
    assert registration.status == RegistrationStatus.REGISTERED
    assert len(registration.code) == 8
    assert (registration.cohort, registration.degree, registration.study_province) == (2026, 3, "320000")
    [message] = mail.outbox
    assert message.to == [user.email]
    assert registration.code_display in message.body
    names = {name: mimetype for name, _content, mimetype in message.attachments}
    assert names == {f"ticket-{registration.code}.png": "image/png", f"fair-{fair.slug}.ics": "text/calendar"}
    png = next(content for name, content, _m in message.attachments if name.endswith(".png"))
    assert png.startswith(b"\x89PNG")
    ics = next(content for name, content, _m in message.attachments if name.endswith(".ics"))
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert "BEGIN:VEVENT" in ics and "RRULE:FREQ=DAILY;COUNT=2" in ics and registration.code_display in ics


@pytest.mark.parametrize(
    ("profile", "field"),
    [
        ({"cohort": 2024}, "cohort"),
        ({"degree": 1}, "degree"),
        ({"study_province": "other"}, "study_province"),
    ],
)
def test_an_unmet_qualification_is_named_with_its_profile_field(fair, profile, field):
    fair.study_provinces.set(["320000", "310000"])
    with pytest.raises(ApplicationError) as refused:
        registration_create(fair=fair, graduate=graduate(**profile))
    assert refused.value.extra["field"] == field
    assert not Registration.objects.exists()


def test_a_profile_without_name_or_mobile_is_sent_to_fill_it(fair):
    with pytest.raises(ApplicationError) as refused:
        registration_create(fair=fair, graduate=plain_user())
    assert refused.value.extra["field"] == "name"


def test_the_refusal_on_the_page_links_to_the_profile_field(client, fair):
    user = graduate(cohort=2020)
    client.force_login(user)
    response = client.post(reverse("fairs:register", args=[fair.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:profile"))
    assert response["Location"].endswith("#id_cohort")
    detail = client.get(reverse("fairs:detail", args=[fair.slug])).content.decode()
    assert "#id_cohort" in detail  # the fair page lists what is unmet, each linking to its field
    assert not Registration.objects.exists()


@pytest.mark.parametrize("when", ["before", "after"])
def test_refused_outside_the_graduate_window(fair, when):
    now = timezone.now()
    if when == "before":
        fair.graduate_registration_opens = now + timedelta(days=1)
    else:
        fair.graduate_registration_opens, fair.graduate_registration_closes = now - timedelta(days=9), now
    fair.save()
    with pytest.raises(ApplicationError, match="报名时间"):
        registration_create(fair=fair, graduate=graduate())
    assert not Registration.objects.exists()


def test_twice_is_refused(fair):
    user = graduate()
    registration_create(fair=fair, graduate=user)
    with pytest.raises(ApplicationError, match="已报名"):
        registration_create(fair=fair, graduate=user)
    assert Registration.objects.count() == 1


def test_capacity_then_waitlist_then_promotion_in_order(fair, django_capture_on_commit_callbacks):
    fair.graduate_capacity = 2
    fair.save()
    users = [graduate() for _i in range(4)]
    registrations = [registration_create(fair=fair, graduate=user) for user in users]
    assert [r.status for r in registrations] == ["registered", "registered", "waitlisted", "waitlisted"]
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=registrations[0], by=users[0])
    statuses = dict(Registration.objects.values_list("graduate", "status"))
    assert statuses[users[2].pk] == "registered"  # the first on the waitlist moves up …
    assert statuses[users[3].pk] == "waitlisted"  # … and only them
    assert statuses[users[0].pk] == "cancelled"
    assert [m.to for m in mail.outbox] == [[users[2].email]]
    assert any(name.endswith(".png") for name, *_ in mail.outbox[0].attachments)


def test_a_waitlisted_cancellation_promotes_nobody(fair):
    fair.graduate_capacity = 1
    fair.save()
    first, second, third = graduate(), graduate(), graduate()
    registration_create(fair=fair, graduate=first)
    waiting = registration_create(fair=fair, graduate=second)
    registration_create(fair=fair, graduate=third)
    registration_cancel(registration=waiting, by=second)
    assert Registration.objects.get(graduate=third).status == "waitlisted"


def test_registering_again_after_cancelling_gives_a_new_ticket(fair):
    user = graduate()
    first = registration_create(fair=fair, graduate=user)
    registration_cancel(registration=first, by=user)
    again = registration_create(fair=fair, graduate=user)
    assert again.pk == first.pk
    assert again.code != first.code  # the cancelled ticket's code never admits again
    assert again.status == "registered"


def test_cancel_is_for_the_graduate_and_until_the_fair_starts(fair):
    user = graduate()
    registration = registration_create(fair=fair, graduate=user)
    with pytest.raises(PermissionDenied):
        registration_cancel(registration=registration, by=graduate())
    start(fair)
    with pytest.raises(ApplicationError, match="已开始"):
        registration_cancel(registration=registration, by=user)
    assert Registration.objects.get().status == "registered"


def test_cancelling_asks_for_confirmation_without_javascript(client, fair):
    user = graduate()
    registration = registration_create(fair=fair, graduate=user)
    client.force_login(user)
    page = client.get(reverse("fairs:cancel", args=[registration.pk]))
    assert "确认取消报名" in page.content.decode()
    assert Registration.objects.get().status == "registered"  # a GET changes nothing
    client.post(reverse("fairs:cancel", args=[registration.pk]))
    assert Registration.objects.get().status == "cancelled"


def test_tickets_are_private(client, fair):
    registration = registration_create(fair=fair, graduate=graduate())
    client.force_login(graduate())
    for name in ("fairs:ticket", "fairs:ticket_ics", "fairs:cancel"):
        assert client.get(reverse(name, args=[registration.pk])).status_code == 404
    assert client.post(reverse("fairs:cancel", args=[registration.pk])).status_code == 404
    assert Registration.objects.get().status == "registered"


def test_the_ticket_page_shows_the_qr_code_and_the_code(client, fair):
    user = graduate()
    registration = registration_create(fair=fair, graduate=user)
    client.force_login(user)
    text = client.get(reverse("fairs:ticket", args=[registration.pk])).content.decode()
    assert "<svg" in text and "<title>" in text
    assert registration.code_display in text
    ics = client.get(reverse("fairs:ticket_ics", args=[registration.pk]))
    assert ics["Content-Type"].startswith("text/calendar")
    assert all(len(line.encode()) <= 75 for line in ics.content.decode().split("\r\n"))
    mine = client.get(reverse("fairs:my_fairs")).content.decode()
    assert registration.code_display in mine
    assert 'class="qr"><title>' in mine


@pytest.mark.django_db(transaction=True)
def test_two_graduates_racing_for_the_last_place(reference_data):
    """One place left, two graduates press the button at the same moment: one gets it, one is waitlisted."""
    fair = make_fair(graduate_capacity=1)
    users = [graduate(), graduate()]
    barrier = threading.Barrier(2)
    errors = []

    def register(user):
        try:
            barrier.wait(timeout=10)
            registration_create(fair=fair, graduate=user)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(Registration.objects.filter(fair=fair).values_list("status", flat=True)) == [
        "registered",
        "waitlisted",
    ]


# --- the door ---------------------------------------------------------------------------------------------------


@pytest.fixture
def open_fair(fair):
    return start(fair)


def test_check_in_admits_once_then_says_already(open_fair):
    registration = registration_create(fair=open_fair, graduate=graduate())
    door = staff("310000")  # a co-organiser's staff work the door too
    first = registration_check_in(fair=open_fair, ticket=registration.code_display.lower(), by=door)
    assert not first.already
    admitted_at = Registration.objects.get().checked_in_at
    assert admitted_at is not None
    second = registration_check_in(fair=open_fair, ticket=ticket_token(registration), by=door)
    assert second.already
    assert Registration.objects.get().checked_in_at == admitted_at  # idempotent


def test_the_check_in_page_says_already_checked_in(client, open_fair):
    registration = registration_create(fair=open_fair, graduate=graduate())
    client.force_login(host_staff())
    url = reverse("fairs:check_in", args=[open_fair.slug])
    first = client.post(url, {"ticket": registration.code}).content.decode()
    assert "签到成功" in first
    second = client.post(url, {"ticket": registration.code}).content.decode()
    assert "已签到" in second and "签到成功" not in second


def _refusal(client, fair, ticket) -> str:
    response = client.post(reverse("fairs:check_in", args=[fair.slug]), {"ticket": ticket})
    assert response.status_code == 400
    return response.content.decode()


def test_forged_unknown_cancelled_waitlisted_and_other_fairs_tickets_are_refused(client, open_fair):
    client.force_login(host_staff())
    cancelled_user = graduate()
    cancelled = registration_create(fair=open_fair, graduate=cancelled_user)
    cancelled.status = RegistrationStatus.CANCELLED
    cancelled.save()
    other = make_fair(slug="other-fair")
    elsewhere = registration_create(fair=other, graduate=graduate())
    open_fair.graduate_capacity = 0
    open_fair.save()
    waiting = registration_create(fair=open_fair, graduate=graduate())
    assert waiting.status == "waitlisted"
    forged = signing.dumps({"f": open_fair.pk, "c": "ZZZZZZZZ"}, salt=TOKEN_SALT, key="not-our-key")
    cases = {
        forged: "校验失败",
        "ABCD-EFGH": "未找到",
        "hello": "8位",
        cancelled.code: "已取消",
        waiting.code: "候补",
        elsewhere.code: other.name,
        ticket_token(elsewhere): other.name,  # a genuine ticket, for the other fair
    }
    for ticket, expected in cases.items():
        assert expected in _refusal(client, open_fair, ticket), ticket
    assert not Registration.objects.filter(checked_in_at__isnull=False).exists()


def test_no_check_in_before_the_fair_is_in_progress(client, fair):
    registration = registration_create(fair=fair, graduate=graduate())
    client.force_login(host_staff())
    assert "尚未开始" in _refusal(client, fair, registration.code)
    assert Registration.objects.get().checked_in_at is None


def test_only_the_fairs_organisers_staff_the_door(client, open_fair):
    registration = registration_create(fair=open_fair, graduate=graduate())
    with pytest.raises(PermissionDenied):
        registration_check_in(fair=open_fair, ticket=registration.code, by=staff("340000"))
    client.force_login(staff("340000"))
    assert client.get(reverse("fairs:check_in", args=[open_fair.slug])).status_code == 403
    client.force_login(graduate())
    assert client.get(reverse("fairs:check_in", args=[open_fair.slug])).status_code == 403
    assert Registration.objects.get().checked_in_at is None


def test_short_codes_are_read_as_people_type_them():
    assert normalise_code(" k7qx-3mpa ") == "K7QX3MPA"
    assert normalise_code("Ｋ７ＱＸ　３ＭＰＡ") == "K7QX3MPA"
    assert normalise_code("1OIL-0000") == "1011" + "0000"


# --- the booth --------------------------------------------------------------------------------------------------


@pytest.fixture
def booth(fair):
    """An exhibitor approved (and on booth B001) before the fair starts; then the doors open."""
    participation, recruiter, job = exhibitor(fair)
    exhibitor_approve(participation=participation, by=host_staff())
    booth_assign(participation=participation, booth=fair.booths.get(code="B001"), by=host_staff())
    start(fair)
    return participation, recruiter, job


def test_a_recruiter_receives_the_resume_at_the_booth(fair, booth):
    open_fair = fair
    participation, recruiter, job = booth
    user = graduate()
    registration = registration_create(fair=open_fair, graduate=user)
    registration_check_in(fair=open_fair, ticket=registration.code, by=host_staff())
    result = booth_collect_resume(participation=participation, ticket=registration.code, job_id=job.pk, by=recruiter)
    assert result.created and result.has_resume
    application = Application.objects.get()
    assert (application.job, application.graduate) == (job, user)
    assert application.source == ApplicationSource.FAIR
    assert application.fair == open_fair
    assert "B001" in application.events.get().note
    again = booth_collect_resume(participation=participation, ticket=registration.code, job_id=job.pk, by=recruiter)
    assert not again.created
    assert Application.objects.count() == 1


def test_the_booth_desk_and_my_applications(client, fair, booth):
    open_fair = fair
    participation, recruiter, job = booth
    user = graduate()
    registration = registration_create(fair=open_fair, graduate=user)
    registration_check_in(fair=open_fair, ticket=registration.code, by=host_staff())
    client.force_login(recruiter)
    response = client.post(reverse("fairs:booth", args=[open_fair.slug]), {"ticket": registration.code, "job": job.pk})
    assert response.status_code == 302
    assert "王小明" in client.get(reverse("fairs:booth", args=[open_fair.slug])).content.decode()
    client.force_login(user)
    assert job.title in client.get(reverse("accounts:applications")).content.decode()


def test_the_booth_refuses_what_it_should(client, fair, booth):
    open_fair = fair
    participation, recruiter, job = booth
    user = graduate()
    registration = registration_create(fair=open_fair, graduate=user)
    # Not admitted at the door yet.
    with pytest.raises(ApplicationError, match="尚未"):
        booth_collect_resume(participation=participation, ticket=registration.code, job_id=job.pk, by=recruiter)
    registration_check_in(fair=open_fair, ticket=registration.code, by=host_staff())
    # A vacancy the exhibitor did not bring, a recruiter of another employer, a made-up code.
    other_recruiter = make_recruiter(EmployerFactory())
    other_job = JobPostingFactory(employer=participation.employer)
    with pytest.raises(ApplicationError, match="带到招聘会"):
        booth_collect_resume(participation=participation, ticket=registration.code, job_id=other_job.pk, by=recruiter)
    with pytest.raises(PermissionDenied):
        booth_collect_resume(participation=participation, ticket=registration.code, job_id=job.pk, by=other_recruiter)
    with pytest.raises(ApplicationError, match="未找到"):
        booth_collect_resume(participation=participation, ticket="AAAA-AAAA", job_id=job.pk, by=recruiter)
    client.force_login(recruiter)
    response = client.post(reverse("fairs:booth", args=[open_fair.slug]), {"ticket": registration.code, "job": "x"})
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_the_live_counters_move(client, fair, booth):
    open_fair = fair
    participation, recruiter, job = booth
    url = reverse("fairs:counters", args=[open_fair.slug])
    assert client.get(url).json() == {
        "fair": open_fair.slug,
        "registered": 0,
        "waitlisted": 0,
        "checked_in": 0,
        "applications": 0,
    }
    user = graduate()
    registration = registration_create(fair=open_fair, graduate=user)
    registration_check_in(fair=open_fair, ticket=registration.code, by=host_staff())
    booth_collect_resume(participation=participation, ticket=registration.code, job_id=job.pk, by=recruiter)
    counters = client.get(url).json()
    assert (counters["registered"], counters["checked_in"], counters["applications"]) == (1, 1, 1)
    page = client.get(reverse("fairs:detail", args=[open_fair.slug])).content.decode()
    assert 'data-counters-url="' + url in page  # refreshed without reload where JavaScript runs
    assert user.email not in str(counters)


# --- the guide ------------------------------------------------------------------------------------------------


def test_the_shortlist_and_one_step_apply_from_the_guide(client, fair):
    participation, _recruiter, job = exhibitor(fair)
    exhibitor_approve(participation=participation, by=host_staff())
    fair.exhibitors_published = True
    fair.save(update_fields=["exhibitors_published"])
    user = graduate()
    client.force_login(user)
    guide = reverse("fairs:guide", args=[fair.slug])
    client.post(reverse("fairs:shortlist", args=[fair.slug, participation.pk]), {"next": guide})
    mine = client.get(guide + "?mine=1").content.decode()
    assert participation.employer.name in mine
    assert 'aria-pressed="true"' in mine
    client.post(reverse("fairs:shortlist", args=[fair.slug, participation.pk]), {"next": "https://evil.example/"})
    assert f'id="exhibitor-{participation.pk}"' not in client.get(guide + "?mine=1").content.decode()
    response = client.post(reverse("jobs:apply", args=[job.pk]), {"fair": fair.slug})
    assert response["Location"] == guide
    application = Application.objects.get(job=job, graduate=user)
    assert application.fair == fair  # the fair's report counts it
    assert application.source == ApplicationSource.ONLINE


def test_applying_with_another_fairs_slug_is_an_ordinary_application(client, fair):
    participation, _recruiter, job = exhibitor(fair)
    other = make_fair(slug="other-fair")
    user = graduate()
    client.force_login(user)
    client.post(reverse("jobs:apply", args=[job.pk]), {"fair": other.slug})
    assert Application.objects.get(job=job).fair is None


def test_more_places_go_to_the_waitlist_in_order(fair, django_capture_on_commit_callbacks):
    fair.graduate_capacity = 1
    fair.save()
    users = [graduate() for _i in range(4)]
    for user in users:
        registration_create(fair=fair, graduate=user)
    fair.refresh_from_db()
    fair.graduate_capacity = 3
    with django_capture_on_commit_callbacks(execute=True):
        fair_save(fair=fair, by=host_staff())
    statuses = [Registration.objects.get(graduate=user).status for user in users]
    assert statuses == ["registered", "registered", "registered", "waitlisted"]
    assert sorted(m.to[0] for m in mail.outbox) == sorted([users[1].email, users[2].email])


def test_only_approved_exhibitors_can_be_shortlisted(client, fair):
    participation, *_ = exhibitor(fair)  # pending
    user = graduate()
    with pytest.raises(ApplicationError):
        shortlist_toggle(user=user, participation=participation)
    client.force_login(user)
    assert client.post(reverse("fairs:shortlist", args=[fair.slug, participation.pk])).status_code == 404
    assert not participation.shortlisted_by.exists()
