"""The wage formula: one payroll month of one contract, from attendance and piece counts.

Rules come from configuration rows (WageRule per workshop, effective dates); this module only
computes. Monthly amounts (probation pay, base wage, fixed wage) are prorated by attendance, since
a worker who missed days is not paid the full month; piece and day pay follow the counts as they are.

Probation runs from the contract's start for whole months: a contract from 1 October with three
months is on probation through 31 December (story A), one from 15 June through 14 September (or
through 15 September where the county counts that day in, `Probation.end_day_included`). A
month in which probation ends is split at that day: the days before at the probation rate, the
rest by the regular rule (the month's pieces all count there; probation pay is flat). How days are
counted is the county's convention (`DayCount`, an employment parameter): calendar days of the
month, or working days over the legal 21.75 pay days a month (月计薪天数).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

from bangfu.core.domain.money import ZERO, q
from bangfu.core.domain.text import gettext_noop
from bangfu.core.domain.workdays import is_working_day
from bangfu.employment.domain.months import add_months


class DayCount(StrEnum):
    CALENDAR = "calendar"  # share of the month's calendar days
    LEGAL = "legal_21_75"  # working days (Mon–Fri, less holidays) / 21.75


DAY_COUNT_LABELS = {
    DayCount.CALENDAR: gettext_noop("按当月日历天数"),
    DayCount.LEGAL: gettext_noop("按月计薪天数21.75天"),
}
LEGAL_PAY_DAYS = Decimal("21.75")


class WageKind(StrEnum):
    BASE_PIECE = "base_piece"  # monthly base plus a rate per piece (base may be 0: pure piece rate)
    DAY = "day"  # a rate per day worked
    FIXED = "fixed"  # a fixed monthly wage


WAGE_KIND_LABELS = {
    WageKind.BASE_PIECE: gettext_noop("底薪+计件"),
    WageKind.DAY: gettext_noop("计日"),
    WageKind.FIXED: gettext_noop("固定月薪"),
}


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
    # Whether the day `months` after the start is still a probation day (15 June + 3 months: 15 September
    # on probation). Counties differ; by default probation runs through the day before (14 September).
    end_day_included: bool = False

    @property
    def ends(self) -> dt.date:
        """The first day under the regular rule."""
        return add_months(self.start, self.months) + dt.timedelta(days=1 if self.end_day_included else 0)

    def covers(self, month: dt.date) -> bool:
        """A payroll month that begins before probation ends has probation days (maybe not all)."""
        return self.months > 0 and month < self.ends

    def ends_within(self, month: dt.date) -> bool:
        """Probation ends inside the month: the month is split (False when it ends on the 1st)."""
        return self.covers(month) and self.ends < add_months(month, 1)


@dataclass(frozen=True)
class Attendance:
    month: dt.date  # first day of the payroll month
    scheduled_days: int
    days_worked: int
    pieces: int = 0


@dataclass(frozen=True)
class Pay:
    in_probation: bool  # the whole month at the probation rate
    monthly_part: Decimal  # probation pay (whole probation month), base or fixed wage after proration
    piece_part: Decimal
    day_part: Decimal
    capped: bool
    gross: Decimal
    probation_part: Decimal = ZERO  # a split month: the days before probation ended, at the probation rate
    probation_days: Decimal = ZERO  # … and how many days those were (calendar or working days)
    regular_days: Decimal = ZERO


@dataclass(frozen=True)
class Split:
    """A month in which probation ends: days on each side and the share of a month each is worth."""

    probation_days: int
    regular_days: int
    probation_share: Decimal
    regular_share: Decimal


def split_month(
    probation: Probation,
    month: dt.date,
    convention: DayCount,
    holidays: Collection[dt.date] = (),
    workdays: Collection[dt.date] = (),
) -> Split | None:
    """The split of `month` at the day probation ends, or None when the month is wholly on one side."""
    if not probation.ends_within(month):
        return None
    nxt = add_months(month, 1)
    days = [month + dt.timedelta(days=i) for i in range((nxt - month).days)]
    if convention is DayCount.CALENDAR:
        before = sum(1 for d in days if d < probation.ends)
        total = Decimal(len(days))
        return Split(before, len(days) - before, before / total, (len(days) - before) / total)
    work = [d for d in days if is_working_day(d, holidays, workdays)]  # 调休 make-up days count
    before = sum(1 for d in work if d < probation.ends)
    after = len(work) - before
    return Split(before, after, before / LEGAL_PAY_DAYS, after / LEGAL_PAY_DAYS)


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


def monthly_pay(
    terms: WageTerms,
    probation: Probation,
    a: Attendance,
    convention: DayCount = DayCount.CALENDAR,
    holidays: Collection[dt.date] = (),
    workdays: Collection[dt.date] = (),
) -> Pay:
    """Gross pay for one month; the cap, when set, limits the total whatever its parts."""
    _check(a)
    split = split_month(probation, a.month, convention, holidays, workdays)
    if split is not None:
        return _split_pay(terms, probation, a, split)
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


def _split_pay(terms: WageTerms, probation: Probation, a: Attendance, s: Split) -> Pay:
    """Probation days at the probation rate, the rest by the rule; attendance prorates both monthly parts."""
    before = _prorate(probation.monthly_pay * s.probation_share, a)
    monthly, pieces, days = ZERO, ZERO, ZERO
    if terms.kind is WageKind.BASE_PIECE:
        monthly = _prorate(terms.base * s.regular_share, a)
        pieces = q(terms.piece_rate * a.pieces)
    elif terms.kind is WageKind.DAY:  # days worked fall on both sides in proportion to the days counted
        days = q(terms.day_rate * a.days_worked * s.regular_days / (s.probation_days + s.regular_days))
    else:
        monthly = _prorate(terms.fixed * s.regular_share, a)
    gross = before + monthly + pieces + days
    pay = Pay(False, monthly, pieces, days, False, gross, before, Decimal(s.probation_days), Decimal(s.regular_days))
    return _capped(pay, terms.cap)


def _capped(pay: Pay, cap: Decimal | None) -> Pay:
    if cap is None or pay.gross <= cap:
        return pay
    return replace(pay, capped=True, gross=q(cap))
