"""Fetching from a real HTTP server on localhost: limits, conditional GET, errors, redirects."""

import gzip
import time

import pytest

from feeds.fetch import FetchError, RetryableFetchError, fetch, is_public_address
from feeds.models import RunStatus, SyncRun
from feeds.services import feed_sync
from jobs.models import JobPosting

from .conftest import FeedServer, Response


def test_fetch_returns_body_and_validators(feed_server):
    url = feed_server.script(
        "f.json", Response(body=b"[]", headers={"ETag": '"abc"', "Last-Modified": "Mon, 01 Jun 2026 00:00:00 GMT"})
    )
    result = fetch(url)
    assert result.status == 200 and result.body == b"[]"
    assert result.etag == '"abc"' and result.last_modified.startswith("Mon")


def test_conditional_get_gives_304_without_a_body(feed_server):
    url = feed_server.script("f.json", Response(body=b"[]", headers={"ETag": '"abc"'}))
    result = fetch(url, etag='"abc"')
    assert result.not_modified and result.body is None
    assert feed_server.hits("f.json")[0]["If-None-Match"] == '"abc"'


def test_404_is_final_and_500_is_retryable(feed_server):
    with pytest.raises(FetchError, match="404") as info:
        fetch(feed_server.url("missing.json"))
    assert not isinstance(info.value, RetryableFetchError)
    url = feed_server.script("down.json", Response(status=503))
    with pytest.raises(RetryableFetchError, match="503"):
        fetch(url)


def test_body_past_the_size_cap_is_refused_with_or_without_content_length(feed_server, settings):
    settings.FEEDS_MAX_BYTES = 10_000
    url = feed_server.script("big.json", Response(body=b"x" * 20_000))
    with pytest.raises(FetchError, match="大小上限"):
        fetch(url)
    url = feed_server.script("big-chunked.json", Response(body=b"x" * 50_000, chunked=True))
    with pytest.raises(FetchError, match="大小上限"):
        fetch(url)


def test_server_that_never_answers_times_out(feed_server, settings):
    settings.FEEDS_READ_TIMEOUT = 0.3
    url = feed_server.script("slow.json", Response(body=b"[]", delay=1.5))
    with pytest.raises(RetryableFetchError, match="超时"):
        fetch(url)


def test_connection_refused_is_retryable(settings):
    settings.FEEDS_ALLOWED_HOSTS = ["127.0.0.1:9"]  # a development host that is down
    with pytest.raises(RetryableFetchError, match="网络错误"):
        fetch("http://127.0.0.1:9/feed.json")


def test_redirects_are_followed_only_to_http(feed_server):
    target = feed_server.script("real.json", Response(body=b"[1]"))
    url = feed_server.script("moved.json", Response(status=302, headers={"Location": target}))
    assert fetch(url).body == b"[1]"
    url = feed_server.script("evil.json", Response(status=301, headers={"Location": "file:///etc/passwd"}))
    with pytest.raises(FetchError, match="http/https"):
        fetch(url)
    url = feed_server.script("ftp.json", Response(status=302, headers={"Location": "ftp://example.cn/feed"}))
    with pytest.raises(FetchError, match="http/https"):
        fetch(url)


def test_only_http_urls_are_fetched():
    with pytest.raises(FetchError, match="http/https"):
        fetch("file:///etc/passwd")


def test_secret_header_goes_to_the_configured_host_only(feed_server, settings):
    url = feed_server.script("auth.json", Response(body=b"[]"))
    settings.FEEDS_ALLOWED_HOSTS = [*settings.FEEDS_ALLOWED_HOSTS, f"localhost:{feed_server.port}"]
    fetch(url, auth_header=("X-Api-Key", "s3cret"))
    assert feed_server.hits("auth.json")[0]["X-Api-Key"] == "s3cret"
    # Same server reached under another host name: a redirect there must not carry the key.
    other = url.replace("127.0.0.1", "localhost").replace("auth.json", "elsewhere.json")
    feed_server.script("elsewhere.json", Response(body=b"[]"))
    hop = feed_server.script("hop.json", Response(status=302, headers={"Location": other}))
    fetch(hop, auth_header=("X-Api-Key", "s3cret"))
    assert "X-Api-Key" not in feed_server.hits("elsewhere.json")[0]


def test_the_total_deadline_holds_against_a_server_that_trickles(feed_server, settings):
    """One byte every 0.2 s for 60 bytes would take 12 s; the 1.5 s deadline ends it within a second of itself."""
    settings.FEEDS_TOTAL_TIMEOUT = 1.5
    settings.FEEDS_READ_TIMEOUT = 5
    url = feed_server.script("slow.json", Response(body=b"[" + b" " * 58 + b"]", trickle=0.2))
    started = time.monotonic()
    with pytest.raises(RetryableFetchError, match="下载时间超过上限"):
        fetch(url)
    assert time.monotonic() - started < settings.FEEDS_TOTAL_TIMEOUT + 1


def test_a_trickle_that_ends_in_time_is_read(feed_server, settings):
    settings.FEEDS_TOTAL_TIMEOUT = 5
    url = feed_server.script("slow-ok.json", Response(body=b"[1, 2]", trickle=0.05))
    assert fetch(url).body == b"[1, 2]"


# --- internal addresses (SSRF) ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def _other_local_server():
    server = FeedServer()
    yield server
    server.close()


@pytest.fixture
def other_local_server(_other_local_server):
    """A second server on loopback that nobody allowed: what an attacker would point a feed or a redirect at."""
    _other_local_server.reset()
    _other_local_server.script("secret.json", Response(body=b'[{"secret": true}]'))
    return _other_local_server


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:{port}/secret.json",  # loopback on another port
        "http://localhost:{port}/secret.json",  # a name that resolves to loopback
        "http://2130706433:{port}/secret.json",  # 127.0.0.1 as a decimal number
        "http://0x7f000001:{port}/secret.json",  # … as hexadecimal
        "http://127.1:{port}/secret.json",  # … shortened
        "http://[::1]:{port}/secret.json",  # IPv6 loopback
        "http://[::ffff:127.0.0.1]:{port}/secret.json",  # IPv4 mapped into IPv6
        "http://10.0.0.5/feed.json",  # private
        "http://192.168.1.10/feed.json",
        "http://172.16.0.1/feed.json",
        "http://169.254.169.254/latest/meta-data/",  # link-local: cloud metadata
        "http://100.64.0.1/feed.json",  # shared address space
        "http://0.0.0.0:{port}/secret.json",
    ],
)
def test_internal_addresses_are_refused_configured_or_by_redirect(feed_server, other_local_server, target):
    target = target.format(port=other_local_server.port)
    with pytest.raises(FetchError, match="内部网络地址") as configured:
        fetch(target)
    assert not isinstance(configured.value, RetryableFetchError)  # final: retrying will not make it public
    hop = feed_server.script("hop.json", Response(status=302, headers={"Location": target}))
    with pytest.raises(FetchError, match="内部网络地址"):
        fetch(hop)
    assert other_local_server.hits("secret.json") == []  # nothing was ever sent there


def test_a_sync_from_an_internal_address_fails_with_a_clear_error_and_changes_nothing(make_source, other_local_server):
    source = make_source(url=other_local_server.url("secret.json"))
    run = SyncRun.objects.create(source=source)
    feed_sync(run=run)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "内部网络地址" in run.error
    assert not JobPosting.objects.exists()
    assert other_local_server.hits("secret.json") == []


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2001:4860:4860::8888", True),
        ("127.0.0.1", False),
        ("::1", False),
        ("::ffff:10.0.0.1", False),
        ("fe80::1%eth0", False),
        ("fc00::1", False),
        ("224.0.0.1", False),
        ("not an address", False),
    ],
)
def test_public_addresses(address, public):
    assert is_public_address(address) is public


def test_a_compressed_body_is_capped_by_its_decompressed_size(feed_server, settings):
    """50 MB of zeros gzipped to ~50 kB: refused at the 1 MB cap as it is inflated, not after."""
    settings.FEEDS_MAX_BYTES = 1_000_000
    bomb = gzip.compress(b"0" * 50_000_000)
    assert len(bomb) < settings.FEEDS_MAX_BYTES
    url = feed_server.script("bomb.json", Response(body=bomb, headers={"Content-Encoding": "gzip"}))
    with pytest.raises(FetchError, match="大小上限"):
        fetch(url)
    small = gzip.compress(b"[1, 2, 3]")
    url = feed_server.script("small.json", Response(body=small, headers={"Content-Encoding": "gzip"}))
    assert fetch(url).body == b"[1, 2, 3]"
