"""Employer logos a partner feed names (``hiringOrganization.logo``): fetched once, after the sync that created the
employer commits, with the feeds' own safe fetcher (public addresses only, a size cap, a deadline), and kept only
when the bytes are an image we serve as one (PNG, JPEG, GIF or WebP by their signature; never SVG, which can carry
script). A logo that cannot be fetched or is not such an image is logged and left out: the employer simply has none.
"""

import logging

from django.core.files.base import ContentFile
from django.db import transaction

from employers.models import Employer
from talentfair.core.queue import enqueue

from .fetch import FetchError, fetch

logger = logging.getLogger(__name__)

MAX_LOGO_BYTES = 256 * 1024
_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpg"), (b"GIF87a", "gif"), (b"GIF89a", "gif"))


def image_type(data: bytes) -> str | None:
    """The file extension of a PNG, JPEG, GIF or WebP image, read from its first bytes; None for anything else."""
    for signature, extension in _SIGNATURES:
        if data.startswith(signature):
            return extension
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def logos_fetch_later(employer_ids: list[int]) -> None:
    """Queue the logo fetch of these new employers for when the current transaction commits."""
    if employer_ids:
        transaction.on_commit(lambda: enqueue("feeds.fetch_logos", args=[list(employer_ids)]))


def employer_logos_fetch(employer_ids: list[int]) -> int:
    """Fetch the logos of these employers that have a source address and no logo yet; returns how many were kept."""
    kept = 0
    for employer in Employer.objects.filter(pk__in=employer_ids, logo="").exclude(logo_source_url=""):
        url = employer.logo_source_url
        try:
            body = fetch(url, max_bytes=MAX_LOGO_BYTES).body or b""
        except FetchError as exc:
            logger.warning("employer %s: logo %s not fetched: %s", employer.pk, url, exc)
            continue
        extension = image_type(body)
        if extension is None:
            logger.warning("employer %s: logo %s is not a PNG, JPEG, GIF or WebP image; left out", employer.pk, url)
            continue
        employer.logo.save(f"{employer.pk}.{extension}", ContentFile(body), save=False)
        Employer.objects.filter(pk=employer.pk, logo="").update(logo=employer.logo.name)
        kept += 1
    return kept
