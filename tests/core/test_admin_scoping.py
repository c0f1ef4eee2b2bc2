"""Centre staff see and act on their own province only, in every admin list, detail page and bulk action."""

import pytest
from django.urls import reverse

from accounts.models import User
from employers.models import EmployerReview, VerificationState
from fairs.models import Fair
from jobs.models import JobPosting, JobReview, JobStatus, Report
from tests.factories import (
    ApplicationFactory,
    EmployerFactory,
    FairFactory,
    JobPostingFactory,
    MembershipFactory,
    ParticipationFactory,
    StaffFactory,
    UserFactory,
    city,
)
from tests.moderation_helpers import HANGZHOU, SUZHOU, centre_admin, staff

pytestmark = pytest.mark.django_db


def _employer(code, **extra):
    return EmployerFactory(city=city(code), **extra)


def _job(code, **extra):
    return JobPostingFactory(employer=_employer(code), **extra)


def _report(code):
    return Report.objects.create(job=_job(code), reporter=UserFactory(), reason="fraud", details="收押金")


def _review(code):
    return JobReview.objects.create(job=_job(code), decision="submitted")


def _exhibitor(code):
    """An exhibitor at a fair every province's centre co-organises (staff act on their own province's)."""
    fair = Fair.objects.filter(slug="joint").first() or FairFactory(
        slug="joint", organised_by=["js-talent", "zj-talent", "ah-talent"]
    )
    return ParticipationFactory(fair=fair, employer=_employer(code))


def _employer_review(code):
    return EmployerReview.objects.create(employer=_employer(code), decision="verified", previous_state="pending")


# (admin url prefix, how to make one object in a city, what the list shows of it)
CASES = [
    ("employers_employer", lambda code: _employer(code), lambda obj: obj.name),
    ("employers_pendingemployer", lambda code: _employer(code, verification_state="pending"), lambda obj: obj.name),
    ("employers_membership", lambda code: MembershipFactory(employer=_employer(code)), lambda obj: obj.employer.name),
    ("employers_employerreview", _employer_review, lambda obj: obj.employer.name),
    ("jobs_jobposting", lambda code: _job(code), lambda obj: obj.title),
    ("jobs_pendingjob", lambda code: _job(code, status=JobStatus.PENDING), lambda obj: obj.title),
    ("jobs_jobreview", _review, lambda obj: obj.job.title),
    ("jobs_application", lambda code: ApplicationFactory(job=_job(code)), lambda obj: obj.job.title),
    ("jobs_report", _report, lambda obj: obj.job.title),
    ("fairs_participation", _exhibitor, lambda obj: obj.employer.name),
]


@pytest.mark.parametrize(("prefix", "make", "shown"), CASES, ids=[case[0] for case in CASES])
def test_jiangsu_staff_see_jiangsu_only(client, prefix, make, shown):
    mine, theirs = make(SUZHOU), make(HANGZHOU)
    client.force_login(centre_admin("320000"))

    page = client.get(reverse(f"admin:{prefix}_changelist"))
    assert page.status_code == 200
    text = page.content.decode()
    assert shown(mine) in text
    assert shown(theirs) not in text

    assert client.get(reverse(f"admin:{prefix}_change", args=[mine.pk])).status_code == 200
    # Another province's object looks exactly like a missing one.
    assert client.get(reverse(f"admin:{prefix}_change", args=[theirs.pk])).status_code == 404


@pytest.mark.parametrize(("prefix", "make", "shown"), CASES, ids=[case[0] for case in CASES])
def test_superuser_sees_every_province(client, prefix, make, shown):
    mine, theirs = make(SUZHOU), make(HANGZHOU)
    client.force_login(User.objects.create_superuser("root@example.cn", "x"))
    text = client.get(reverse(f"admin:{prefix}_changelist")).content.decode()
    assert shown(mine) in text
    assert shown(theirs) in text


def test_staff_without_a_centre_see_nothing(client):
    _employer(SUZHOU)
    user = StaffFactory(centre=None)
    user.groups.add(*staff("320000").groups.all())
    client.force_login(user)
    response = client.get(reverse("admin:employers_employer_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0


def test_users_list_shows_own_province_staff_only(client):
    colleague = staff("320000", email="colleague@js.example.cn")
    other = staff("330000", email="other@zj.example.cn")
    graduate = UserFactory(email="grad@example.cn")
    client.force_login(centre_admin("320000"))
    text = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert colleague.email in text
    assert other.email not in text
    assert graduate.email not in text
    assert client.get(reverse("admin:accounts_user_change", args=[other.pk])).status_code == 404
    # Centre admins look, they do not edit accounts (no way to grant themselves more).
    assert (
        client.post(reverse("admin:accounts_user_change", args=[colleague.pk]), {"is_superuser": "on"}).status_code
        == 403
    )


def _bulk(client, prefix, action, pks, **extra):
    data = {"action": action, "_selected_action": [str(pk) for pk in pks], "index": "0", **extra}
    return client.post(reverse(f"admin:{prefix}_changelist"), data)


def test_bulk_verify_skips_other_provinces(client):
    mine = _employer(SUZHOU, verification_state="pending")
    theirs = _employer(HANGZHOU, verification_state="pending")
    client.force_login(staff("320000"))
    _bulk(client, "employers_pendingemployer", "verify", [mine.pk, theirs.pk])
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.verification_state == VerificationState.VERIFIED
    assert theirs.verification_state == VerificationState.PENDING
    assert not theirs.reviews.exists()


def test_bulk_approve_skips_other_provinces(client):
    mine, theirs = _job(SUZHOU, status=JobStatus.PENDING), _job(HANGZHOU, status=JobStatus.PENDING)
    client.force_login(staff("320000"))
    _bulk(client, "jobs_pendingjob", "approve", [mine.pk, theirs.pk])
    assert JobPosting.objects.get(pk=mine.pk).status == JobStatus.PUBLISHED
    assert JobPosting.objects.get(pk=theirs.pk).status == JobStatus.PENDING
    assert not JobReview.objects.filter(job=theirs).exists()


def test_bulk_reject_with_reason_skips_other_provinces(client):
    mine, theirs = _job(SUZHOU, status=JobStatus.PENDING), _job(HANGZHOU, status=JobStatus.PENDING)
    client.force_login(staff("320000"))
    # The confirmation page lists only the in-scope vacancy …
    page = _bulk(client, "jobs_pendingjob", "reject", [mine.pk, theirs.pk])
    assert page.status_code == 200
    assert mine.title in page.content.decode()
    assert theirs.title not in page.content.decode()
    # … and applying the reason (as the confirmation form posts it) touches only that one.
    data = {"action": "reject", "_selected_action": [mine.pk, theirs.pk], "apply": "1", "reason": "描述不完整"}
    client.post(reverse("admin:jobs_pendingjob_changelist"), data)
    assert JobPosting.objects.get(pk=mine.pk).status == JobStatus.REJECTED
    assert JobPosting.objects.get(pk=theirs.pk).status == JobStatus.PENDING


def test_bulk_report_resolution_skips_other_provinces(client):
    mine, theirs = _report(SUZHOU), _report(HANGZHOU)
    client.force_login(staff("320000"))
    data = {
        "action": "resolve",
        "_selected_action": [mine.pk, theirs.pk],
        "apply": "1",
        "reason": "经核实为虚假招聘",
        "unpublish": "on",
    }
    client.post(reverse("admin:jobs_report_changelist"), data)
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == "resolved" and mine.job_unpublished
    assert theirs.status == "open"
    assert JobPosting.objects.get(pk=theirs.job_id).status == JobStatus.PUBLISHED


def test_foreign_keys_offer_own_province_only(client):
    client.force_login(centre_admin("320000"))
    mine, theirs = _employer(SUZHOU), _employer(HANGZHOU)
    # The employer autocomplete (used by participations) goes through the scoped employer admin.
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "fairs", "model_name": "participation", "field_name": "employer", "term": "公司"},
    )
    assert response.status_code == 200
    ids = {int(item["id"]) for item in response.json()["results"]}
    assert mine.pk in ids
    assert theirs.pk not in ids


def test_models_unreachable_for_staff_without_group(client):
    user = StaffFactory(centre=staff("320000").centre)
    client.force_login(user)
    assert client.get(reverse("admin:employers_employer_changelist")).status_code == 403
    assert client.get(reverse("admin:jobs_jobposting_changelist")).status_code == 403
