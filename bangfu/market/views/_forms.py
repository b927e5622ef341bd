"""The market's form pages: one generic page (`FormPage`, drawn by market/form.html with the project's
`_field.html`) run by `core.views.form_post`, and the parsers of its typed fields."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from bangfu.core.errors import ApplicationError, invalid
from bangfu.core.views import field_errors, form_post, reraise_access


def _en(name: str, en: str) -> str:
    return en or "The " + name.replace("_", " ")


def decimal_value(raw: str, name: str, zh: str, en: str = "") -> Decimal:
    """A number as typed (thousands separators allowed), or 422 beside the field `name`."""
    try:
        return Decimal(raw.replace(",", "").strip())
    except InvalidOperation:
        raise invalid(name, f"{zh}应为数字", f"{_en(name, en)} must be a number") from None


def date_value(raw: str, name: str, zh: str, en: str = "") -> dt.date:
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise invalid(name, f"{zh}格式应为 年-月-日", f"{_en(name, en)} must be a date (YYYY-MM-DD)") from None


def int_value(raw: str, name: str, zh: str, en: str = "") -> int:
    if not raw.strip().isdigit():
        raise invalid(name, f"{zh}应为整数", f"{_en(name, en)} must be a whole number")
    return int(raw.strip())


@dataclass(frozen=True)
class Field:
    """One input of a form page (market/form.html draws each with the project's `_field.html`)."""

    name: str
    label: str  # in the reader's language (gettext at request time)
    type: str = "text"  # text, date, number, textarea, select, checkbox
    options: tuple[tuple[str, str], ...] = ()
    required: bool = False
    mode: str = ""  # inputmode for phone keyboards: decimal, numeric
    hint: str = ""


@dataclass
class FormPage:
    title: str
    fields: list[Field]
    cancel: str
    intro: str = ""
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    def post[T](
        self,
        request: HttpRequest,
        *,
        run: Callable[[dict[str, str]], T],
        done: str | Callable[[T], str],
        then: Callable[[T], HttpResponse],
        fields: list[str] | None = None,
        forget: tuple[str, ...] = (),
        **extra: Any,
    ) -> HttpResponse:
        """GET shows the page with `values`; POST is `core.views.form_post` (what was typed is kept,
        except the fields in `forget`: an ID number is never echoed back into a page)."""

        return form_post(
            request,
            template="market/form.html",
            context={"page": self} | extra,
            initial=self.values,
            fields=fields or self.names,
            run=run,
            done=done,
            then=then,
            forget=forget,
        )

    def render(self, request: HttpRequest, exc: ApplicationError | None = None, **extra: Any) -> HttpResponse:
        """The page with `values` (and the problems of `exc` beside the fields)."""
        if exc is not None:
            reraise_access(exc)
        errors = field_errors(exc) if exc is not None else {}
        ctx = {"page": self, "values": self.values, "errors": errors} | extra
        return render(request, "market/form.html", ctx, status=exc.status if exc is not None else 200)
