"""Small helpers shared by the casework page modules."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
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
    at, a bookmark) goes to the page the form lives on, `page` (a URL name given the view's arguments),
    instead of a 405."""

    def wrap(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method != "POST":
                return HttpResponseRedirect(reverse(page, args=args, kwargs=kwargs))
            response: HttpResponse = view(request, *args, **kwargs)
            return response

        return inner

    return wrap
