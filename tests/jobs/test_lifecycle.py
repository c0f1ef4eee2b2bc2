"""The vacancy lifecycle through its services: draft → pending → published → closed/expired, with an audit trail."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from jobs import services
from jobs.models import JobPosting, JobStatus, ReviewDecision
from talentfair.core.errors import ApplicationError
from tests.factories import EmployerFactory, JobPostingFactory, MembershipFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def recruiter():
    return MembershipFactory().user


@pytest.fixture
def staff():
    return StaffFactory()


def new_draft(employer, by, **overrides):
    fields = {
        "title": "Java开发工程师",
        "description": "负责后端服务开发。\n要求：熟悉Java、Spring。",
        "city": employer.city,
        "industry": employer.industry,
        "salary_min": 10000,
        "salary_max": 15000,
        "headcount": 3,
    }
    return services.job_create(employer=employer, by=by, **{**fields, **overrides})


def test_create_is_a_draft_and_searchable_text_is_indexed(recruiter):
    employer = recruiter.memberships.get().employer
    job = new_draft(employer, recruiter)
    job.refresh_from_db()
    assert job.status == JobStatus.DRAFT
    assert "'java'" in job.search_vector


def test_submit_then_approve_publishes_sets_valid_through_and_mails(
    django_capture_on_commit_callbacks, recruiter, staff
):
    employer = recruiter.memberships.get().employer
    job = new_draft(employer, recruiter)
    services.job_submit(job=job, by=recruiter)
    with django_capture_on_commit_callbacks(execute=True):
        services.job_approve(job=job, by=staff, reason="信息完整")
    job.refresh_from_db()
    assert job.status == JobStatus.PUBLISHED
    assert job.valid_through > timezone.now() + timedelta(days=59)
    assert list(job.reviews.values_list("decision", flat=True)) == [ReviewDecision.APPROVED, ReviewDecision.SUBMITTED]
    approval = job.reviews.first()
    assert approval.by == staff and approval.snapshot["title"] == "Java开发工程师"
    assert len(mail.outbox) == 1 and "已通过审核" in mail.outbox[0].subject
    assert mail.outbox[0].to == [recruiter.email]
    assert JobPosting.objects.published().filter(pk=job.pk).exists()


def test_unverified_employer_cannot_submit(recruiter):
    employer = recruiter.memberships.get().employer
    employer.verification_state = "pending"
    employer.save()
    job = new_draft(employer, recruiter)
    with pytest.raises(ApplicationError, match="认证"):
        services.job_submit(job=job, by=recruiter)
    job.refresh_from_db()
    assert job.status == JobStatus.DRAFT and not job.reviews.exists()


def test_reject_needs_a_reason_and_changes_nothing_without_one(recruiter, staff):
    job = new_draft(recruiter.memberships.get().employer, recruiter)
    services.job_submit(job=job, by=recruiter)
    with pytest.raises(ValidationError):
        services.job_reject(job=job, by=staff, reason="  ")
    job.refresh_from_db()
    assert job.status == JobStatus.PENDING
    services.job_reject(job=job, by=staff, reason="薪资信息不完整")
    job.refresh_from_db()
    assert job.status == JobStatus.REJECTED and job.rejection_reason == "薪资信息不完整"
    # Edited and resubmitted after a rejection.
    services.job_update(job=job, by=recruiter, salary_min=12000)
    services.job_submit(job=job, by=recruiter)
    job.refresh_from_db()
    assert job.status == JobStatus.PENDING and job.rejection_reason == ""


def test_trusted_employer_is_auto_approved_and_audited(recruiter):
    employer = recruiter.memberships.get().employer
    employer.is_trusted = True
    employer.save()
    job = new_draft(employer, recruiter)
    services.job_submit(job=job, by=recruiter)
    job.refresh_from_db()
    assert job.status == JobStatus.PUBLISHED
    assert job.reviews.first().decision == ReviewDecision.AUTO_APPROVED


@pytest.mark.parametrize(
    ("change", "back_to_review"),
    [
        ({"title": "高级Java开发工程师"}, True),
        ({"salary_max": 20000}, True),
        ({"description": "负责后端服务开发。\n要求：熟悉Java、Spring框架。"}, False),  # a correction
        ({"description": "销售岗位，负责华东区客户开发与维护。"}, True),  # a different job
        ({"headcount": 5}, False),
        ({"tags": "五险一金 年终奖"}, False),
    ],
)
def test_editing_published_vacancy(change, back_to_review):
    job = JobPostingFactory(description="负责后端服务开发。\n要求：熟悉Java、Spring。", title="Java开发工程师")
    services.job_update(job=job, by=UserFactory(), **change)
    job.refresh_from_db()
    assert job.status == (JobStatus.PENDING if back_to_review else JobStatus.PUBLISHED)


def test_close_and_renew(recruiter):
    job = JobPostingFactory(employer=recruiter.memberships.get().employer)
    services.job_close(job=job, by=recruiter)
    job.refresh_from_db()
    assert job.status == JobStatus.CLOSED and job.closed_at
    assert not JobPosting.objects.published().filter(pk=job.pk).exists()
    with pytest.raises(ApplicationError):
        services.job_update(job=job, by=recruiter, title="改名")
    services.job_renew(job=job, by=recruiter, days=30)
    job.refresh_from_db()
    assert job.status == JobStatus.PUBLISHED and job.closed_at is None
    assert timezone.now() + timedelta(days=29) < job.valid_through < timezone.now() + timedelta(days=31)
    with pytest.raises(ValidationError):
        services.job_renew(job=job, by=recruiter, days=999)


def test_bulk_decision_reports_what_it_refused(staff):
    pending = [JobPostingFactory(status=JobStatus.PENDING) for _ in range(2)]
    published = JobPostingFactory()
    result = services.jobs_decide(jobs=[*pending, published], by=staff, decision=ReviewDecision.APPROVED)
    assert result.done == 2 and len(result.refused) == 1
    assert all(JobPosting.objects.get(pk=j.pk).status == JobStatus.PUBLISHED for j in pending)


def test_published_excludes_expired_and_unverified_employers():
    visible = JobPostingFactory()
    JobPostingFactory(valid_through=timezone.now() - timedelta(minutes=1))
    JobPostingFactory(employer=EmployerFactory(verification_state="suspended"))
    JobPostingFactory(status=JobStatus.PENDING)
    assert list(JobPosting.objects.published()) == [visible]
