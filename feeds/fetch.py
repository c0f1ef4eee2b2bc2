"""Fetch a feed over HTTP: streamed, size-capped, time-bounded, conditional, redirects checked hop by hop, and only
from public addresses (checked on the name before each hop and on the address actually connected to)."""

import ipaddress
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

USER_AGENT = "talentfair-feeds/1.0"


class FetchError(Exception):
    """The feed could not be fetched; retrying will not help (4xx, bad redirect, too large)."""


class RetryableFetchError(FetchError):
    """A network error or a 5xx: worth retrying with backoff."""


@dataclass
class FetchResult:
    status: int
    body: bytes | None  # None when not modified
    etag: str = ""
    last_modified: str = ""
    url: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def _check_scheme(url: str) -> None:
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise FetchError(_("只允许 http/https 地址，拒绝访问：%(url)s") % {"url": url[:200]})


def _host_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError:
        raise FetchError(_("无效的地址：%(url)s") % {"url": url[:200]}) from None
    return (parts.hostname or "").lower(), port


def _explicitly_allowed(host: str, port: int) -> bool:
    allowed = {entry.lower() for entry in settings.FEEDS_ALLOWED_HOSTS}
    return f"{host}:{port}" in allowed or host in allowed


def is_public_address(address: str) -> bool:
    """Only globally routable unicast addresses: no loopback, private (10/8, 172.16/12, 192.168/16), link-local,
    shared (100.64/10), reserved, multicast or unspecified ones, in IPv4, IPv6 or IPv4 mapped into IPv6."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_url(url: str) -> None:
    """Refuse a URL that is not http(s) or whose host is internal: the rule for every address we send to on a
    partner's word (feeds we fetch, webhooks we deliver). Raises ``FetchError`` (or ``RetryableFetchError`` when the
    name does not resolve now)."""
    _check_scheme(url)
    _check_target(url)


def validate_public_url(url: str) -> str:
    """``url`` stripped, or a ``ValidationError`` on ``url`` when it is not an address we may send to on a partner's
    word (feed sources and webhook endpoints, at save time): not http(s), or a host that is or resolves to an
    internal address. A name that does not resolve right now is let through: every use checks again."""
    url = (url or "").strip()
    try:
        check_url(url)
    except RetryableFetchError:
        pass
    except FetchError as exc:
        raise ValidationError({"url": str(exc)}) from None
    return url


def _check_target(url: str) -> None:
    """Refuse, before any request, a URL whose host is or resolves to an internal address (written as a name, a
    dotted, decimal or hexadecimal IPv4, or an IPv6 literal), unless staff listed it in FEEDS_ALLOWED_HOSTS."""
    host, port = _host_port(url)
    if not host:
        raise FetchError(_("无效的地址：%(url)s") % {"url": url[:200]})
    if _explicitly_allowed(host, port):
        return
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)}
    except (OSError, UnicodeError):
        raise RetryableFetchError(_("无法解析主机名：%(host)s") % {"host": host[:100]}) from None
    if not addresses or not all(is_public_address(address) for address in addresses):
        raise FetchError(_("拒绝访问内部网络地址：%(url)s") % {"url": url[:200]})


def check_peer(response: httpx.Response, url: str) -> None:
    """The address actually connected to must be public too (a name may resolve differently a moment later)."""
    host, port = _host_port(url)
    if _explicitly_allowed(host, port):
        return
    stream = response.extensions.get("network_stream")
    peer = stream.get_extra_info("server_addr") if stream is not None else None
    if not peer or not is_public_address(str(peer[0])):
        raise FetchError(_("拒绝访问内部网络地址：%(url)s") % {"url": url[:200]})


def fetch(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    auth_header: tuple[str, str] | None = None,
    max_bytes: int | None = None,
) -> FetchResult:
    """GET ``url``; 304 when the partner says nothing changed since ``etag`` / ``last_modified``.

    The partner's secret header goes only to the configured host, never to a host a redirect points at.
    """
    max_bytes = max_bytes or settings.FEEDS_MAX_BYTES
    check_url(url)
    origin = urlsplit(url).netloc.lower()
    timeout = httpx.Timeout(
        connect=settings.FEEDS_CONNECT_TIMEOUT, read=settings.FEEDS_READ_TIMEOUT, write=10.0, pool=10.0
    )
    deadline = time.monotonic() + settings.FEEDS_TOTAL_TIMEOUT
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
            for _hop in range(settings.FEEDS_MAX_REDIRECTS + 1):
                request_headers = dict(headers)
                if auth_header and urlsplit(url).netloc.lower() == origin:
                    request_headers[auth_header[0]] = auth_header[1]
                with client.stream("GET", url, headers=request_headers) as response:
                    check_peer(response, url)
                    if response.status_code in (301, 302, 303, 307, 308):
                        location = response.headers.get("location", "")
                        if not location:
                            raise FetchError(_("重定向缺少 Location 头"))
                        url = urljoin(url, location)
                        check_url(url)  # every hop, before anything is sent to it
                        continue
                    return _read(response, url=url, max_bytes=max_bytes, deadline=deadline)
            raise FetchError(_("重定向次数过多（超过 %(n)d 次）") % {"n": settings.FEEDS_MAX_REDIRECTS})
    except httpx.TimeoutException:
        raise RetryableFetchError(_("连接或读取超时：%(url)s") % {"url": url[:200]}) from None
    except httpx.TransportError as exc:
        raise RetryableFetchError(_("网络错误：%(error)s") % {"error": exc.__class__.__name__}) from None
    except httpx.InvalidURL:
        raise FetchError(_("无效的地址：%(url)s") % {"url": url[:200]}) from None


def _read(response: httpx.Response, *, url: str, max_bytes: int, deadline: float) -> FetchResult:
    status = response.status_code
    if status == 304:
        return FetchResult(status=304, body=None, url=url)
    if status >= 500:
        raise RetryableFetchError(_("合作方服务器错误：HTTP %(status)d") % {"status": status})
    if status != 200:
        raise FetchError(_("无法获取职位源：HTTP %(status)d") % {"status": status})
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(_("职位源超过大小上限 %(mb)s MB") % {"mb": _mb(max_bytes)})
    # The whole body is parsed at once (JSON needs it), so it is held in memory, bounded by max_bytes (counted after
    # decompression). The total deadline holds however the server sends: each piece is checked as it arrives, and a
    # watchdog closes the connection at the deadline, so a server that trickles a byte at a time, or stalls just
    # under the read timeout again and again, cannot keep the worker past it.
    body = bytearray()
    overdue = threading.Event()

    def give_up() -> None:
        overdue.set()
        response.close()

    watchdog = threading.Timer(max(deadline - time.monotonic(), 0.0), give_up)
    watchdog.daemon = True
    watchdog.start()
    try:
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > max_bytes:
                raise FetchError(_("职位源超过大小上限 %(mb)s MB") % {"mb": _mb(max_bytes)})
            if overdue.is_set() or time.monotonic() > deadline:
                raise _too_slow()
    except (httpx.StreamClosed, httpx.ReadError, httpx.RemoteProtocolError):
        if overdue.is_set():
            raise _too_slow() from None
        raise
    finally:
        watchdog.cancel()
    if overdue.is_set():
        raise _too_slow()
    return FetchResult(
        status=status,
        body=bytes(body),
        etag=response.headers.get("etag", "")[:200],
        last_modified=response.headers.get("last-modified", "")[:100],
        url=url,
    )


def _too_slow() -> RetryableFetchError:
    return RetryableFetchError(_("下载时间超过上限 %(s)g 秒") % {"s": settings.FEEDS_TOTAL_TIMEOUT})


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:g}"
