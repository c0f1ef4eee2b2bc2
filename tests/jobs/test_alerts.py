"""Saved searches: stored parameters, matching, the high-water mark, the beat task through a worker, unsubscribe."""

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs.alerts import matching_jobs, normalise_querystring, unsubscribe_token
from jobs.models import JobStatus, SavedSearch
from jobs.services import (
    ALERT_SETTLE,
    job_approve,
    job_close,
    job_index,
    job_renew,
    saved_search_create,
    saved_search_send_alert,
    saved_searches_alert_instant,
)
from jobs.tasks import send_search_alerts
from tests.accounts.helpers import make_graduate, worker_mails
from tests.conftest import wait_for
from tests.factories import JobPostingFactory, city

pytestmark = pytest.mark.django_db


def published(minutes_ago: int, **kwargs):
    job = JobPostingFactory(published_at=timezone.now() - timedelta(minutes=minutes_ago), **kwargs)
    job_index(job=job)
    return job


def test_querystring_is_normalised_without_paging():
    assert normalise_querystring("?page=3&q=Java&province=310000&city=") == "province=310000&q=Java"


def test_save_this_search_from_the_search_page(client):
    graduate = make_graduate()
    client.force_login(graduate)
    response = client.post(
        reverse("jobs:alert_save"), {"querystring": "q=Java&province=310000&page=2", "frequency": "instant"}
    )
    assert response.status_code == 302
    search = SavedSearch.objects.get(user=graduate)
    assert (search.querystring, search.frequency) == ("province=310000&q=Java", "instant")
    assert "「Java」" in search.name and "上海" in search.name
    client.post(reverse("jobs:alert_save"), {"querystring": "province=310000&q=Java"})
    assert SavedSearch.objects.count() == 1, "the same search saved twice is one saved search"


def test_matching_follows_the_parameters():
    java_sh = published(10, title="Java开发工程师")
    published(10, title="会计")
    java_sz = published(10, title="Java后端", city=city("320500"))
    assert set(matching_jobs("q=java")) == {java_sh, java_sz}
    assert set(matching_jobs("q=Java&province=310000")) == {java_sh}
    assert set(matching_jobs("city=320500")) == {java_sz}


def test_each_match_is_mailed_once(django_capture_on_commit_callbacks):
    graduate = make_graduate()
    search = saved_search_create(user=graduate, querystring="q=Java")
    SavedSearch.objects.filter(pk=search.pk).update(last_seen_at=timezone.now() - timedelta(hours=2))
    first = published(30, title="Java开发")
    published(30, title="销售代表")
    too_fresh = published(0, title="Java实习")  # inside the settle window: left for the next run
    with django_capture_on_commit_callbacks() as mails:
        assert saved_search_send_alert(search=search) == 1
    assert len(mails) == 1
    with django_capture_on_commit_callbacks() as mails:
        assert saved_search_send_alert(search=search) == 0, "nothing new: nothing mailed"
    assert mails == []
    later = timezone.now() + ALERT_SETTLE + timedelta(seconds=5)
    with django_capture_on_commit_callbacks() as mails:
        assert saved_search_send_alert(search=search, now=later) == 1
    search.refresh_from_db()
    assert search.last_seen_at > too_fresh.published_at > first.published_at


def test_inactive_search_sends_nothing(django_capture_on_commit_callbacks):
    search = saved_search_create(user=make_graduate(), querystring="q=Java")
    SavedSearch.objects.filter(pk=search.pk).update(is_active=False, last_seen_at=timezone.now() - timedelta(hours=2))
    published(30, title="Java开发")
    with django_capture_on_commit_callbacks() as mails:
        assert saved_search_send_alert(search=search) == 0
    assert mails == []


def test_one_click_unsubscribe_and_resubscribe(client):
    search = saved_search_create(user=make_graduate(), querystring="q=Java")
    url = reverse("jobs:alert_unsubscribe", args=[unsubscribe_token(search)])
    response = client.get(url)
    assert response.status_code == 200 and "已退订" in response.content.decode()
    search.refresh_from_db()
    assert not search.is_active
    client.post(url)
    search.refresh_from_db()
    assert search.is_active


def test_tampered_unsubscribe_token_changes_nothing(client):
    search = saved_search_create(user=make_graduate(), querystring="q=Java")
    token = unsubscribe_token(search)
    response = client.get(reverse("jobs:alert_unsubscribe", args=[token[:-2] + "xx"]))
    assert response.status_code == 404
    search.refresh_from_db()
    assert search.is_active


def test_another_users_saved_search_cannot_be_changed(client):
    search = saved_search_create(user=make_graduate(), querystring="q=Java")
    client.force_login(make_graduate())
    response = client.post(reverse("accounts:search_update", args=[search.pk]), {"delete": "1"})
    assert response.status_code == 404
    assert SavedSearch.objects.filter(pk=search.pk).exists()


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_beat_task_mails_matches_through_the_worker(celery_worker_process, reference_data):
    mail_dir = celery_worker_process["mail_dir"]
    before = set(mail_dir.iterdir())
    graduate = make_graduate(email="alerts@example.cn")
    search = saved_search_create(user=graduate, querystring="q=Java", frequency="daily")
    SavedSearch.objects.filter(pk=search.pk).update(last_seen_at=timezone.now() - timedelta(days=1))
    published(60, title="Java开发工程师")
    send_search_alerts.delay(frequency="daily")
    mails = wait_for(lambda: [m for m in worker_mails(mail_dir, before) if "alerts@example.cn" in m["to"]])
    assert mails, "no alert was mailed"
    assert "Java开发工程师" in mails[0]["body"]
    assert "/jobs/alerts/unsubscribe/" in mails[0]["body"]
    search.refresh_from_db()
    assert search.last_sent_at is not None


def test_instant_alerts_follow_the_events_once_each(celery_eager, mailoutbox, django_capture_on_commit_callbacks):
    search = saved_search_create(
        user=make_graduate(email="instant@example.cn"), querystring="q=Java", frequency="instant"
    )
    daily = saved_search_create(user=make_graduate(email="daily@example.cn"), querystring="q=Java")
    saved_searches_alert_instant()  # the consumer's cursor starts at the end of the stream
    java = JobPostingFactory(title="Java开发工程师", status=JobStatus.PENDING, published_at=None)
    JobPostingFactory(title="会计", status=JobStatus.PENDING, published_at=None)
    JobPostingFactory(title="Java架构师", published_at=timezone.now() - timedelta(days=3))  # an old one's event

    with django_capture_on_commit_callbacks(execute=True):
        job_approve(job=java, by=None)  # its commit dispatches the event (in-process here: eager)
    alerts = [m for m in mailoutbox if m.to == ["instant@example.cn"]]
    (alert,) = alerts
    assert not [m for m in mailoutbox if "daily@example.cn" in m.to]
    assert "Java开发工程师" in alert.body and "Java架构师" not in alert.body
    search.refresh_from_db()
    assert search.last_sent_at is not None
    daily.refresh_from_db()
    assert daily.last_sent_at is None, "daily searches wait for their digest"

    with django_capture_on_commit_callbacks(execute=True):
        job_close(job=java, by=None)
    with django_capture_on_commit_callbacks(execute=True):
        job_renew(job=java, by=None)  # public again, but not new
    with django_capture_on_commit_callbacks(execute=True):
        saved_searches_alert_instant()
    assert len([m for m in mailoutbox if m.to == ["instant@example.cn"]]) == 1, "each new vacancy mailed once"


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_an_instant_alert_is_mailed_within_a_minute_of_approval(celery_worker_process, reference_data):
    mail_dir = celery_worker_process["mail_dir"]
    before = set(mail_dir.iterdir())
    search = saved_search_create(user=make_graduate(email="now@example.cn"), querystring="q=焊接", frequency="instant")
    saved_searches_alert_instant()  # a fresh database: start the consumer's cursor here
    job = JobPostingFactory(title="焊接工程师", status=JobStatus.PENDING, published_at=None)

    approved = time.monotonic()
    job_approve(job=job, by=None)  # commits, and asks the worker to dispatch the vacancy's event
    mails = wait_for(lambda: [m for m in worker_mails(mail_dir, before) if "now@example.cn" in m["to"]], timeout=60)
    took = time.monotonic() - approved

    assert mails, "no instant alert within a minute"
    assert "焊接工程师" in mails[0]["body"] and "/jobs/alerts/unsubscribe/" in mails[0]["body"]
    assert took < 60
    search.refresh_from_db()
    assert search.last_sent_at is not None
