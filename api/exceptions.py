"""Every API error is JSON: ``{"error": {"status": 400, "code": "invalid", "message": "…", "details": …}}``."""

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from talentfair.core.errors import ApplicationError
from talentfair.core.unavailable import RETRY_AFTER_SECONDS, is_database_outage

logger = logging.getLogger(__name__)


def _first_message(detail) -> str:
    if isinstance(detail, dict):
        for field, value in detail.items():
            message = _first_message(value)
            return message if field in ("non_field_errors", "detail") else f"{field}: {message}"
    if isinstance(detail, list):
        return _first_message(detail[0]) if detail else ""
    return str(detail)


def error_body(status_code: int, code: str, message: str, details=None) -> dict:
    body = {"status": status_code, "code": code, "message": message}
    if details is not None:
        body["details"] = details
    return {"error": body}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, ApplicationError):
        exc = exceptions.ValidationError(exc.message)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("未找到。"))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if is_database_outage(exc):
        logger.error("Database unreachable in the API: %s", exc)
        response = Response(
            error_body(503, "unavailable", _("服务暂时不可用，请稍后重试。")),
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    response = drf_exception_handler(exc, context)
    if response is None:
        logger.exception("Unhandled error in the API", exc_info=exc)
        return Response(
            error_body(500, "server_error", _("服务器内部错误，请稍后重试。")),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
    if isinstance(exc, exceptions.ValidationError):
        message, details = _first_message(detail), detail
        code = "invalid"
    elif isinstance(exc, exceptions.Throttled):
        message = _("请求过于频繁，请在 %(seconds)d 秒后重试。") % {"seconds": exc.wait or 1}
        details, code = None, "throttled"
    else:
        message, details = str(detail), None
        code = code if isinstance(code, str) else "error"
    response.data = error_body(response.status_code, code, message, details)
    return response


@csrf_exempt  # an API path, whatever the method: a PUT to an unknown one is a 404, not a CSRF page
def not_found(request, *args, **kwargs):
    """Unknown paths under /api/v1/ answer in JSON like everything else."""
    return JsonResponse(
        error_body(404, "not_found", _("没有这个接口：%(path)s") % {"path": request.path}),
        status=404,
        json_dumps_params={"ensure_ascii": False},
    )
