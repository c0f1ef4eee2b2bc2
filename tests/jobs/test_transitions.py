"""The vacancy lifecycle is one table (jobs.services.TRANSITIONS): every step is refused, changing nothing, from
every state the table does not list, and leads where the table says from every state it does."""

import pytest

from jobs.models import JobReview, JobStatus
from jobs.services import (
    TRANSITIONS,
    job_approve,
    job_close,
    job_reject,
    job_renew,
    job_submit,
    job_unpublish,
)
from talentfair.core.errors import ApplicationError
from tests.factories import JobPostingFactory

pytestmark = pytest.mark.django_db

STEPS = {
    "submit": lambda job: job_submit(job=job, by=None),
    "approve": lambda job: job_approve(job=job, by=None),
    "reject": lambda job: job_reject(job=job, by=None, reason="薪资写法不规范"),
    "unpublish": lambda job: job_unpublish(job=job, by=None, reason="举报查实"),
    "renew": lambda job: job_renew(job=job, by=None),
    "close": lambda job: job_close(job=job, by=None),
}
CASES = [(step, state) for step in STEPS for state in JobStatus.values]


@pytest.mark.parametrize(("step", "state"), CASES, ids=[f"{step}-from-{state}" for step, state in CASES])
def test_each_step_follows_the_table(step, state):
    job = JobPostingFactory(status=state)
    rule = TRANSITIONS[step]
    audits = JobReview.objects.filter(job=job).count()

    if state in rule.sources:
        STEPS[step](job)
        job.refresh_from_db()
        assert job.status == rule.target
        assert JobReview.objects.filter(job=job).count() == audits + 1
    elif step == "close" and state in (JobStatus.CLOSED, JobStatus.EXPIRED):
        STEPS[step](job)  # closing what is closed is no error, and no second audit row
        job.refresh_from_db()
        assert job.status == state and JobReview.objects.filter(job=job).count() == audits
    else:
        with pytest.raises(ApplicationError):
            STEPS[step](job)
        job.refresh_from_db()
        assert job.status == state
        assert JobReview.objects.filter(job=job).count() == audits
