"""Input parsed at the edge, in one place: what a person types (a form, an API body, a query) becomes a
typed value here, or a bilingual problem that says how to fix it.

The rule: views and the API parse with these functions; services take typed values (`Decimal`,
`datetime.date`, `int`, clean `str`) and check only what is a business rule of their own (a date not
before the previous step, an amount not above what is left). A service that receives a date from a
caller still refuses a future one with `not_future`, the same words everywhere.

- `money`, `date`, `month`, `whole`, `rate`, `text`, `name`, `code`, `phone`, `choice` each parse one
  value and raise `ValidationFailed` naming the field. A blank value is "fill in …" unless
  `required=False`, which returns None (or "" for text).
- `Problems` collects: `p.money(...)`, `p.date(...)`… return the value or None and remember the
  problem; `p.raise_if_any()` (or leaving `with Problems() as p:`) raises one `ValidationFailed` with
  every problem, so a form shows all its mistakes at once and nothing is half-written.
- Dates live in the project's window (`core/policy.py`: BANGFU_EARLIEST_DATE up to today, or up to
  BANGFU_FUTURE_DAYS ahead with `future=True`).

The checks themselves (bounds, NFKC, invisible characters) are pure Python in `core/domain/inputs.py`,
for the pure `domain/` modules that validate rows of a file; everything else imports this module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from types import TracebackType
from typing import Any, Literal, TypeVar, cast, overload

from django.utils import timezone

from bangfu.core.domain import inputs as _checks
from bangfu.core.domain.inputs import MAX_AMOUNT, MAX_COUNT, DateWindow
from bangfu.core.errors import FieldProblem, ValidationFailed, invalid
from bangfu.core.policy import date_window

__all__ = [
    "MAX_AMOUNT",
    "MAX_COUNT",
    "DateWindow",
    "Problems",
    "blank",
    "choice",
    "code",
    "date",
    "invalid",
    "money",
    "month",
    "name",
    "not_future",
    "phone",
    "rate",
    "text",
    "whole",
]

T = TypeVar("T")


def blank(value: Any) -> bool:
    """Nothing typed: None, or text of spaces only."""
    return value is None or (isinstance(value, str) and not value.strip())


def _words(zh: str | None, en: str | None, default_zh: str, default_en: str) -> tuple[str, str]:
    return zh or default_zh, en or default_en


def _fill_in(field: str, zh: str, en: str) -> ValidationFailed:
    return invalid(field, f"请填写{zh}", f"Fill in the {en}")


# ---------------------------------------------------------------- one value


@overload
def money(
    value: Any,
    field: str = ...,
    *,
    required: Literal[True] = ...,
    positive: bool = ...,
    low: Decimal = ...,
    high: Decimal = ...,
    zh: str | None = ...,
    en: str | None = ...,
) -> Decimal: ...
@overload
def money(
    value: Any,
    field: str = ...,
    *,
    required: bool,
    positive: bool = ...,
    low: Decimal = ...,
    high: Decimal = ...,
    zh: str | None = ...,
    en: str | None = ...,
) -> Decimal | None: ...
def money(
    value: Any,
    field: str = "amount",
    *,
    required: bool = True,
    positive: bool = False,
    low: Decimal = Decimal(0),
    high: Decimal = MAX_AMOUNT,
    zh: str | None = None,
    en: str | None = None,
) -> Decimal | None:
    """Yuan, at most two decimals (never rounded silently), low ≤ amount ≤ high, > 0 with `positive`."""
    if blank(value):
        if required:
            zl, el = _words(zh, en, "金额（元）", "amount in yuan")
            raise _fill_in(field, zl, el)
        return None
    return _checks.amount(value, field, low=low, high=high, positive=positive, zh=zh, en=en)


@overload
def whole(
    value: Any,
    field: str,
    *,
    required: Literal[True] = ...,
    low: int = ...,
    high: int = ...,
    zh: str | None = ...,
    en: str | None = ...,
) -> int: ...
@overload
def whole(
    value: Any,
    field: str,
    *,
    required: bool,
    low: int = ...,
    high: int = ...,
    zh: str | None = ...,
    en: str | None = ...,
) -> int | None: ...
def whole(
    value: Any,
    field: str,
    *,
    required: bool = True,
    low: int = 0,
    high: int = MAX_COUNT,
    zh: str | None = None,
    en: str | None = None,
) -> int | None:
    """A whole number (a count, a quantity of persons, months, days), low ≤ n ≤ high."""
    if blank(value):
        if required:
            zl, el = _words(zh, en, "数量（整数）", "number (a whole number)")
            raise _fill_in(field, zl, el)
        return None
    return _checks.count(value, field, low=low, high=high, zh=zh, en=en)


def not_future(
    day: dt.date, field: str = "on", *, zh: str = "日期", en: str = "date", today: dt.date | None = None
) -> dt.date:
    """`day` itself, unless it is after today (Asia/Shanghai): "<zh>不能晚于今天"; nor before the
    project's earliest plausible date (BANGFU_EARLIEST_DATE: a year 0044 typed for 2044)."""
    today = today or timezone.localdate()
    if day > today:
        raise invalid(field, f"{zh}不能晚于今天", f"The {en} cannot be in the future")
    return _checks.date(day, field, window=date_window(today=today), zh=zh, en=en)


@overload
def date(
    value: Any,
    field: str,
    *,
    required: Literal[True] = ...,
    future: bool = ...,
    zh: str | None = ...,
    en: str | None = ...,
) -> dt.date: ...
@overload
def date(
    value: Any, field: str, *, required: bool, future: bool = ..., zh: str | None = ..., en: str | None = ...
) -> dt.date | None: ...
def date(
    value: Any,
    field: str,
    *,
    required: bool = True,
    future: bool = False,
    zh: str | None = None,
    en: str | None = None,
) -> dt.date | None:
    """YYYY-MM-DD (or a date) from BANGFU_EARLIEST_DATE to today; up to BANGFU_FUTURE_DAYS ahead with
    `future` (plans, contract ends, periods). A date after today without `future` is "不能晚于今天"."""
    zl, el = _words(zh, en, "日期", "date")
    if blank(value):
        if required:
            raise _fill_in(field, zl, el)
        return None
    day = _checks.date(value, field, window=date_window(future=True), zh=zh, en=en)
    return day if future else not_future(day, field, zh=zl, en=el)


def month(value: Any, field: str = "month", *, future: bool = True) -> dt.date:
    """YYYY-MM (or a date) as the first day of its month, inside the project's window."""
    first = _checks.month(value, field, window=date_window(future=True))
    if not future and first > timezone.localdate():
        raise invalid(field, "月份不能晚于本月", "The month cannot be after this month")
    return first


# Text, names, codes, phone numbers and rates need nothing more than the pure checks: the same functions.
rate = _checks.rate  # a share as a fraction (0.7) or a percentage ("70%"), four decimals at most
text = _checks.text  # free text: stripped, bounded, no hidden characters; "" when blank unless required
name = _checks.name  # a person's or an organisation's name: required, no format characters at all
code = _checks.identifier  # a code people type (household number…): NFKC, no invisible characters
phone = _checks.phone  # a phone number kept as digits; "" when blank


def choice(
    value: Any,
    field: str,
    choices: Mapping[str, str],
    *,
    required: bool = True,
) -> str:
    """One key of `choices` (code → Chinese label); "" when blank and not required."""
    v = "" if value is None else str(value).strip()
    if not v and not required:
        return ""
    if v not in choices:
        raise invalid(field, f"请选择：{'、'.join(choices.values())}", f"Choose one of {', '.join(choices)}")
    return v


# ---------------------------------------------------------------- many values, one error


class Problems:
    """Collects the problems of a whole form or payload, then raises once.

        with Problems() as p:
            amount = p.money(post["amount"], "amount")
            day = p.date(post["paid_on"], "paid_on")
        # here every value parsed; otherwise one ValidationFailed listed them all

    Each method returns the parsed value, or None (text: "") when it had a problem: use the values
    after `raise_if_any()` (they are typed as if parsed, which they then are).
    """

    def __init__(self) -> None:
        self.items: list[FieldProblem] = []

    def __bool__(self) -> bool:
        return bool(self.items)

    def __enter__(self) -> Problems:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if kind is None:
            self.raise_if_any()

    def add(self, field: str, zh: str, en: str, row: int | None = None) -> None:
        self.items.append(FieldProblem(field, zh, en, row))

    def has(self, field: str) -> bool:
        return any(p.field == field for p in self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationFailed(list(self.items))

    def check(self, parse: Callable[..., T], *args: Any, fallback: Any = None, **kw: Any) -> T:
        """Run any parser (or a service's check) raising ValidationFailed, and collect its problems.

        The value returned after a problem is `fallback` (None): read the values after `raise_if_any()`.
        """
        try:
            return parse(*args, **kw)
        except ValidationFailed as exc:
            self.items += exc.problems or [FieldProblem("form", exc.zh, exc.en)]
            return cast("T", fallback)

    @overload
    def money(self, value: Any, field: str = ..., *, required: Literal[True] = ..., **kw: Any) -> Decimal: ...
    @overload
    def money(self, value: Any, field: str = ..., *, required: bool, **kw: Any) -> Decimal | None: ...
    def money(self, value: Any, field: str = "amount", *, required: bool = True, **kw: Any) -> Decimal | None:
        return self.check(money, value, field, required=required, **kw)

    @overload
    def whole(self, value: Any, field: str, *, required: Literal[True] = ..., **kw: Any) -> int: ...
    @overload
    def whole(self, value: Any, field: str, *, required: bool, **kw: Any) -> int | None: ...
    def whole(self, value: Any, field: str, *, required: bool = True, **kw: Any) -> int | None:
        return self.check(whole, value, field, required=required, **kw)

    @overload
    def date(self, value: Any, field: str, *, required: Literal[True] = ..., **kw: Any) -> dt.date: ...
    @overload
    def date(self, value: Any, field: str, *, required: bool, **kw: Any) -> dt.date | None: ...
    def date(self, value: Any, field: str, *, required: bool = True, **kw: Any) -> dt.date | None:
        return self.check(date, value, field, required=required, **kw)

    def month(self, value: Any, field: str = "month", **kw: Any) -> dt.date:
        return self.check(month, value, field, **kw)

    def rate(self, value: Any, field: str = "rate", **kw: Any) -> Decimal:
        return self.check(rate, value, field, **kw)

    def text(self, value: Any, field: str, *, max_len: int, **kw: Any) -> str:
        return self.check(text, value, field, max_len=max_len, fallback="", **kw)

    def name(self, value: Any, field: str, *, max_len: int, **kw: Any) -> str:
        return self.check(name, value, field, max_len=max_len, fallback="", **kw)

    def code(self, value: Any, field: str, *, max_len: int, **kw: Any) -> str:
        return self.check(code, value, field, max_len=max_len, fallback="", **kw)

    def phone(self, value: Any, field: str = "phone", **kw: Any) -> str:
        return self.check(phone, value, field, fallback="", **kw)

    def choice(self, value: Any, field: str, choices: Mapping[str, str], **kw: Any) -> str:
        return self.check(choice, value, field, choices, fallback="", **kw)
