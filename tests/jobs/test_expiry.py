"""Expiry on a schedule: published vacancies past valid_through expire (once, audited); employers are reminded
three days ahead, once per vacancy and validity period. The tasks run in a real Celery worker."""

import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from jobs.models import JobPosting, JobReview, JobStatus, ReviewDecision
from jobs.services import job_renew, jobs_expire, jobs_remind_expiring
from jobs.tasks import expire_vacancies, remind_expiring
from tests.conftest import wait_for
from tests.factories import EmployerFactory, JobPostingFactory, MembershipFactory, centre

NOW = timezone.now


def _job(days: float, **extra):
    return JobPostingFactory(valid_through=NOW() + timedelta(days=days), **extra)


def test_beat_schedules_both_tasks():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"jobs.expire_vacancies", "jobs.remind_expiring"} <= tasks


@pytest.mark.django_db
def test_expire_is_idempotent_and_audited():
    past, future = _job(-1), _job(10)
    closed = _job(-5, status=JobStatus.CLOSED)
    assert jobs_expire() == [past.pk]
    assert jobs_expire() == []
    assert JobPosting.objects.get(pk=past.pk).status == JobStatus.EXPIRED
    assert JobPosting.objects.get(pk=future.pk).status == JobStatus.PUBLISHED
    assert JobPosting.objects.get(pk=closed.pk).status == JobStatus.CLOSED
    assert JobReview.objects.filter(job=past, decision=ReviewDecision.EXPIRED).count() == 1
    assert not JobReview.objects.filter(job=future).exists()


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_time_expire_each_vacancy_once(reference_data):
    jobs = [_job(-1) for _ in range(30)]
    results: list[list[int]] = []
    barrier = threading.Barrier(2)

    def run():
        try:
            barrier.wait()
            results.append(jobs_expire())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    expired = sorted(results[0] + results[1])
    assert expired == sorted(job.pk for job in jobs)  # every one once, none twice
    assert JobReview.objects.filter(decision=ReviewDecision.EXPIRED).count() == 30


@pytest.mark.django_db
def test_reminder_once_per_validity_period_grouped_per_employer(
    celery_eager, mailoutbox, django_capture_on_commit_callbacks
):
    employer = EmployerFactory(name="杭州示例网络有限公司")
    MembershipFactory(employer=employer, user__email="hr@example-hz.cn")
    soon = [_job(2, employer=employer, title="前端工程师"), _job(1, employer=employer, title="产品经理")]
    later = _job(10, employer=employer)
    from_feed = _job(2, source=centre("zj-talent"), external_id="ZJ-1")
    with django_capture_on_commit_callbacks(execute=True):
        reminded = jobs_remind_expiring()
    assert sorted(reminded) == sorted(job.pk for job in soon)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["hr@example-hz.cn"]
    assert "前端工程师" in mailoutbox[0].body and "产品经理" in mailoutbox[0].body
    assert later.title not in mailoutbox[0].body and from_feed.title not in mailoutbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        assert jobs_remind_expiring() == []
    assert len(mailoutbox) == 1

    # Renewed, and again close to the new end: reminded again.
    job_renew(job=soon[0], by=None, days=2)
    assert jobs_remind_expiring() == [soon[0].pk]


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_expiry_and_reminder_through_a_real_worker(reference_data, celery_worker_process):
    mail_dir = celery_worker_process["mail_dir"]
    before = set(mail_dir.iterdir())
    employer = EmployerFactory()
    MembershipFactory(employer=employer, user__email="hr-worker@example.cn")
    expired = _job(-1, employer=employer, title="已过期的职位")
    expiring = _job(2, employer=employer, title="即将到期的职位")

    expire_vacancies.delay()
    remind_expiring.delay()

    assert wait_for(lambda: JobPosting.objects.get(pk=expired.pk).status == JobStatus.EXPIRED)
    assert JobReview.objects.filter(job=expired, decision=ReviewDecision.EXPIRED).count() == 1
    new = wait_for(lambda: set(mail_dir.iterdir()) - before)
    assert new, "the worker sent no reminder"
    text = "".join(path.read_text() for path in new)
    assert "hr-worker@example.cn" in text
    assert JobPosting.objects.get(pk=expiring.pk).expiry_reminded_for is not None
