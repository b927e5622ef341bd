"""The wage formula without a database: every rule kind, the probation boundary, caps, proration."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bangfu.employment.domain.months import add_months, months_between
from bangfu.employment.domain.wages import (
    Attendance,
    Probation,
    WageInputError,
    WageKind,
    WageTerms,
    monthly_pay,
)

D = Decimal
STORY_RULE = WageTerms(WageKind.BASE_PIECE, base=D("1200"), piece_rate=D("3.00"), cap=D("4000"))
STORY_PROBATION = Probation(dt.date(2024, 10, 1), 3, D("2000"))


def full(month: dt.date, pieces: int = 0) -> Attendance:
    return Attendance(month, scheduled_days=26, days_worked=26, pieces=pieces)


def test_story_a_month_after_probation_is_3000() -> None:
    pay = monthly_pay(STORY_RULE, STORY_PROBATION, full(dt.date(2025, 1, 1), 600))
    assert (pay.in_probation, pay.monthly_part, pay.piece_part, pay.gross) == (
        False,
        D("1200.00"),
        D("1800.00"),
        D("3000.00"),
    )


def test_probation_boundary_last_probation_month_and_first_rule_month() -> None:
    last = monthly_pay(STORY_RULE, STORY_PROBATION, full(dt.date(2024, 12, 1), 600))
    first = monthly_pay(STORY_RULE, STORY_PROBATION, full(dt.date(2025, 1, 1), 600))
    assert last.in_probation and last.gross == D("2000.00") and last.piece_part == 0
    assert not first.in_probation and first.gross == D("3000.00")


def test_mid_month_start_splits_the_month_probation_ends_in() -> None:
    probation = Probation(dt.date(2024, 10, 15), 3, D("2000"))
    assert probation.ends == dt.date(2025, 1, 15)  # the first day under the rule
    assert monthly_pay(STORY_RULE, probation, full(dt.date(2024, 12, 1), 600)).in_probation
    jan = monthly_pay(STORY_RULE, probation, full(dt.date(2025, 1, 1), 600))  # 14 of 31 days on probation
    assert (jan.in_probation, jan.probation_days, jan.regular_days) == (False, 14, 17)
    assert (jan.probation_part, jan.monthly_part, jan.piece_part) == (D("903.23"), D("658.06"), D("1800.00"))
    assert not monthly_pay(STORY_RULE, probation, full(dt.date(2025, 2, 1), 600)).probation_days


def test_no_probation_means_rule_from_first_month() -> None:
    pay = monthly_pay(STORY_RULE, Probation(dt.date(2025, 1, 1), 0, D("0")), full(dt.date(2025, 1, 1), 10))
    assert not pay.in_probation and pay.gross == D("1230.00")


def test_cap_limits_the_total_and_is_flagged() -> None:
    pay = monthly_pay(STORY_RULE, STORY_PROBATION, full(dt.date(2025, 3, 1), 1000))  # 1200 + 3000
    assert pay.capped and pay.gross == D("4000.00") and pay.piece_part == D("3000.00")
    exact = monthly_pay(STORY_RULE, STORY_PROBATION, full(dt.date(2025, 3, 1), 933))  # 1200 + 2799
    assert not exact.capped and exact.gross == D("3999.00")


def test_day_rate_and_fixed_rules_and_attendance_proration() -> None:
    none = Probation(dt.date(2024, 1, 1), 0, D("0"))
    day = monthly_pay(WageTerms(WageKind.DAY, day_rate=D("120")), none, Attendance(dt.date(2025, 1, 1), 26, 20))
    assert day.gross == D("2400.00") and day.day_part == D("2400.00")
    fixed = WageTerms(WageKind.FIXED, fixed=D("2600"))
    assert monthly_pay(fixed, none, Attendance(dt.date(2025, 1, 1), 26, 13)).gross == D("1300.00")
    half_probation = monthly_pay(STORY_RULE, STORY_PROBATION, Attendance(dt.date(2024, 10, 1), 26, 13))
    assert half_probation.gross == D("1000.00")


def test_bad_attendance_is_refused() -> None:
    with pytest.raises(WageInputError):
        monthly_pay(STORY_RULE, STORY_PROBATION, Attendance(dt.date(2025, 1, 1), 0, 0))
    with pytest.raises(WageInputError):
        monthly_pay(STORY_RULE, STORY_PROBATION, Attendance(dt.date(2025, 1, 1), 26, 20, pieces=-1))


@given(pieces=st.integers(0, 5000), days=st.integers(0, 26))
def test_base_piece_never_exceeds_cap_and_grows_with_pieces(pieces: int, days: int) -> None:
    a = Attendance(dt.date(2025, 6, 1), 26, days, pieces)
    pay = monthly_pay(STORY_RULE, STORY_PROBATION, a)
    more = monthly_pay(STORY_RULE, STORY_PROBATION, Attendance(a.month, 26, days, pieces + 1))
    assert pay.gross <= D("4000") and more.gross >= pay.gross
    if not pay.capped:
        assert pay.gross == pay.monthly_part + pay.piece_part


@given(start=st.dates(dt.date(2000, 1, 1), dt.date(2090, 1, 1)), n=st.integers(0, 36))
def test_add_months_is_inverse_of_months_between(start: dt.date, n: int) -> None:
    later = add_months(start, n)
    assert later >= start and months_between(start, later) in (n, n - 1)
    if start.day <= 28:
        assert months_between(start, later) == n
