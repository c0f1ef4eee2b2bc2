"""Employer verification decisions: the services (state, audit row, e-mail) and the admin queue that calls them."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from employers.models import EmployerReview, VerificationState
from employers.services import employer_reject, employer_suspend, employer_verify
from jobs.models import JobPosting
from talentfair.core.errors import ApplicationError
from tests.factories import EmployerFactory, JobPostingFactory, MembershipFactory, city
from tests.moderation_helpers import HANGZHOU, SUZHOU, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending():
    employer = EmployerFactory(name="苏州星河精密制造有限公司", city=city(SUZHOU), verification_state="pending")
    MembershipFactory(employer=employer, user__email="hr@xinghe.example.cn")
    return employer


def test_verify_records_who_when_and_mails_recruiters(
    pending, celery_eager, mailoutbox, django_capture_on_commit_callbacks
):
    moderator = staff("320000")
    with django_capture_on_commit_callbacks(execute=True):
        employer_verify(employer=pending, by=moderator)
    pending.refresh_from_db()
    assert pending.verification_state == VerificationState.VERIFIED
    assert pending.verified_by == moderator and pending.verified_at is not None
    review = EmployerReview.objects.get(employer=pending)
    assert (review.decision, review.previous_state, review.by) == ("verified", "pending", moderator)
    assert [m.to for m in mailoutbox] == [["hr@xinghe.example.cn"]]
    assert "已通过认证" in mailoutbox[0].subject


def test_reject_needs_a_reason_and_changes_nothing_without_one(pending, mailoutbox):
    with pytest.raises(ValidationError):
        employer_reject(employer=pending, by=staff("320000"), reason="   ")
    pending.refresh_from_db()
    assert pending.verification_state == VerificationState.PENDING
    assert not EmployerReview.objects.exists()


def test_reject_reason_is_stored_and_mailed(pending, celery_eager, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        employer_reject(employer=pending, by=staff("320000"), reason="营业执照信息无法核实")
    pending.refresh_from_db()
    assert pending.verification_state == VerificationState.REJECTED
    assert pending.verification_reason == "营业执照信息无法核实"
    assert EmployerReview.objects.get(employer=pending).reason == "营业执照信息无法核实"
    assert "营业执照信息无法核实" in mailoutbox[0].body


def test_suspend_hides_every_vacancy_and_reinstating_brings_them_back(
    celery_eager, mailoutbox, django_capture_on_commit_callbacks
):
    employer = EmployerFactory(city=city(SUZHOU), contact_email="contact@example.cn")
    jobs = JobPostingFactory.create_batch(3, employer=employer)
    assert JobPosting.objects.published().filter(employer=employer).count() == 3
    moderator = staff("320000")
    with django_capture_on_commit_callbacks(execute=True):
        employer_suspend(employer=employer, by=moderator, reason="发布虚假招聘信息")
    assert JobPosting.objects.published().filter(employer=employer).count() == 0
    # The vacancies themselves are untouched: the visibility rule hides them.
    assert {job.status for job in JobPosting.objects.filter(pk__in=[j.pk for j in jobs])} == {"published"}
    assert mailoutbox[-1].to == ["contact@example.cn"]
    assert "发布虚假招聘信息" in mailoutbox[-1].body

    employer_verify(employer=employer, by=moderator, reason="已整改")
    assert JobPosting.objects.published().filter(employer=employer).count() == 3
    assert list(employer.reviews.values_list("decision", flat=True)) == ["verified", "suspended"]


def test_suspended_employer_page_is_gone(client):
    employer = EmployerFactory(city=city(SUZHOU))
    assert client.get(reverse("employers:detail", args=[employer.pk])).status_code == 200
    employer_suspend(employer=employer, by=staff("320000"), reason="多次被举报并查实")
    assert client.get(reverse("employers:detail", args=[employer.pk])).status_code == 404


def test_decisions_refused_from_the_wrong_state(pending):
    moderator = staff("320000")
    employer_verify(employer=pending, by=moderator)
    with pytest.raises(ApplicationError):
        employer_reject(employer=pending, by=moderator, reason="x")
    with pytest.raises(ApplicationError):
        employer_verify(employer=pending, by=moderator)
    assert EmployerReview.objects.filter(employer=pending).count() == 1


# --- through admin ------------------------------------------------------------------------------------------------


def test_queue_lists_pending_oldest_first_with_uscc_check(client):
    first = EmployerFactory(name="甲单位", city=city(SUZHOU), verification_state="pending")
    second = EmployerFactory(name="乙单位", city=city(SUZHOU), verification_state="pending")
    # A valid code registered in Hangzhou for an employer that says it is in Suzhou.
    mismatched = EmployerFactory(
        name="丙单位",
        city=city(SUZHOU),
        verification_state="pending",
        uscc=EmployerFactory.build(city=city(HANGZHOU)).uscc,
    )
    EmployerFactory(name="丁单位已认证", city=city(SUZHOU))
    client.force_login(staff("320000"))
    response = client.get(reverse("admin:employers_pendingemployer_changelist"))
    names = [employer.name for employer in response.context["cl"].result_list]
    assert names == [first.name, second.name, mismatched.name]
    text = response.content.decode()
    assert "校验位正确，登记地与所在地一致" in text
    assert "登记地代码 330100 与所在地 320500 不符" in text


def test_reject_in_admin_goes_through_a_reason_page(
    client, pending, celery_eager, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(staff("320000"))
    url = reverse("admin:employers_pendingemployer_changelist")
    page = client.post(url, {"action": "reject", "_selected_action": [pending.pk], "index": "0"})
    assert page.status_code == 200
    assert "营业执照信息无法核实" in page.content.decode()  # a standard reason to pick
    # No reason: the page comes back with a message and nothing changes.
    again = client.post(url, {"action": "reject", "_selected_action": [pending.pk], "apply": "1", "reason": ""})
    assert again.status_code == 200
    assert "请选择或填写原因" in again.content.decode()
    pending.refresh_from_db()
    assert pending.verification_state == "pending"

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            url,
            {
                "action": "reject",
                "_selected_action": [pending.pk],
                "apply": "1",
                "standard": "营业执照信息无法核实",
                "reason": "请上传清晰的执照照片",
            },
        )
    assert done.status_code == 302
    pending.refresh_from_db()
    assert pending.verification_state == "rejected"
    assert pending.verification_reason == "营业执照信息无法核实；请上传清晰的执照照片"
    assert mailoutbox and "请上传清晰的执照照片" in mailoutbox[0].body


def test_decision_buttons_on_the_employer_page(client, pending):
    client.force_login(staff("320000"))
    text = client.get(reverse("admin:employers_employer_change", args=[pending.pk])).content.decode()
    assert 'name="action" value="verify"' in text
    assert 'name="action" value="suspend"' in text


def test_verification_fields_cannot_be_edited_in_the_form(client, pending):
    from tests.moderation_helpers import centre_admin

    client.force_login(centre_admin("320000"))
    response = client.get(reverse("admin:employers_employer_change", args=[pending.pk]))
    form = response.context["adminform"].form
    assert "verification_state" not in form.fields
    assert "is_trusted" in form.fields
