"""Pure calculations of the market module: prices in force, certification validity, parameter choice,
procurement progress and totals. The selectors fetch facts, these functions compute."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from bangfu.core.domain.money import ZERO, q

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class PricePoint:
    effective_from: dt.date
    price: Decimal


def price_on(history: Iterable[PricePoint], day: dt.date) -> Decimal | None:
    """The price in force on `day`: the latest one that had started by then."""
    started = [p for p in history if p.effective_from <= day]
    return max(started, key=lambda p: p.effective_from).price if started else None


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def validity_end(start: dt.date, months: int) -> dt.date:
    """Last valid day of a certification that starts on `start` and lasts `months`."""
    return add_months(start, months) - dt.timedelta(days=1)


def is_valid(certified: bool, valid_from: dt.date | None, valid_until: dt.date | None, day: dt.date) -> bool:
    return bool(certified and valid_from and valid_until and valid_from <= day <= valid_until)


@dataclass(frozen=True, slots=True)
class ParamRow:
    area_code: str  # the 12-digit code of the area the row was configured for
    area_prefix: str  # that area's significant digits (an area covers codes starting with it)
    effective_from: dt.date
    value: Decimal


def pick_param(rows: Iterable[ParamRow], area_code: str, day: dt.date) -> Decimal | None:
    """The value for a place on a day: the most specific area wins, then the latest start date."""
    usable = [r for r in rows if area_code.startswith(r.area_prefix) and r.effective_from <= day]
    if not usable:
        return None
    return max(usable, key=lambda r: (len(r.area_prefix), r.effective_from)).value


@dataclass(frozen=True, slots=True)
class Progress:
    base: Decimal  # the buyer's canteen purchases for the year
    share: Decimal  # e.g. 0.10
    done: Decimal  # settled support-product purchases

    @property
    def target(self) -> Decimal:
        return q(self.base * self.share)

    @property
    def ratio(self) -> Decimal:
        """Done over target, as a fraction (0 when there is no target)."""
        return (self.done / self.target).quantize(Decimal("0.0001")) if self.target > 0 else ZERO

    @property
    def met(self) -> bool:
        return self.done >= self.target


def totals_by[K: Hashable](rows: Iterable[tuple[K, Decimal]]) -> dict[K, Decimal]:
    """Sum amounts per key, exactly."""
    out: dict[K, Decimal] = defaultdict(lambda: ZERO)
    for key, amount in rows:
        out[key] += amount
    return dict(out)


def average(values: Sequence[Decimal]) -> Decimal:
    return q(sum(values, ZERO) / len(values)) if values else ZERO


def line_amount(quantity: Decimal, unit_price: Decimal) -> Decimal:
    return q(quantity * unit_price)
