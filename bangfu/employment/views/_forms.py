"""What every employment form view does the same way."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

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
