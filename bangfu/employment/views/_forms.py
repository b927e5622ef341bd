"""What every employment form view does the same way."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from bangfu.core.errors import ApplicationError, NotFound
from bangfu.core.views import field_errors, reraise_access
from bangfu.employment import access


def posted(request: HttpRequest, fields: list[str]) -> dict[str, str]:
    return {f: request.POST.get(f, "").strip() for f in fields}


def failed(exc: ApplicationError, **ctx: Any) -> dict[str, Any]:
    """Context for re-rendering a form: 403/404 go to the error pages, the rest next to the fields."""
    reraise_access(exc)
    return ctx | {"errors": field_errors(exc), "error": exc}


def officers_only(user: Any) -> None:
    """Posts and collective assets are the officers' business; an enterprise user has nothing here."""
    if access.is_operator_user(user):
        raise NotFound()


def ending_form(
    request: HttpRequest,
    *,
    template: str,
    context: dict[str, Any],
    end: Callable[..., Any],
    done: str,
    then: str,
    **then_kwargs: Any,
) -> HttpResponse:
    """The page ending a contract or a welfare post: end date (today by default), coded reason, note.

    `end(end=, reason=, note=)` is the service; its problems are shown next to the fields.
    """
    today = {"values": {"end": timezone.localdate().isoformat()}}
    if request.method != "POST":
        return render(request, template, context | today)
    values = posted(request, ["end", "reason", "note"])
    try:
        end(**values)
    except ApplicationError as exc:
        return render(request, template, context | failed(exc, values=values), status=exc.status)
    messages.success(request, done)
    return redirect(then, **then_kwargs)
