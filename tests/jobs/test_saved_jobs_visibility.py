"""One visibility rule for saving, applying and the detail page (issue 14, item 1): nothing of a suspended
employer can be reached by guessing its id; a closed vacancy keeps its page but can no longer be saved."""

import pytest
from django.urls import reverse

from employers.services import employer_suspend
from jobs.models import SavedJob
from jobs.services import job_close
from tests.factories import JobPostingFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def graduate(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_a_suspended_employer_s_vacancy_cannot_be_seen_saved_or_applied_to(client, graduate):
    job = JobPostingFactory()
    employer_suspend(employer=job.employer, by=None, reason="营业执照已注销")

    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert client.post(reverse("jobs:save", args=[job.pk])).status_code == 404
    assert client.post(reverse("jobs:apply", args=[job.pk])).status_code == 404
    assert not SavedJob.objects.filter(user=graduate).exists()


def test_a_closed_vacancy_keeps_its_page_but_cannot_be_saved_and_can_be_unsaved(client, graduate):
    open_job, closed = JobPostingFactory(), JobPostingFactory()
    client.post(reverse("jobs:save", args=[open_job.pk]))
    job_close(job=closed, by=None)

    refused = client.post(reverse("jobs:save", args=[closed.pk]), follow=True)

    assert "已停止招聘，无法收藏" in refused.content.decode()
    assert list(SavedJob.objects.filter(user=graduate).values_list("job_id", flat=True)) == [open_job.pk]
    job_close(job=open_job, by=None)
    client.post(reverse("jobs:save", args=[open_job.pk]))  # saved while open: un-saving still works
    assert not SavedJob.objects.filter(user=graduate).exists()
