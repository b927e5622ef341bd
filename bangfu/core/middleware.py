"""Maps errors to responses a user can read: pages get `error.html`, /api/ gets RFC 9457 problems.

Every error response under /api/ is an `application/problem+json` document with a Chinese
`message` and an English `message_en`, whatever produced it: an ApplicationError, an unknown URL,
a body too large or malformed, or an unexpected exception (500, logged with its traceback).
Answers to logged-in users stay out of shared caches (PrivateNoStoreMiddleware).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from bangfu.core.errors import ApplicationError

logger = logging.getLogger("django.request")

PROBLEM_JSON = "application/problem+json"

_GENERIC = {
    400: ("bad_request", "请求格式不正确", "The request is malformed"),
    401: ("unauthenticated", "请先登录或提供有效的令牌", "Log in or send a valid Bearer token"),
    403: ("forbidden", "您无权执行此操作", "You may not do this"),
    404: ("not_found", "未找到该记录，或您无权查看", "Not found, or not within your areas"),
    405: ("method_not_allowed", "不支持该请求方法", "This method is not allowed here"),
    413: ("too_large", "提交的内容过大，请分批提交", "The request body is too large; send it in parts"),
    500: (
        "server_error",
        "系统出错，请稍后再试或联系管理员",
        "Server error; try again later or contact the administrator",
    ),
}


def problem(status: int, code: str, zh: str, en: str) -> dict[str, object]:
    """An RFC 9457 problem document with the bilingual fields every Bangfu error carries."""
    return {
        "type": f"urn:bangfu:error:{code}",
        "title": en,
        "status": status,
        "detail": zh,
        "code": code,
        "message": zh,
        "message_en": en,
    }


def problem_response(body: dict[str, object], status: int) -> HttpResponse:
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM_JSON)


def generic_problem(status: int) -> dict[str, object]:
    code, zh, en = _GENERIC.get(status, ("error", "请求无法处理", "The request could not be handled"))
    return problem(status, code, zh, en)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


class ApplicationErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if _is_api(request) and response.status_code >= 400 and not _is_json(response):
            # Django's own 400/404/405/413/500 pages (unknown URL, CSRF, body too large…)
            return problem_response(generic_problem(response.status_code), response.status_code)
        return response

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if isinstance(exc, OverflowError):  # a number no column holds, e.g. ?grid=2**70 on SQLite
            exc = ApplicationError(
                zh="数值超出范围，请检查填写的数字",
                en="A number is out of range; check the numbers sent",
                code="out_of_range",
                status=400,
            )
        if isinstance(exc, ApplicationError):
            return error_response(request, exc)
        if _is_api(request):
            logger.error("Internal Server Error: %s", request.path, exc_info=exc, extra={"status_code": 500})
            return problem_response(generic_problem(500), 500)
        return None


def error_response(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    """The page (error.html) or problem document for `exc`; also for middleware that refuses early."""
    if _is_api(request) or request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse(exc.as_problem(), status=exc.status, content_type=PROBLEM_JSON)
    return render(request, "error.html", {"error": exc}, status=exc.status)


def _is_json(response: HttpResponse) -> bool:
    return "json" in response.get("Content-Type", "")


class PrivateNoStoreMiddleware:
    """`Cache-Control: private, no-store` on every answer to a logged-in user (pages and API).

    Such answers may carry personal data (names, ID numbers, exports); no proxy or browser cache may
    keep them. Anonymous answers (login page, public catalogue) and answers whose view chose its own
    caching (product photos) are left as they are. The API's Bearer user is set on the request
    during the call, so this runs on the way out, when `request.user` is final.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response
