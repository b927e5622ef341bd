"""What a page route answers after an action: a message and a redirect to a browser, or JSON
`{"ok": true, "message_zh", "message_en", "outcome": {...}}` to a client that asked with
`Accept: application/json` (the phone's offline queue, docs/offline.md). Refusals are problem documents
(core.middleware.error_response), also for a stale CSRF token (`csrf_failure`, settings.CSRF_FAILURE_VIEW)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.views.csrf import csrf_failure as django_csrf_failure

from bangfu.core.middleware import problem, problem_response


def wants_json(request: HttpRequest) -> bool:
    """The client asked for JSON first (a browser's form post asks for text/html)."""
    accept = request.headers.get("Accept", "")
    return accept.split(",")[0].strip().startswith(("application/json", "application/problem+json"))


def done(
    request: HttpRequest, *, zh: str, en: str, outcome: dict[str, Any], to: str, status: int = 200
) -> HttpResponse:
    """The answer to a successful action: JSON for the queue, else the message (in the page's language)
    and a redirect to `to` (a URL)."""
    if wants_json(request):
        body = {"ok": True, "message_zh": zh, "message_en": en, "outcome": outcome}
        return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    messages.success(request, en if (get_language() or "").startswith("en") else zh)
    return redirect(to)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A stale or missing CSRF token: a problem document the queue understands (fetch a new token and
    send again with the same Idempotency-Key), Django's page for a browser."""
    if wants_json(request):
        body = problem(
            403,
            "csrf_failed",
            "页面已过期（CSRF校验失败），请刷新后再提交",
            "The page's security token is stale (CSRF check failed); fetch a new token and send again",
        )
        return problem_response(body, 403)
    return django_csrf_failure(request, reason)
