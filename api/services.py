"""Issuing and revoking partner API keys (admin calls these; nothing else writes ``ApiKey`` rows)."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from feeds.models import FeedSource
from regions.models import TalentCentre
from talentfair.core.errors import ApplicationError

from .models import ApiKey

KEY_PREFIX = "tfk"
# Writing last_used_at on every request would turn each read into a write; once a minute is enough to see use.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_key_issue(
    *, centre: TalentCentre, name: str, by: User | None, feed_source: FeedSource | None = None
) -> tuple[ApiKey, str]:
    """A new key for ``centre``; returns the row and the plain key, which is never stored and cannot be shown again.
    With ``feed_source`` (one of the centre's own) the key may also push vacancies into that source."""
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("请填写密钥用途。"))
    if feed_source is not None and feed_source.centre_id != centre.pk:
        raise ValidationError({"feed_source": _("只能选择该中心自己的职位源。")})
    prefix = secrets.token_hex(4)
    while ApiKey.objects.filter(prefix=prefix).exists():  # 2^32 prefixes: a clash is rare but possible
        prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    plain = f"{KEY_PREFIX}_{prefix}_{secret}"
    key = ApiKey.objects.create(
        centre=centre, name=name, feed_source=feed_source, prefix=prefix, digest=_digest(plain), created_by=by
    )
    return key, plain


@transaction.atomic
def api_key_revoke(*, key: ApiKey, by: User | None) -> ApiKey:
    """Revoke ``key`` at once; requests with it are refused from the next request on. Revoking twice is refused."""
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    if key.revoked_at is not None:
        raise ApplicationError(_("密钥“%(key)s”已被吊销。") % {"key": key.prefix})
    key.revoked_at = timezone.now()
    key.revoked_by = by
    key.save(update_fields=["revoked_at", "revoked_by"])
    return key


def api_key_lookup(plain: str) -> ApiKey | None:
    """The active key matching ``plain``, or None (unknown, malformed or revoked)."""
    parts = (plain or "").strip().split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or len(parts[1]) != 8:
        return None
    key = ApiKey.objects.active().select_related("centre", "feed_source").filter(prefix=parts[1]).first()
    if key is None or not hmac.compare_digest(key.digest, _digest(plain.strip())):
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key
