"""What every market form view does the same way: read posted values, run a service, and either go on
or show the problems next to the fields (403/404 go to the error pages)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from bangfu.core.errors import ApplicationError, invalid
from bangfu.core.views import field_errors, reraise_access


def decimal_field(request: HttpRequest, name: str, zh: str) -> Decimal:
    raw = request.POST.get(name, "").replace(",", "").strip()
    try:
        return Decimal(raw)
    except InvalidOperation:
        raise invalid(name, f"{zh}应为数字", f"{name} must be a number") from None


def date_field(request: HttpRequest, name: str, zh: str) -> dt.date:
    try:
        return dt.date.fromisoformat(request.POST.get(name, "").strip())
    except ValueError:
        raise invalid(name, f"{zh}格式应为 年-月-日", f"{name} must be YYYY-MM-DD") from None


def optional_date(request: HttpRequest, name: str, zh: str) -> dt.date | None:
    return date_field(request, name, zh) if request.POST.get(name, "").strip() else None


def int_field(request: HttpRequest, name: str, zh: str) -> int:
    raw = request.POST.get(name, "").strip()
    if not raw.isdigit():
        raise invalid(name, f"{zh}应为整数", f"{name} must be a whole number")
    return int(raw)


def posted(request: HttpRequest, fields: list[str]) -> dict[str, str]:
    return {f: request.POST.get(f, "").strip() for f in fields}


def run(request: HttpRequest, ok: str, action: Any) -> None:
    """For the small inline forms of a detail page: success and input problems become messages."""
    try:
        action()
        messages.success(request, ok)
    except ApplicationError as exc:
        reraise_access(exc)
        messages.error(request, "；".join(m for msgs in field_errors(exc).values() for m in msgs))


@dataclass(frozen=True)
class Field:
    """One input of a form page (market/form.html draws them all the same way)."""

    name: str
    label: str
    en: str
    type: str = "text"  # text, date, number, textarea, select, checkbox
    options: tuple[tuple[str, str], ...] = ()
    required: bool = False
    mode: str = ""  # inputmode for phone keyboards: decimal, numeric
    hint: str = ""


@dataclass
class FormPage:
    title: str
    en: str
    fields: list[Field]
    cancel: str
    intro: str = ""
    values: dict[str, Any] = field(default_factory=dict)

    def render(self, request: HttpRequest, exc: ApplicationError | None = None, **extra: Any) -> HttpResponse:
        if exc is not None:
            reraise_access(exc)
        errors = field_errors(exc) if exc is not None else {}
        rows = [(f, self.values.get(f.name, ""), errors.get(f.name, [])) for f in self.fields]
        known = {f.name for f in self.fields}
        rest = [m for k, msgs in errors.items() if k not in known for m in msgs]
        ctx = {"page": self, "rows": rows, "form_errors": rest} | extra
        return render(request, "market/form.html", ctx, status=exc.status if exc is not None else 200)
