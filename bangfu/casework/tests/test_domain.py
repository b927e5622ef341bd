"""Pure rules of casework, without the database."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bangfu.casework.domain import elimination as elim
from bangfu.casework.domain.deadlines import due_date, notice_end
from bangfu.casework.domain.grids import plan_placement
from bangfu.casework.domain.procedure import COUNTY, TABLE, TOWNSHIP, VILLAGE, Event, Facts, State
from bangfu.casework.domain.visits import Obligation, VisitFact, period_bounds, standing
from bangfu.core.domain.workflow import Step, StepRefused

TRANSITIONS = TABLE.steps


def decide(state: State, event: Event, caps: frozenset[str], facts: Facts, reason: str = "理由") -> Step[State, Event]:
    return TABLE.decide(state, event, caps, facts, reason)


ALL_PASS = Facts(
    has_household=True,
    consent_signed=True,
    survey_done=True,
    comparison_done=True,
    minutes_recorded=True,
    notice_elapsed=True,
    notice_open=True,
    type_and_risks_ok=True,
)


@pytest.mark.parametrize("t", TRANSITIONS, ids=lambda t: f"{t.source.value}-{t.event.value}")
def test_every_transition_goes_where_the_table_says_for_its_role_only(t) -> None:
    assert decide(t.source, t.event, t.who, ALL_PASS).target == t.target
    others = frozenset({TOWNSHIP, VILLAGE, COUNTY} - t.who)
    with pytest.raises(StepRefused) as refused:
        decide(t.source, t.event, others, ALL_PASS)
    assert refused.value.code == "not_yours"


GUARD_BREAKERS: dict[str, Facts] = {
    "has_household": dataclasses.replace(ALL_PASS, has_household=False),
    "consent": dataclasses.replace(ALL_PASS, consent_signed=False),
    "survey": dataclasses.replace(ALL_PASS, survey_done=False),
    "comparison": dataclasses.replace(ALL_PASS, comparison_done=False),
    "minutes": dataclasses.replace(ALL_PASS, minutes_recorded=False),
    "notice_open": dataclasses.replace(ALL_PASS, notice_open=False),
    "notice_elapsed": dataclasses.replace(ALL_PASS, notice_elapsed=False),
    "type_and_risks": dataclasses.replace(ALL_PASS, type_and_risks_ok=False),
    "elimination": dataclasses.replace(ALL_PASS, elimination_failures=(("未满6个月", "under 6 months"),)),
}


@pytest.mark.parametrize(
    ("t", "guard"),
    [(t, g.name) for t in TRANSITIONS for g in t.guards] + [(t, "reason") for t in TRANSITIONS if t.needs_reason],
    ids=lambda v: v if isinstance(v, str) else f"{v.source.value}-{v.event.value}",
)
def test_every_guard_stops_its_transition(t, guard) -> None:
    with pytest.raises(StepRefused) as refused:
        if guard == "reason":
            decide(t.source, t.event, t.who, ALL_PASS, reason=" ")
        else:
            decide(t.source, t.event, t.who, GUARD_BREAKERS[guard])
    assert refused.value.code == "conditions"
    assert refused.value.problems[0][0] == guard


def test_step_not_in_table_is_refused_with_the_current_state() -> None:
    with pytest.raises(StepRefused) as refused:
        decide(State.LEAD, Event.APPROVE, frozenset({COUNTY}), ALL_PASS)
    assert refused.value.code == "out_of_order" and "待受理" in refused.value.zh


def test_objection_during_notice_reopens_verification() -> None:
    assert decide(State.PUBLICIZED, Event.OBJECT, frozenset({VILLAGE}), ALL_PASS).target == State.ACCEPTED
    closed = dataclasses.replace(ALL_PASS, notice_open=False)
    with pytest.raises(StepRefused):
        decide(State.PUBLICIZED, Event.OBJECT, frozenset({VILLAGE}), closed)


def test_elimination_lists_each_failed_condition() -> None:
    f = dataclasses.replace(ALL_PASS, elimination_failures=(("纳入监测仅2个月", "2 months"), ("b", "c")))
    with pytest.raises(StepRefused) as refused:
        decide(State.MONITORED, Event.PROPOSE_ELIMINATION, frozenset({VILLAGE}), f)
    assert [p[1] for p in refused.value.problems][1:] == ["纳入监测仅2个月", "b"]


# --- elimination guards ----------------------------------------------------------------------

RULES = elim.EliminationRules(
    min_months_monitored=6,
    min_measures_done=1,
    stable_income_months=6,
    income_line=Decimal("6000.00"),
    exclude_no_labour=True,
    require_guarantees=True,
)
OK = elim.EliminationFacts(
    today=dt.date(2025, 9, 1),
    monitored_since=dt.date(2025, 3, 1),
    measures_done=1,
    per_capita=Decimal("6000.01"),
    last_income_drop=dt.date(2025, 3, 1),
    rigid_expenditure_resolved=True,
    guarantees_secure=True,
    no_labour=False,
)


def test_elimination_passes_at_the_thresholds() -> None:
    assert elim.check(RULES, OK) == []


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"monitored_since": dt.date(2025, 3, 2)}, "须满6个月"),
        ({"monitored_since": None}, "须满6个月"),
        ({"measures_done": 0}, "至少须1项"),
        ({"per_capita": Decimal("6000.00")}, "须高于监测范围6,000.00元"),
        ({"per_capita": None}, "未登记"),
        ({"last_income_drop": dt.date(2025, 3, 2)}, "收入尚未稳定"),
        ({"rigid_expenditure_resolved": False}, "刚性支出"),
        ({"guarantees_secure": False}, "三保障"),
        ({"guarantees_secure": None}, "三保障"),
        ({"no_labour": True}, "整户无劳动力"),
    ],
)
def test_each_elimination_guard_fails_alone(change, words) -> None:
    failures = elim.check(RULES, dataclasses.replace(OK, **change))
    assert len(failures) == 1 and words in failures[0][0] and failures[0][1]


def test_a_year_without_a_configured_monitoring_line_blocks_elimination() -> None:
    failures = elim.check(dataclasses.replace(RULES, income_line=None), OK)
    assert len(failures) == 1 and "尚未配置该年度的监测范围" in failures[0][0]


def test_elimination_guards_follow_the_parameters() -> None:
    lenient = dataclasses.replace(
        RULES,
        min_months_monitored=3,
        exclude_no_labour=False,
        require_guarantees=False,
        income_line=Decimal("5000"),
    )
    f = dataclasses.replace(
        OK,
        monitored_since=dt.date(2025, 6, 1),
        no_labour=True,
        guarantees_secure=False,
        per_capita=Decimal("5500"),
    )
    assert elim.check(lenient, f) == []
    assert len(elim.check(RULES, f)) == 4


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 1, 1)), st.integers(0, 200))
def test_months_between_counts_whole_months(start, months) -> None:
    y, m = divmod(start.month - 1 + months, 12)
    day = min(start.day, 28)
    start = start.replace(day=day)
    end = dt.date(start.year + y, m + 1, day)
    assert elim.months_between(start, end) == months
    assert elim.months_between(start, end - dt.timedelta(days=1)) == max(months - 1, 0)


# --- deadlines in working days --------------------------------------------------------------

LIMITS = {
    "accept_days": 2,
    "verify_days": 2,
    "compare_days": 5,
    "deliberate_days": 5,
    "publish_days": 1,
    "township_review_days": 3,
    "county_approval_days": 5,
    "announce_days": 2,
}


def test_acceptance_deadline_skips_the_weekend_and_holidays() -> None:
    friday = dt.date(2025, 9, 26)
    assert due_date(State.LEAD, friday, LIMITS) == dt.date(2025, 9, 30)  # Mon, Tue
    national_day = {dt.date(2025, 10, d) for d in range(1, 9)}
    assert due_date(State.LEAD, dt.date(2025, 9, 30), LIMITS, national_day) == dt.date(2025, 10, 10)
    makeup = {dt.date(2025, 9, 28)}  # Sunday worked before the holiday
    assert due_date(State.LEAD, friday, LIMITS, national_day, makeup) == dt.date(2025, 9, 29)
    assert due_date(State.MONITORED, friday, LIMITS) is None


def test_notice_end_counts_the_first_day() -> None:
    monday = dt.date(2025, 9, 22)
    assert notice_end(monday, 5, working=False) == dt.date(2025, 9, 26)
    assert notice_end(dt.date(2025, 9, 25), 5, working=True) == dt.date(2025, 10, 1)


# --- visits and grids ------------------------------------------------------------------------


def test_monthly_standing_counts_only_this_month_and_phone_only_when_allowed() -> None:
    ob = Obligation("monitored", 2, "month", phone_counts=False)
    visits = [
        VisitFact(dt.date(2025, 9, 3), "in_person"),
        VisitFact(dt.date(2025, 9, 10), "phone"),
        VisitFact(dt.date(2025, 8, 30), "in_person"),
    ]
    s = standing(ob, visits, dt.date(2025, 9, 15))
    assert (s.required, s.done, s.remaining, s.met) == (2, 1, 1, False)
    assert standing(dataclasses.replace(ob, phone_counts=True), visits, dt.date(2025, 9, 15)).met


@given(
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31)),
    st.sampled_from(["month", "quarter"]),
)
def test_period_contains_the_day_and_has_whole_months(day, period) -> None:
    start, end = period_bounds(period, day)
    assert start <= day <= end and start.day == 1 and (end + dt.timedelta(days=1)).day == 1


@given(st.lists(st.integers(0, 60), max_size=6), st.integers(0, 200), st.integers(1, 60))
def test_placement_places_everyone_evenly(counts, n, per_worker) -> None:
    plan = plan_placement(counts, list(range(n)), per_worker)
    sizes = counts + [0] * plan.new_grids
    for index in plan.assignments.values():
        sizes[index] += 1
    assert len(plan.assignments) == n
    assert len(sizes) * per_worker >= sum(sizes)
    low_before = min(counts + [0] * plan.new_grids, default=0)
    # nobody is moved, so the spread can only shrink down to one household between grids
    assert max(sizes) - min(sizes) <= max(1, max(counts + [0] * plan.new_grids, default=0) - low_before)
