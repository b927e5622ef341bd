"""The wage formula: one payroll month of one contract, from attendance and piece counts.

Rules come from configuration rows (WageRule per workshop, effective dates); this module only
computes. Monthly amounts (probation pay, base wage, fixed wage) are prorated by attendance, since
a worker who missed days is not paid the full month; piece and day pay follow the counts as they are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from bangfu.core.domain.money import ZERO, q
from bangfu.employment.domain.months import add_months


class WageKind(StrEnum):
    BASE_PIECE = "base_piece"  # monthly base plus a rate per piece (base may be 0: pure piece rate)
    DAY = "day"  # a rate per day worked
    FIXED = "fixed"  # a fixed monthly wage


WAGE_KIND_LABELS = {WageKind.BASE_PIECE: "底薪+计件", WageKind.DAY: "计日", WageKind.FIXED: "固定月薪"}


@dataclass(frozen=True)
class WageTerms:
    """The rule in force after probation, as configured for the workshop."""

    kind: WageKind
    base: Decimal = ZERO
    piece_rate: Decimal = ZERO
    day_rate: Decimal = ZERO
    fixed: Decimal = ZERO
    cap: Decimal | None = None  # highest monthly pay, if the rule has one


@dataclass(frozen=True)
class Probation:
    start: dt.date  # contract start
    months: int
    monthly_pay: Decimal

    @property
    def ends(self) -> dt.date:
        return add_months(self.start, self.months)

    def covers(self, month: dt.date) -> bool:
        """A payroll month that begins before probation ends is paid at the probation rate."""
        return self.months > 0 and month < self.ends


@dataclass(frozen=True)
class Attendance:
    month: dt.date  # first day of the payroll month
    scheduled_days: int
    days_worked: int
    pieces: int = 0


@dataclass(frozen=True)
class Pay:
    in_probation: bool
    monthly_part: Decimal  # probation pay, base or fixed wage after proration
    piece_part: Decimal
    day_part: Decimal
    capped: bool
    gross: Decimal


class WageInputError(ValueError):
    pass


def _prorate(amount: Decimal, a: Attendance) -> Decimal:
    if a.days_worked >= a.scheduled_days:
        return q(amount)
    return q(amount * a.days_worked / a.scheduled_days)


def _check(a: Attendance) -> None:
    if a.scheduled_days <= 0:
        raise WageInputError("scheduled_days must be positive")
    if a.days_worked < 0 or a.pieces < 0:
        raise WageInputError("days worked and pieces cannot be negative")
    if a.days_worked > 31:
        raise WageInputError("a month has at most 31 days")


def monthly_pay(terms: WageTerms, probation: Probation, a: Attendance) -> Pay:
    """Gross pay for one month; the cap, when set, limits the total whatever its parts."""
    _check(a)
    if probation.covers(a.month):
        part = _prorate(probation.monthly_pay, a)
        return _capped(Pay(True, part, ZERO, ZERO, False, part), terms.cap)
    monthly, pieces, days = ZERO, ZERO, ZERO
    if terms.kind is WageKind.BASE_PIECE:
        monthly = _prorate(terms.base, a)
        pieces = q(terms.piece_rate * a.pieces)
    elif terms.kind is WageKind.DAY:
        days = q(terms.day_rate * a.days_worked)
    else:
        monthly = _prorate(terms.fixed, a)
    return _capped(Pay(False, monthly, pieces, days, False, monthly + pieces + days), terms.cap)


def _capped(pay: Pay, cap: Decimal | None) -> Pay:
    if cap is None or pay.gross <= cap:
        return pay
    return Pay(pay.in_probation, pay.monthly_part, pay.piece_part, pay.day_part, True, q(cap))
