"""Query parameters (?page=, ?year=, ?month=, ids) parsed in one place for every page view and the API.

A malformed or out-of-range value is a clear 400 with a bilingual message, never a server error
and never a silent default that shows other data than the one asked for.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from bangfu.core.domain import inputs
from bangfu.core.errors import ApplicationError, ValidationFailed, invalid
from bangfu.core.policy import date_window, year_range

MAX_PAGE = 100_000
MAX_ID = 2**53  # ids beyond this exist in no table; larger numbers overflow SQLite's INTEGER


def _bad_request(exc: ValidationFailed) -> ApplicationError:
    return ApplicationError(zh=exc.zh, en=exc.en, code="bad_parameter", status=400, problems=exc.problems)


def _raw(source: Any, name: str) -> str | None:
    value = source.get(name) if hasattr(source, "get") else None
    return None if value in (None, "") else str(value)


def integer(
    source: Any,
    name: str,
    *,
    low: int,
    high: int,
    default: int | None = None,
    zh: str | None = None,
    en: str | None = None,
) -> int | None:
    """?name= as a whole number low..high; `default` when absent; 400 otherwise (message says zh/en)."""
    raw = _raw(source, name)
    if raw is None:
        return default
    try:
        return inputs.count(raw, name, low=low, high=high, zh=zh, en=en)
    except ValidationFailed as exc:
        raise _bad_request(exc) from None


def object_id(source: Any, name: str) -> int | None:
    return integer(source, name, low=1, high=MAX_ID)


def page_number(source: Any, name: str = "page") -> int:
    """?page= (1 when absent)."""
    return integer(source, name, low=1, high=MAX_PAGE, default=1, zh="页码", en="the page number") or 1


def year(source: Any, name: str = "year", *, default: int | None = None, ahead: int = 1) -> int:
    """?year= inside the plausible years (policy), this year when absent and no other default."""
    low, high = year_range(ahead=ahead)
    value = integer(
        source,
        name,
        low=low,
        high=high,
        default=default,
        zh="年份（四位数字，如2026）",
        en="the year (four digits, e.g. 2026)",
    )
    return value if value is not None else timezone.localdate().year


def month(source: Any, name: str = "month", *, default: dt.date | None = None) -> dt.date:
    """?month=YYYY-MM as its first day; `default` (or 400 when there is none) when absent."""
    raw = _raw(source, name)
    if raw is None:
        if default is None:
            raise _bad_request(invalid(name, "请填写月份，如 2026-01", "Give the month as YYYY-MM, e.g. 2026-01"))
        return default
    try:
        return inputs.month(raw, name, window=date_window(future=True))
    except ValidationFailed as exc:
        raise _bad_request(exc) from None


def month_text(value: Any, name: str = "month") -> dt.date:
    """A month given as a plain value (an API query argument) rather than a QueryDict."""
    return month({name: value}, name)
