"""Centre staff in admin: their province's sources and runs only; "sync now" and applying a held run."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.urls import reverse

from feeds.models import FeedSource, RunStatus, RunTrigger, SyncRun
from feeds.services import feed_sync
from tests.factories import StaffFactory, UserFactory, centre

from .feedkit import feed, jsonld, posting

pytestmark = pytest.mark.django_db


@pytest.fixture
def js_staff():
    user = StaffFactory(centre=centre("js-talent"))
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="feeds"))
    return user


@pytest.fixture
def two_sources(make_source):
    js = make_source(slug="js")
    zj = make_source(slug="zj", centre_slug="zj-talent")
    for source, body in ((js, feed(3)), (zj, jsonld(posting("Z1", title="")))):
        run = SyncRun.objects.create(source=source)
        feed_sync(run=run, body=body)
    return js, zj


def test_staff_see_their_province_only(client, js_staff, two_sources, django_assert_max_num_queries):
    js, zj = two_sources
    client.force_login(js_staff)
    for _ in range(3):
        SyncRun.objects.create(source=js)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("admin:feeds_syncrun_changelist"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "js 职位源" in text and "zj 职位源" not in text
    with django_assert_max_num_queries(12):
        page = client.get(reverse("admin:feeds_feedsource_changelist"))
    assert "js 职位源" in page.content.decode() and "zj 职位源" not in page.content.decode()
    zj_run = SyncRun.objects.filter(source=zj).first()
    assert client.get(reverse("admin:feeds_syncrun_change", args=[zj_run.pk])).status_code == 404
    assert client.get(reverse("admin:feeds_feedsource_change", args=[zj.pk])).status_code == 404
    with django_assert_max_num_queries(12):
        issues = client.get(reverse("admin:feeds_syncissue_changelist"))
    assert issues.status_code == 200 and "缺少职位名称" not in issues.content.decode()


def test_superuser_sees_everything_and_run_page_lists_issues(client, two_sources):
    js, zj = two_sources
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    run = SyncRun.objects.get(source=zj)
    page = client.get(reverse("admin:feeds_syncrun_change", args=[run.pk])).content.decode()
    assert "缺少职位名称" in page and "Z1" in page
    assert "zj 职位源" in client.get(reverse("admin:feeds_syncrun_changelist")).content.decode()


def test_sync_now_action_queues_a_run(client, js_staff, two_sources, django_capture_on_commit_callbacks):
    js, zj = two_sources
    client.force_login(js_staff)
    before = SyncRun.objects.count()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("admin:feeds_feedsource_changelist"),
            {"action": "sync_now", "_selected_action": [js.pk, zj.pk]},  # zj is out of scope: ignored
            follow=True,
        )
    assert response.status_code == 200
    new = SyncRun.objects.exclude(pk__lte=SyncRun.objects.order_by("pk")[before - 1].pk)
    assert [(r.source_id, r.status, r.trigger, r.requested_by_id) for r in new] == [
        (js.pk, RunStatus.QUEUED, RunTrigger.MANUAL, js_staff.pk)
    ]
    assert len(callbacks) == 1  # the Celery task is sent once the run is committed


def test_apply_held_run_action(client, js_staff, make_source, django_capture_on_commit_callbacks):
    source = make_source(slug="js")
    feed_sync(run=SyncRun.objects.create(source=source), body=feed(10))
    held = SyncRun.objects.create(source=source)
    feed_sync(run=held, body=feed(2))
    held.refresh_from_db()
    assert held.status == RunStatus.HELD
    ok = SyncRun.objects.filter(source=source, status=RunStatus.SUCCESS).first()
    client.force_login(js_staff)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("admin:feeds_syncrun_changelist"),
            {"action": "apply_held", "_selected_action": [held.pk, ok.pk]},
            follow=True,
        )
    text = response.content.decode()
    assert "只有“待确认”的同步可以确认生效" in text
    apply = SyncRun.objects.get(applies=held)
    assert apply.trigger == RunTrigger.APPLY and apply.status == RunStatus.QUEUED
    feed_sync(run=apply, body=feed(2))
    assert SyncRun.objects.get(pk=held.pk).status == RunStatus.APPLIED


def test_source_form_refuses_non_http_urls(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        reverse("admin:feeds_feedsource_add"),
        {
            "centre": centre("js-talent").pk,
            "name": "坏地址",
            "slug": "bad",
            "url": "ftp://example.cn/feed.json",
            "format": "jsonld",
            "encoding": "auto",
            "interval_minutes": 60,
            "max_close_share": "0.30",
        },
    )
    assert response.status_code == 200 and not FeedSource.objects.filter(slug="bad").exists()


def test_feed_messages_have_english_translations(client, two_sources):
    from django.utils import translation

    from feeds.parsers import FeedParseError, parse

    with translation.override("en"):
        assert str(RunStatus.HELD.label) == "Held"
        with pytest.raises(FeedParseError, match="Malformed JSON"):
            list(parse(b"[{", format="jsonld"))
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch; the site is Chinese first
    page = client.get(reverse("admin:feeds_syncrun_changelist"))
    assert "Sync runs" in page.content.decode()


def test_staff_set_a_sources_trust_and_the_employers_it_publishes_for(client, js_staff, two_sources):
    js, _zj = two_sources
    client.force_login(js_staff)
    page = client.get(reverse("admin:feeds_feedsource_change", args=[js.pk])).content.decode()
    assert 'name="trust"' in page
    assert 'name="represented_employers"' in page
    for value in ("review", "own_province", "trusted"):
        assert f'value="{value}"' in page


def test_a_sync_run_keeps_the_trace_id_of_the_request_that_started_it(client, js_staff, make_source):
    """The run names the request's trace id (talentfair.core.tracing): its worker's log lines carry the same."""
    source = make_source(slug="js")
    client.force_login(js_staff)

    response = client.post(
        reverse("admin:feeds_feedsource_changelist"), {"action": "sync_now", "_selected_action": [source.pk]}
    )

    run = SyncRun.objects.get(source=source)
    assert run.trace_id == response["X-Request-ID"]
    page = client.get(reverse("admin:feeds_syncrun_change", args=[run.pk])).content.decode()
    assert run.trace_id in page  # staff can look the id up in the logs
