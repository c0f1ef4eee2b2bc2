"""manage.py feed_import and feeds_demo."""

import pytest
from django.core.management import CommandError, call_command

from feeds.models import FeedSource, RunStatus, SyncRun
from jobs.models import JobPosting

from .conftest import SAMPLES

pytestmark = pytest.mark.django_db


def test_feed_import_from_a_file_with_format_override(make_source, capsys):
    make_source(slug="ah", centre_slug="ah-talent", format="jsonld")
    call_command("feed_import", str(SAMPLES / "anhui-gbk.csv"), "--source", "ah", "--format", "csv")
    out = capsys.readouterr()
    assert "created 36" in out.out
    assert "[" in out.err  # the progress bar
    assert JobPosting.objects.published().count() == 36
    assert FeedSource.objects.get(slug="ah").format == "jsonld"  # the override is not saved


def test_feed_import_from_a_url(make_source, feed_server):
    make_source(slug="js")
    call_command("feed_import", feed_server.url("samples/jiangsu.jsonld"), "--source", "js")
    assert JobPosting.objects.count() == 48


def test_feed_import_refuses_unknown_source_and_reports_a_failed_run(make_source, tmp_path):
    with pytest.raises(CommandError, match="No feed source"):
        call_command("feed_import", str(SAMPLES / "jiangsu.jsonld"), "--source", "nope")
    make_source(slug="js")
    bad = tmp_path / "bad.json"
    bad.write_text("[{oops")
    with pytest.raises(CommandError, match="JSON 格式错误"):
        call_command("feed_import", str(bad), "--source", "js")
    assert SyncRun.objects.get().status == RunStatus.FAILED


def test_feeds_demo_configures_sources_and_queues_syncs(settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        call_command("feeds_demo", "--url", "http://127.0.0.1:8000/")
    js = FeedSource.objects.get(slug="js-talent-demo")
    assert js.enabled and js.interval_minutes == 5 and js.centre.name == "江苏省人才流动服务中心"
    assert js.url == "http://127.0.0.1:8000/demo-feeds/jiangsu.jsonld"
    assert SyncRun.objects.filter(status=RunStatus.QUEUED).count() == 4
    assert len(callbacks) == 4
    call_command("feeds_demo", "--no-sync")  # idempotent
    assert FeedSource.objects.count() == 4


@pytest.fixture
def debug_urls(settings):
    """The URL conf as the DEBUG dev server builds it (tests run with DEBUG off)."""
    import importlib

    from django.urls import clear_url_caches

    import talentfair.urls

    settings.DEBUG = True
    importlib.reload(talentfair.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(talentfair.urls)
    clear_url_caches()


def test_demo_feed_is_served_by_the_debug_server_only(client, debug_urls, settings):
    response = client.get("/demo-feeds/jiangsu.jsonld")
    assert response.status_code == 200
    assert b"JobPosting" in b"".join(response.streaming_content)
    assert client.get("/demo-feeds/../../talentfair/settings.py").status_code in (400, 404)  # no path escape


def test_demo_feed_url_does_not_exist_in_production(client):
    assert client.get("/demo-feeds/jiangsu.jsonld").status_code == 404
