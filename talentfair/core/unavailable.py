"""When the database cannot be reached: a branded "暂时无法访问" page (503, Retry-After) for people and a JSON 503
for the API, instead of a bare 500. Rendered without the database (no session, no user, no context processors).

``server_error`` is the site's ``handler500``: Django calls it for any exception a view or middleware did not handle,
with that exception still being handled, so it can tell a database outage (``OperationalError`` /
``InterfaceError``: refused, reset or timed-out connections) from a bug. The API's own handler
(``api.exceptions``) answers its views the same way.
"""

import sys

from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template.loader import render_to_string

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def is_database_outage(exc: BaseException | None) -> bool:
    return isinstance(exc, DATABASE_ERRORS)


def unavailable_response(request) -> HttpResponse:
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {
                "error": {
                    "status": 503,
                    "code": "unavailable",
                    "message": "服务暂时不可用，请稍后重试。Temporarily unavailable; please retry later.",
                }
            },
            status=503,
        )
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request, template_name: str = "500.html") -> HttpResponse:
    if is_database_outage(sys.exc_info()[1]):
        return unavailable_response(request)
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"error": {"status": 500, "code": "server_error", "message": "服务器内部错误，请稍后重试。"}}, status=500
        )
    return HttpResponseServerError(render_to_string(template_name))
