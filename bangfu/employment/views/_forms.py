"""What every employment form view does the same way (the rest is `core.views.form_post`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from bangfu.core import inputs
from bangfu.core.errors import NotFound
from bangfu.core.views import form_post
from bangfu.employment import access


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

    `end(end=<date>, reason=<code>, note=<text>)` is the service; its problems are shown next to the fields.
    """
    return form_post(
        request,
        template=template,
        context=context,
        fields=["end", "reason", "note"],
        initial={"end": timezone.localdate().isoformat()},
        run=lambda v: end(end=inputs.date(v["end"], "end", future=True), reason=v["reason"], note=v["note"]),
        done=done,
        then=lambda _: redirect(then, **then_kwargs),
    )
