from django.conf import settings
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the visitor chose English with the language switch (a cookie).

    Django's own middleware would follow the browser's Accept-Language; this portal is Chinese first, so a browser
    set to English still gets the Chinese site until its user presses "English".
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if not language or not translation.check_for_language(language):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class PermissionsPolicyMiddleware:
    """The Permissions-Policy header (``settings.PERMISSIONS_POLICY``) on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())


def refuse_input(request, message, status: int = 400):
    """Submitted input we will not process: a page saying what was wrong, or for the API a JSON error."""
    if request.path.startswith("/api/"):
        code = "too_large" if status == 413 else "invalid"
        return JsonResponse({"error": {"status": status, "code": code, "message": str(message)}}, status=status)
    return render(request, "core/bad_input.html", {"message": message}, status=status)


class LimitRequestSizeMiddleware:
    """A request body larger than ``MAX_REQUEST_BYTES`` (by its Content-Length) is refused with 413 before anything
    reads it. Django caps form fields (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but not uploads, which it would spool to
    disk however large; the largest thing anyone sends us is a résumé. The proxy in front has the same limit
    (``client_max_body_size`` in the README's nginx example) so the body never reaches gunicorn. A body without a
    Content-Length (chunked) is not read by Django at all."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.MAX_REQUEST_BYTES
        if length > limit:
            message = _("提交的内容太大（%(size)s），最大%(limit)s。未作任何更改。") % {
                "size": filesizeformat(length),
                "limit": filesizeformat(limit),
            }
            return refuse_input(request, message, status=413)
        return self.get_response(request)


class RejectNulMiddleware:
    """A NUL character in any submitted field or query value is refused here, for every form, view and API at once:
    PostgreSQL cannot store it in text, so it would otherwise surface as a server error. Nothing is changed; people
    see a page that says what was wrong, the API a JSON 400. Uploaded files are not affected (their bytes are
    checked by what reads them)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            return refuse_input(request, _("提交的内容含有无效字符（NUL，空字符），未作任何更改。请删除后重新提交。"))
        return self.get_response(request)
