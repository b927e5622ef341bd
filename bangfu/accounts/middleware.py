"""Page writes (POST …) must be declared: undeclared ones get 405, users lacking the capability 403."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

from bangfu.accounts import selectors
from bangfu.accounts.domain.administration import refusal
from bangfu.accounts.domain.roles import writes_of
from bangfu.core.middleware import error_response

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class WriteCapabilityMiddleware:
    """See accounts.domain.roles.writes. Safe by default: a page of ours not declared with `writes`
    only reads, so POST/PUT/PATCH/DELETE to it is 405. Anonymous users are left to login_required
    (login page); Django's own views (login, admin, language) and the API (checked in bangfu.api) are
    not ours to declare."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if request.method in SAFE_METHODS or not getattr(view_func, "__module__", "").startswith("bangfu."):
            return None
        caps = writes_of(view_func)
        if caps is None:
            return HttpResponseNotAllowed(["GET", "HEAD"])
        if not request.user.is_authenticated or selectors.may_write(request.user, caps):
            return None
        return error_response(request, refusal(caps))
