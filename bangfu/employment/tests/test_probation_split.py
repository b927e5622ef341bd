"""Probation ending inside a month is paid by days: the month is split at the day probation ends, by the
county's day-count convention (an employment parameter with effective dates)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bangfu.employment import services
from bangfu.employment.domain.months import add_months
from bangfu.employment.domain.wages import (
    Attendance,
    DayCount,
    Probation,
    WageKind,
    WageTerms,
    monthly_pay,
    split_month,
)
from bangfu.employment.inputs import policy_input
from bangfu.employment.tests.conftest import POLICY, Story, hire
from bangfu.registry import selectors as registry

RULE = WageTerms(WageKind.BASE_PIECE, base=D("1200"), piece_rate=D("3.00"), cap=D("4000"))
JUNE_15 = Probation(dt.date(2025, 6, 15), 3, D("2000"))
SEPT = dt.date(2025, 9, 1)


def full(month: dt.date, pieces: int = 0) -> Attendance:
    return Attendance(month, scheduled_days=26, days_worked=26, pieces=pieces)


# ---------------------------------------------------------------- pure rule


def test_september_is_split_at_the_day_probation_ends_not_paid_all_at_the_probation_rate() -> None:
    pay = monthly_pay(RULE, JUNE_15, full(SEPT, 300))  # 1–14 Sept probation, 15–30 Sept the rule
    assert (pay.probation_days, pay.regular_days) == (14, 16)
    assert (pay.probation_part, pay.monthly_part, pay.piece_part, pay.gross) == (
        D("933.33"),
        D("640.00"),
        D("900.00"),
        D("2473.33"),
    )
    assert not pay.in_probation and pay.gross != D("2000.00")


def test_where_the_county_counts_the_expiry_day_in_september_pays_1000_600_900() -> None:
    inclusive = Probation(dt.date(2025, 6, 15), 3, D("2000"), end_day_included=True)
    pay = monthly_pay(RULE, inclusive, full(SEPT, 300))
    assert (pay.probation_days, pay.regular_days) == (15, 15)
    assert (pay.probation_part, pay.monthly_part, pay.piece_part, pay.gross) == (
        D("1000.00"),
        D("600.00"),
        D("900.00"),
        D("2500.00"),
    )


def test_legal_21_75_counts_working_days() -> None:
    pay = monthly_pay(RULE, JUNE_15, full(SEPT, 300), DayCount.LEGAL)  # 10 + 12 working days in Sept 2025
    assert (pay.probation_days, pay.regular_days) == (10, 12)
    assert (pay.probation_part, pay.monthly_part, pay.gross) == (D("919.54"), D("662.07"), D("2481.61"))
    holiday = monthly_pay(RULE, JUNE_15, full(SEPT, 300), DayCount.LEGAL, holidays={dt.date(2025, 9, 2)})
    assert holiday.probation_days == 9
    makeup = monthly_pay(RULE, JUNE_15, full(SEPT, 300), DayCount.LEGAL, workdays={dt.date(2025, 9, 28)})  # a Sunday
    assert (makeup.probation_days, makeup.regular_days) == (10, 13)


def test_story_a_months_stay_whole() -> None:
    story = Probation(dt.date(2024, 10, 1), 3, D("2000"))  # through 31 December
    for m in (dt.date(2024, 10, 1), dt.date(2024, 11, 1), dt.date(2024, 12, 1)):
        assert split_month(story, m, DayCount.CALENDAR) is None
        assert monthly_pay(RULE, story, full(m, 400)).gross == D("2000.00")
    jan = monthly_pay(RULE, story, full(dt.date(2025, 1, 1), 600))
    assert (jan.gross, jan.probation_days) == (D("3000.00"), 0)


starts = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))


@given(
    start=starts,
    months=st.integers(1, 6),
    offset=st.integers(-2, 8),
    pieces=st.integers(0, 400),
    worked=st.integers(0, 26),
    included=st.booleans(),
    convention=st.sampled_from(list(DayCount)),
)
def test_the_split_equals_the_probation_rate_or_the_rule_at_either_end(
    start: dt.date, months: int, offset: int, pieces: int, worked: int, included: bool, convention: DayCount
) -> None:
    probation = Probation(start, months, D("2000"), included)
    month = add_months(start.replace(day=1), offset)
    a = Attendance(month, 26, worked, pieces)
    pay = monthly_pay(RULE, probation, a, convention)
    last = add_months(month, 1) - dt.timedelta(days=1)
    if month >= probation.ends:  # probation over before the month: the regular rule, as with no probation
        assert pay == monthly_pay(RULE, Probation(start, 0, D("0")), a, convention)
    elif last < probation.ends:  # the whole month on probation: the probation rate
        assert pay.in_probation and pay.gross == monthly_pay(RULE, probation, a, convention).gross
        assert pay.gross == (D("2000") * worked / 26).quantize(D("0.01"))
    else:  # split: days on each side add up to the month's days counted
        s = split_month(probation, month, convention)
        assert s is not None and pay.probation_days == s.probation_days and pay.regular_days == s.regular_days
        if convention is DayCount.CALENDAR:
            assert s.probation_days + s.regular_days == (last - month).days + 1
            assert s.probation_days >= 1 and s.regular_days >= 1
            monthly = pay.probation_part + pay.monthly_part
            lo, hi = sorted([(D("1200") * worked / 26), (D("2000") * worked / 26)])
            assert lo - D("0.01") <= monthly <= hi + D("0.01")  # between the two monthly rates


# ---------------------------------------------------------------- through the service, with the parameter


def _jishi(story: Story) -> Any:
    return registry.members_of(story.world.county, story.a.pk).get(relation="户主")


def _september(story: Story, **policy: Any) -> Any:
    if policy:
        services.policy_set(
            actor=story.world.county,
            area_code=story.world.area_county.code,
            policy=policy_input(POLICY | policy | {"effective_from": "2025-01-01"}),
        )
    c = hire(story.world.t1, story, _jishi(story), start="2025-06-15")
    return services.payslip_record(
        actor=story.enterprise, contract=c, month=dt.date(2025, 9, 1), scheduled_days=26, days_worked=26, pieces=300
    )


@pytest.mark.django_db
def test_september_payslip_by_calendar_days(story: Story) -> None:
    slip = _september(story)
    assert (slip.in_probation, slip.probation_part, slip.monthly_part, slip.piece_part, slip.gross) == (
        False,
        D("933.33"),
        D("640.00"),
        D("900.00"),
        D("2473.33"),
    )
    assert slip.wage_rule is not None and slip.wage_rule.code == "SEW"


@pytest.mark.django_db
def test_september_payslip_by_the_countys_parameters(story: Story) -> None:
    slip = _september(story, probation_day_count="calendar", probation_end_day_included=True)
    assert (slip.probation_part, slip.monthly_part, slip.piece_part, slip.gross) == (
        D("1000.00"),
        D("600.00"),
        D("900.00"),
        D("2500.00"),
    )
    assert (slip.probation_days, slip.regular_days) == (15, 15)


@pytest.mark.django_db
def test_parameter_page_and_api_set_the_day_count(story: Story, client_for: Any, api_for: Any) -> None:
    import json

    from bangfu.employment.models import EmploymentPolicy

    county = story.world.area_county.code
    body = POLICY | {"area": county, "effective_from": "2025-02-01", "probation_day_count": "legal_21_75"}
    for outsider in (story.world.t2, story.world.gw2):
        r = api_for(outsider).post("/api/v1/employment/policies", json.dumps(body), content_type="application/json")
        assert r.status_code in (403, 404)
    assert not EmploymentPolicy.objects.filter(probation_day_count="legal_21_75").exists()
    r = api_for(story.world.county).post(
        "/api/v1/employment/policies", json.dumps(body), content_type="application/json"
    )
    assert r.status_code == 201 and r.json()["probation_day_count"] == "legal_21_75"
    bad = body | {"effective_from": "2025-03-01", "probation_day_count": "lunar"}
    r = api_for(story.world.county).post(
        "/api/v1/employment/policies", json.dumps(bad), content_type="application/json"
    )
    assert r.status_code == 422
    html = client_for(story.world.county).get(f"/employment/parameters/?area={county}").content.decode()
    assert "按月计薪天数21.75天" in html and 'name="probation_day_count"' in html
    slip = _september(story)  # the national calendar: Sunday 28 Sept 2025 is a make-up working day (调休)
    assert (slip.probation_days, slip.regular_days, slip.gross) == (10, 13, D("2536.78"))
