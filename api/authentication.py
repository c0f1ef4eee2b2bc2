"""``Authorization: Api-Key <key>`` or ``X-Api-Key: <key>``. No key is fine (anonymous, lower rate); a wrong or
revoked key is refused with 401, so a partner notices at once instead of silently falling to the anonymous rate."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from .services import api_key_lookup

SCHEME = "Api-Key"


def key_from_request(request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header:
        scheme, _sep, value = header.strip().partition(" ")
        if scheme.lower() == SCHEME.lower():
            return value.strip()
    return request.META.get("HTTP_X_API_KEY") or None


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        plain = key_from_request(request)
        if plain is None:
            return None
        key = api_key_lookup(plain)
        if key is None:
            raise exceptions.AuthenticationFailed(_("API 密钥无效或已被吊销。"))
        return AnonymousUser(), key

    def authenticate_header(self, request) -> str:
        return SCHEME
