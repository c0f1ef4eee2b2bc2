from django.conf import settings
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
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


class RejectNulMiddleware:
    """A NUL character in any submitted field or query value is refused here, for every form, view and API at once:
    PostgreSQL cannot store it in text, so it would otherwise surface as a server error. Nothing is changed; people
    see a page that says what was wrong, the API a JSON 400. Uploaded files are not affected (their bytes are
    checked by what reads them)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _refuse(request):
        message = _("提交的内容含有无效字符（NUL，空字符），未作任何更改。请删除后重新提交。")
        if request.path.startswith("/api/"):
            body = {"error": {"status": 400, "code": "invalid", "message": str(message)}}
            return JsonResponse(body, status=400)
        return render(request, "core/bad_input.html", {"message": message}, status=400)
