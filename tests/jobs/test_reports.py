"""“Report this vacancy”: logged-in users only, rate-limited, one open report per user and vacancy; staff resolve."""

import pytest
from django.urls import reverse

from jobs.models import JobPosting, JobStatus, Report, ReportStatus, ReviewDecision
from jobs.services import REPORT_RATE_LIMIT, report_dismiss, report_resolve
from talentfair.core.errors import ApplicationError
from tests.factories import JobPostingFactory, UserFactory
from tests.moderation_helpers import staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def job():
    return JobPostingFactory(title="高薪日结客服")


def _report(client, job, **data):
    return client.post(reverse("jobs:report", args=[job.pk]), {"reason": "fraud", "details": "要求先交押金", **data})


def test_vacancy_page_shows_the_form_to_logged_in_users(client, job):
    client.force_login(UserFactory())
    text = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert reverse("jobs:report", args=[job.pk]) in text
    assert "虚假招聘/诈骗" in text and "就业歧视" in text


def test_anonymous_visitors_get_a_login_link(client, job):
    text = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert reverse("jobs:report", args=[job.pk]) not in text
    assert "登录后可举报" in text
    response = _report(client, job)
    assert response.status_code == 302 and "next=" in response["Location"]
    assert not Report.objects.exists()


def test_report_is_stored_and_the_user_is_thanked(client, job):
    user = UserFactory()
    client.force_login(user)
    response = _report(client, job)
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    report = Report.objects.get()
    assert (report.job, report.reporter, report.reason, report.details) == (job, user, "fraud", "要求先交押金")
    page = client.get(response["Location"]).content.decode()
    assert "感谢举报" in page


def test_bad_input_gets_a_message_and_stores_nothing(client, job):
    client.force_login(UserFactory())
    response = _report(client, job, reason="nonsense")
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Report.objects.exists()
    too_long = _report(client, job, details="长" * 2001)
    assert too_long.status_code == 200
    assert not Report.objects.exists()


def test_one_open_report_per_user_and_vacancy(client, job):
    client.force_login(UserFactory())
    _report(client, job)
    again = _report(client, job, reason="other")
    assert again.status_code == 200
    assert "您已举报过该职位" in again.content.decode()
    assert Report.objects.count() == 1


def test_reports_are_rate_limited_per_user(client):
    client.force_login(UserFactory())
    jobs = JobPostingFactory.create_batch(REPORT_RATE_LIMIT + 1)
    for job in jobs[:REPORT_RATE_LIMIT]:
        assert _report(client, job).status_code == 302
    refused = _report(client, jobs[-1])
    assert refused.status_code == 200
    assert "举报过于频繁" in refused.content.decode()
    assert Report.objects.count() == REPORT_RATE_LIMIT
    # Someone else is not affected.
    client.force_login(UserFactory())
    assert _report(client, jobs[-1]).status_code == 302


def test_unpublished_or_draft_vacancies_cannot_be_reported(client):
    client.force_login(UserFactory())
    draft = JobPostingFactory(status=JobStatus.DRAFT)
    assert _report(client, draft).status_code == 404
    assert client.get(reverse("jobs:report", args=[999999])).status_code == 404
    assert not Report.objects.exists()


def test_resolve_with_unpublish_takes_the_vacancy_down(
    job, celery_eager, mailoutbox, django_capture_on_commit_callbacks
):
    report = Report.objects.create(job=job, reporter=UserFactory(), reason="fraud")
    moderator = staff("310000")
    with django_capture_on_commit_callbacks(execute=True):
        report_resolve(report=report, by=moderator, resolution="经核实为虚假招聘", unpublish=True)
    report.refresh_from_db()
    assert (report.status, report.job_unpublished, report.resolved_by) == (ReportStatus.RESOLVED, True, moderator)
    job.refresh_from_db()
    assert job.status == JobStatus.REJECTED
    review = job.reviews.first()
    assert (review.decision, review.reason, review.by) == (ReviewDecision.UNPUBLISHED, "经核实为虚假招聘", moderator)
    assert "经核实为虚假招聘" in mailoutbox[-1].body
    assert not JobPosting.objects.published().filter(pk=job.pk).exists()


def test_dismiss_leaves_the_vacancy_and_needs_a_reason(job):
    report = Report.objects.create(job=job, reporter=UserFactory(), reason="other")
    with pytest.raises(Exception, match="不予处理"):
        report_dismiss(report=report, by=staff("310000"), resolution="")
    report_dismiss(report=report, by=staff("310000"), resolution="经核实职位信息无误")
    report.refresh_from_db()
    assert report.status == ReportStatus.DISMISSED
    assert JobPosting.objects.get(pk=job.pk).status == JobStatus.PUBLISHED
    with pytest.raises(ApplicationError):
        report_resolve(report=report, by=staff("310000"), resolution="再处理一次")


def test_reports_queue_in_admin_open_first(client, job):
    old_done = Report.objects.create(job=job, reporter=UserFactory(), reason="other", status="dismissed")
    open_one = Report.objects.create(job=job, reporter=UserFactory(), reason="discrimination", details="限男性")
    client.force_login(staff("310000"))
    response = client.get(reverse("admin:jobs_report_changelist"))
    assert [r.pk for r in response.context["cl"].result_list] == [open_one.pk, old_done.pk]
    page = client.post(
        reverse("admin:jobs_report_changelist"),
        {"action": "resolve", "_selected_action": [open_one.pk], "index": "0"},
    )
    assert "同时下架职位" in page.content.decode()


def test_the_reporter_on_a_report_leads_to_their_other_reports_not_a_403(client, job):
    reporter = UserFactory(email="often@example.cn", name="常举报")
    report = Report.objects.create(job=job, reporter=reporter, reason="fraud", details="要求先交押金")
    earlier = Report.objects.create(
        job=JobPostingFactory(), reporter=reporter, reason="other", status=ReportStatus.RESOLVED
    )
    someone_else = Report.objects.create(job=JobPostingFactory(), reporter=UserFactory(), reason="other")
    client.force_login(staff("310000"))

    page = client.get(reverse("admin:jobs_report_change", args=[report.pk])).content.decode()
    assert "often@example.cn" in page
    assert f"/admin/accounts/user/{reporter.pk}/" not in page, "no link staff may not open"
    link = f"{reverse('admin:jobs_report_changelist')}?reporter__id__exact={reporter.pk}"
    assert link.replace("&", "&amp;") in page or link in page
    assert "另有 1 条，其中 1 条查实" in page

    listing = client.get(link)
    assert listing.status_code == 200
    shown = {r.pk for r in listing.context["cl"].result_list}
    assert shown == {report.pk, earlier.pk}
    assert someone_else.pk not in shown
