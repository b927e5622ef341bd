"""Small helpers shared by the casework page modules."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import resolve, reverse
from django.utils import timezone


def today() -> dt.date:
    return timezone.localdate()


def date_or_none(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def page_on_get(page: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """For a view that only takes a form's POST: a GET (a reload of the address a refused form was shown
    at, a bookmark) is answered by the page the form lives on, `page` (a URL name given the view's
    arguments), instead of a 405 — through that page's own view, so whoever may not see it gets its
    404 (a redirect would answer outsiders with a 302)."""

    def wrap(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method != "POST":
                shown: HttpResponse = resolve(reverse(page, args=args, kwargs=kwargs)).func(request, *args, **kwargs)
                return shown
            response: HttpResponse = view(request, *args, **kwargs)
            return response

        return inner

    return wrap
