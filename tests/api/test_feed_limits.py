"""The outbound feed's limits: full downloads per client (conditional requests free, spoofed X-Forwarded-For no way
out), and how many downloads one process streams at once. tests/core/test_production_server.py checks the stream
limit under gunicorn with clients that stop reading."""

import gc

import pytest

from tests.factories import JobPostingFactory

pytestmark = pytest.mark.django_db

FEED = "/feeds/jobs.jsonld"


def _read(response) -> bytes:
    return b"".join(response.streaming_content)


def test_full_downloads_are_limited_per_client_and_conditional_requests_are_free(client, settings):
    settings.FEED_RATE = "2/h"
    JobPostingFactory()
    first = client.get(FEED)
    etag = first["ETag"]
    _read(first)
    for _ in range(5):
        assert client.get(FEED, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.head(FEED).status_code == 200
    _read(client.get(FEED))

    refused = client.get(FEED, HTTP_X_FORWARDED_FOR="198.51.100.7")  # a header the client wrote changes nothing

    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 3600
    assert refused.json()["error"]["code"] == "throttled"
    assert "If-None-Match" in refused.json()["error"]["message"]
    assert client.get(FEED, HTTP_IF_NONE_MATCH=etag).status_code == 304  # still free
    assert client.get(FEED, REMOTE_ADDR="10.0.0.9").status_code == 200  # another client has its own budget


def test_behind_the_proxy_each_client_is_counted_by_the_proxy_s_entry(client, settings):
    settings.FEED_RATE = "1/h"
    settings.TRUSTED_PROXY_HOPS = 1
    JobPostingFactory()
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    _read(client.get(FEED, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy))

    spoofed = client.get(FEED, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5", **proxy)

    assert spoofed.status_code == 429
    assert client.get(FEED, HTTP_X_FORWARDED_FOR="203.0.113.6", **proxy).status_code == 200


def test_a_process_streams_at_most_feed_max_streams_at_once(client, settings):
    gc.collect()  # responses earlier tests left unread (kept in reference cycles) give their slots back
    settings.FEED_MAX_STREAMS = 1
    JobPostingFactory()
    streaming = client.get(FEED)
    assert streaming.status_code == 200

    busy = client.get(FEED)

    assert busy.status_code == 503
    assert busy["Retry-After"] == "30"
    assert busy.json()["error"]["code"] == "busy"
    _read(streaming)  # sent in full: the stream is closed and its slot given back
    assert b"JobPosting" in _read(client.get(FEED))
