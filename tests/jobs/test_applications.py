from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jobs.models import Application, ApplicationEvent, ApplicationStatus, JobStatus, SavedJob
from jobs.services import application_apply, application_move, application_withdraw
from talentfair.core.errors import ApplicationError
from tests.accounts.helpers import make_graduate, make_recruiter
from tests.conftest import wait_for
from tests.factories import EmployerFactory, JobPostingFactory

pytestmark = pytest.mark.django_db


def apply_url(job):
    return reverse("jobs:apply", args=[job.pk])


def test_apply_in_one_step_from_the_vacancy_page(client):
    graduate = make_graduate()
    job = JobPostingFactory()
    client.force_login(graduate)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "一键申请" in page and 'name="cover_note"' in page
    response = client.post(apply_url(job), {"cover_note": "下周可以到岗"}, follow=True)
    application = Application.objects.get(job=job, graduate=graduate)
    assert application.cover_note == "下周可以到岗"
    assert list(application.events.values_list("status", flat=True)) == [ApplicationStatus.SUBMITTED]
    assert "您已申请该职位" in response.content.decode()


@pytest.mark.parametrize(
    ("job_kwargs", "message"),
    [
        ({"status": JobStatus.CLOSED}, "已停止招聘"),
        ({"valid_through": timezone.now() - timedelta(days=1)}, "已停止招聘"),
        ({"status": JobStatus.REJECTED}, "已停止招聘"),
    ],
)
def test_closed_expired_or_unpublished_vacancies_refuse_applications(client, job_kwargs, message):
    graduate = make_graduate()
    job = JobPostingFactory(**job_kwargs)
    client.force_login(graduate)
    response = client.post(apply_url(job), follow=True)
    assert message in response.content.decode()
    assert not Application.objects.exists()


def test_apply_to_a_vacancy_not_yet_public_is_404(client):
    job = JobPostingFactory(status=JobStatus.PENDING)
    client.force_login(make_graduate())
    assert client.post(apply_url(job)).status_code == 404
    assert not Application.objects.exists()


def test_applying_twice_is_refused_and_creates_nothing(client):
    graduate = make_graduate()
    job = JobPostingFactory()
    client.force_login(graduate)
    client.post(apply_url(job))
    response = client.post(apply_url(job), follow=True)
    assert "您已申请过该职位" in response.content.decode()
    assert Application.objects.count() == 1
    assert ApplicationEvent.objects.count() == 1


def test_applying_without_a_resume_sends_to_the_profile(client):
    graduate = make_graduate(resume=False)
    job = JobPostingFactory()
    client.force_login(graduate)
    response = client.post(apply_url(job))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:profile"))
    assert not Application.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "请先上传简历" in page


def test_anonymous_apply_is_sent_to_log_in(client):
    job = JobPostingFactory()
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "登录后申请" in page
    response = client.post(apply_url(job))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert not Application.objects.exists()


def test_closed_vacancy_page_offers_no_apply_form(client):
    job = JobPostingFactory(status=JobStatus.CLOSED)
    client.force_login(make_graduate())
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "一键申请" not in page


def test_recruiter_moves_the_application_and_graduate_sees_it(client):
    graduate = make_graduate()
    job = JobPostingFactory()
    recruiter = make_recruiter(job.employer)
    application = application_apply(job=job, graduate=graduate)
    client.force_login(recruiter)
    response = client.post(
        reverse("employers:application_move", args=[application.pk]),
        {"status": "interview", "note": "请于周三下午2点到公司面试"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INTERVIEW
    client.force_login(graduate)
    page = client.get(reverse("accounts:applications")).content.decode()
    assert "邀请面试" in page and "请于周三下午2点到公司面试" in page


def test_move_refusals():
    graduate = make_graduate()
    job = JobPostingFactory()
    recruiter = make_recruiter(job.employer)
    application = application_apply(job=job, graduate=graduate)
    with pytest.raises(Exception) as error:
        application_move(application=application, by=recruiter, status="submitted")
    assert "status" in str(error.value)
    other = make_recruiter(EmployerFactory())
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        application_move(application=application, by=other, status="interview")
    application_withdraw(application=application, by=graduate)
    with pytest.raises(ApplicationError):
        application_move(application=application, by=recruiter, status="interview")
    assert Application.objects.get().status == ApplicationStatus.WITHDRAWN


def test_graduate_withdraws_own_application_only(client):
    graduate = make_graduate()
    application = application_apply(job=JobPostingFactory(), graduate=graduate)
    intruder = make_graduate()
    client.force_login(intruder)
    assert client.post(reverse("accounts:withdraw", args=[application.pk])).status_code == 404
    assert Application.objects.get().status == ApplicationStatus.SUBMITTED
    client.force_login(graduate)
    client.post(reverse("accounts:withdraw", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert list(application.events.values_list("status", flat=True)) == ["submitted", "withdrawn"]


def test_my_applications_lists_only_my_own(client, django_assert_max_num_queries):
    graduate = make_graduate()
    for _ in range(5):
        application_apply(job=JobPostingFactory(), graduate=graduate)
    theirs = application_apply(job=JobPostingFactory(title="别人的职位"), graduate=make_graduate())
    client.force_login(graduate)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("accounts:applications")).content.decode()
    assert page.count('class="card application"') == 5
    assert theirs.job.title not in page


def test_my_applications_needs_login(client):
    response = client.get(reverse("accounts:applications"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_save_and_unsave_a_vacancy(client):
    graduate = make_graduate()
    job = JobPostingFactory()
    client.force_login(graduate)
    client.post(reverse("jobs:save", args=[job.pk]))
    assert SavedJob.objects.filter(user=graduate, job=job).exists()
    assert job.title in client.get(reverse("accounts:saved_jobs")).content.decode()
    client.post(reverse("jobs:save", args=[job.pk]))
    assert not SavedJob.objects.exists()


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_recruiters_and_graduate_are_mailed_by_the_worker(celery_worker_process, reference_data):
    mail_dir = celery_worker_process["mail_dir"]
    before = set(mail_dir.iterdir())
    graduate = make_graduate(email="grad-mail@example.cn")
    job = JobPostingFactory(title="数据分析师")
    recruiter = make_recruiter(job.employer)
    with transaction.atomic():
        application = application_apply(job=job, graduate=graduate, cover_note="你好")

    def mails():
        return [path.read_text() for path in set(mail_dir.iterdir()) - before]

    received = wait_for(lambda: [text for text in mails() if recruiter.email in text])
    assert received, "the recruiters got no mail"
    with transaction.atomic():
        application_move(application=application, by=recruiter, status="interview", note="周三面试")
    changed = wait_for(lambda: [text for text in mails() if "grad-mail@example.cn" in text])
    assert changed, "the graduate got no mail"
    assert "周三面试" in changed[0]
