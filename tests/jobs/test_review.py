"""Vacancy review in admin: the queue, every decision path with its audit row and e-mail, trusted auto-approval."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs.models import JobPosting, JobReview, JobStatus, ReviewDecision
from jobs.services import job_approve, job_submit, job_update
from tests.factories import EmployerFactory, JobPostingFactory, MembershipFactory, city
from tests.moderation_helpers import SUZHOU, staff

pytestmark = pytest.mark.django_db
QUEUE = "admin:jobs_pendingjob_changelist"


@pytest.fixture
def employer():
    employer = EmployerFactory(name="苏州云帆软件有限公司", city=city(SUZHOU))
    MembershipFactory(employer=employer, user__email="hr@yunfan.example.cn")
    return employer


def _pending(employer, **extra):
    job = JobPostingFactory(employer=employer, status=JobStatus.DRAFT, published_at=None, valid_through=None, **extra)
    return job_submit(job=job, by=None)


def _post(client, action, pks, **extra):
    return client.post(reverse(QUEUE), {"action": action, "_selected_action": pks, "index": "0", **extra})


def test_queue_is_pending_only_longest_waiting_first(client, employer):
    first = _pending(employer, title="嵌入式软件工程师")
    second = _pending(employer, title="测试工程师")
    second.save()  # touched after the first was submitted: the first has waited longest either way
    JobPosting.objects.filter(pk=first.pk).update(updated_at=timezone.now() - timedelta(days=2))
    JobPostingFactory(employer=employer, title="已发布的职位")
    client.force_login(staff("320000"))
    response = client.get(reverse(QUEUE))
    assert [job.title for job in response.context["cl"].result_list] == [first.title, second.title]


def test_approve_sets_valid_through_audits_and_mails(
    client, employer, celery_eager, mailoutbox, django_capture_on_commit_callbacks
):
    job = _pending(employer)
    moderator = staff("320000")
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, "approve", [job.pk])
    job.refresh_from_db()
    assert job.status == JobStatus.PUBLISHED
    assert job.valid_through is not None and job.valid_through > timezone.now() + timedelta(days=59)
    review = job.reviews.first()
    assert (review.decision, review.by) == (ReviewDecision.APPROVED, moderator)
    assert mailoutbox[-1].to == ["hr@yunfan.example.cn"]


@pytest.mark.parametrize(
    ("action", "decision", "mail_word"),
    [("reject", ReviewDecision.REJECTED, "未通过审核"), ("request_changes", ReviewDecision.CHANGES_REQUESTED, "修改")],
)
def test_reject_and_request_changes_need_a_reason(
    client, employer, action, decision, mail_word, celery_eager, mailoutbox, django_capture_on_commit_callbacks
):
    job = _pending(employer)
    moderator = staff("320000")
    client.force_login(moderator)
    refused = client.post(reverse(QUEUE), {"action": action, "_selected_action": [job.pk], "apply": "1"})
    assert refused.status_code == 200
    assert JobPosting.objects.get(pk=job.pk).status == JobStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse(QUEUE),
            {
                "action": action,
                "_selected_action": [job.pk],
                "apply": "1",
                "standard": "薪资信息不明确或明显不合理",
            },
        )
    job.refresh_from_db()
    assert job.status == JobStatus.REJECTED
    assert job.rejection_reason == "薪资信息不明确或明显不合理"
    review = job.reviews.first()
    assert (review.decision, review.reason, review.by) == (decision, job.rejection_reason, moderator)
    assert mail_word in mailoutbox[-1].subject
    assert "薪资信息不明确" in mailoutbox[-1].body


def test_bulk_reject_with_one_reason(client, employer):
    jobs = [_pending(employer) for _ in range(3)]
    client.force_login(staff("320000"))
    client.post(
        reverse(QUEUE),
        {"action": "reject", "_selected_action": [j.pk for j in jobs], "apply": "1", "reason": "含有歧视性要求"},
    )
    assert set(JobPosting.objects.filter(pk__in=[j.pk for j in jobs]).values_list("status", flat=True)) == {"rejected"}
    assert JobReview.objects.filter(decision=ReviewDecision.REJECTED, reason="含有歧视性要求").count() == 3


def test_unpublish_from_the_catalogue(client, employer, celery_eager, mailoutbox, django_capture_on_commit_callbacks):
    job = JobPostingFactory(employer=employer)
    client.force_login(staff("320000"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:jobs_jobposting_changelist"),
            {"action": "unpublish", "_selected_action": [job.pk], "apply": "1", "reason": "职位已招满"},
        )
    job.refresh_from_db()
    assert job.status == JobStatus.REJECTED
    assert job.reviews.first().decision == ReviewDecision.UNPUBLISHED
    assert "职位已招满" in mailoutbox[-1].body


def test_resubmission_shows_what_changed(client, employer):
    job = _pending(employer, title="Java开发工程师", salary_min=8000, salary_max=12000)
    job_approve(job=job, by=None)
    job_update(job=job, by=None, salary_min=15000, salary_max=20000)  # substantive: back to review
    assert JobPosting.objects.get(pk=job.pk).status == JobStatus.PENDING
    client.force_login(staff("320000"))
    text = client.get(reverse(QUEUE)).content.decode()
    assert "月薪下限（元）" in text and "月薪上限（元）" in text
    detail = client.get(reverse("admin:jobs_pendingjob_change", args=[job.pk])).content.decode()
    assert "8000" in detail and "15000" in detail


def test_audit_trail_on_the_vacancy_page(client, employer):
    job = _pending(employer)
    moderator = staff("320000")
    job_approve(job=job, by=moderator, reason="")
    client.force_login(moderator)
    text = client.get(reverse("admin:jobs_jobposting_change", args=[job.pk])).content.decode()
    assert "审核记录" in text
    assert "提交审核" in text and "审核通过" in text
    assert str(moderator) in text


def test_trusted_employer_is_auto_approved_and_audited(employer):
    employer.is_trusted = True
    employer.save()
    job = _pending(employer)
    assert job.status == JobStatus.PUBLISHED
    assert list(job.reviews.values_list("decision", flat=True)) == [
        ReviewDecision.AUTO_APPROVED,
        ReviewDecision.SUBMITTED,
    ]


def test_moderator_cannot_edit_vacancy_content(client, employer):
    job = JobPostingFactory(employer=employer, title="原标题")
    client.force_login(staff("320000"))
    response = client.post(reverse("admin:jobs_jobposting_change", args=[job.pk]), {"title": "改过的标题"})
    assert response.status_code == 403
    assert JobPosting.objects.get(pk=job.pk).title == "原标题"


def test_chinese_search_in_admin(client, employer):
    from jobs.services import job_index

    wanted = JobPostingFactory(employer=employer, title="机械设计工程师", description="负责数控机床结构设计")
    other = JobPostingFactory(employer=employer, title="会计", description="负责账务处理")
    for job in (wanted, other):
        job_index(job=job)
    client.force_login(staff("320000"))
    response = client.get(reverse("admin:jobs_jobposting_changelist"), {"q": "机床设计"})
    assert [job.pk for job in response.context["cl"].result_list] == [wanted.pk]
    by_id = client.get(reverse("admin:jobs_jobposting_changelist"), {"q": str(other.pk)})
    assert [job.pk for job in by_id.context["cl"].result_list] == [other.pk]
