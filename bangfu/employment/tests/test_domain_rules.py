"""KPI, dividends, welfare-post limits, criteria and the transition table, without a database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bangfu.employment.domain import criteria, dividends, kpi, transitions, welfare

D = Decimal
ON = dt.date(2025, 6, 30)
AGE = kpi.WorkingAge(16, 60)


def m(
    mid: int, born: dt.date, labour: str = "普通劳动力", employed: bool = False, school: bool = False
) -> kpi.MemberFacts:
    return kpi.MemberFacts(mid, born, labour, school, employed)


def test_household_with_an_employed_labourer_meets_the_indicator() -> None:
    h = kpi.HouseholdFacts(1, False, (m(1, dt.date(2000, 1, 1), employed=True), m(2, dt.date(2001, 3, 1))))
    v = kpi.evaluate(h, ON, AGE)
    assert v.has_labour and v.met and v.employed_members == 1


def test_household_without_working_age_labour_is_excluded_not_failed() -> None:
    old = kpi.HouseholdFacts(1, False, (m(1, dt.date(1950, 1, 1)), m(2, dt.date(2015, 1, 1))))
    disabled = kpi.HouseholdFacts(2, False, (m(3, dt.date(1990, 1, 1), labour="丧失劳动力"),))
    student = kpi.HouseholdFacts(3, False, (m(4, dt.date(2005, 1, 1), school=True),))
    flagged = kpi.HouseholdFacts(4, True, (m(5, dt.date(1990, 1, 1)),))
    idle = kpi.HouseholdFacts(5, False, (m(6, dt.date(1990, 1, 1)),))
    verdicts = [kpi.evaluate(h, ON, AGE) for h in (old, disabled, student, flagged, idle)]
    assert [v.has_labour for v in verdicts] == [False, False, False, False, True]
    summary = kpi.summarise(verdicts)
    assert (summary.households, summary.with_labour, summary.met, summary.rate) == (5, 1, 0, 0.0)
    assert kpi.action_list(verdicts) == [5]


def test_working_age_bounds_are_inclusive_and_configurable() -> None:
    sixty = kpi.HouseholdFacts(1, False, (m(1, dt.date(1965, 6, 30)),))
    assert kpi.evaluate(sixty, ON, AGE).has_labour
    assert not kpi.evaluate(sixty, ON, kpi.WorkingAge(16, 59)).has_labour
    assert kpi.summarise([]).rate is None


def test_story_dividend_split_adds_up_and_rounds_to_the_fen() -> None:
    recips = [dividends.Recipient(i, n) for i, n in enumerate([4, 2, 5], start=1)]
    s = dividends.split(D("10000.00"), D("0.4"), dividends.Basis.HOUSEHOLD, recips)
    assert s.collective == D("4000.00") and s.dividends == D("6000.00")
    assert [a for _, a in s.shares] == [D("2000.00")] * 3
    odd = dividends.split(D("100.00"), D("0"), dividends.Basis.HOUSEHOLD, recips)
    assert sorted(a for _, a in odd.shares) == [D("33.33"), D("33.33"), D("33.34")]
    per_member = dividends.split(D("1100.00"), D("0"), dividends.Basis.MEMBER, recips)
    assert [a for _, a in per_member.shares] == [D("400.00"), D("200.00"), D("500.00")]


@given(
    total=st.decimals(D("0.01"), D("10000000"), places=2),
    share=st.decimals(D("0"), D("1"), places=4),
    sizes=st.lists(st.integers(1, 12), min_size=1, max_size=60),
    basis=st.sampled_from(list(dividends.Basis)),
)
def test_fen_always_add_up_to_the_total(
    total: Decimal, share: Decimal, sizes: list[int], basis: dividends.Basis
) -> None:
    s = dividends.split(total, share, basis, [dividends.Recipient(i, n) for i, n in enumerate(sizes)])
    assert s.collective + sum((a for _, a in s.shares), D(0)) == total
    assert all(a >= 0 and a == a.quantize(D("0.01")) for _, a in s.shares)


def test_split_refuses_nonsense() -> None:
    with pytest.raises(dividends.SplitError):
        dividends.split(D("100"), D("0.5"), dividends.Basis.HOUSEHOLD, [])
    with pytest.raises(dividends.SplitError):
        dividends.split(D("100"), D("1.5"), dividends.Basis.HOUSEHOLD, [dividends.Recipient(1, 1)])


def test_one_post_per_household_and_age_limit() -> None:
    limits = welfare.PostLimits(per_household=1, max_age=60)
    born = dt.date(1980, 1, 1)
    assert welfare.check_new_post(held_by_household=0, birth_date=born, start=ON, limits=limits) == []
    second = welfare.check_new_post(held_by_household=1, birth_date=born, start=ON, limits=limits)
    assert [p.field for p in second] == ["member"] and "每户最多1个" in second[0].zh
    unlimited = welfare.PostLimits(per_household=None, max_age=60)
    assert welfare.check_new_post(held_by_household=3, birth_date=born, start=ON, limits=unlimited) == []
    assert welfare.check_new_post(held_by_household=0, birth_date=dt.date(1960, 1, 1), start=ON, limits=limits)
    assert welfare.post_pay(D("500"), 12) == D("6000.00")


THRESHOLDS = criteria.Thresholds(5, D("15"), 12, 10, 12, D("20000"), D("500000"))


def test_recognition_needs_five_poor_workers_and_insurance() -> None:
    facts = criteria.WorkshopFacts(5, D("15"), 3, 0, D("0"), D("0"))
    assert criteria.all_met(criteria.recognition_checks(facts, THRESHOLDS))
    short = criteria.WorkshopFacts(4, D("14.99"), 3, 0, D("0"), D("0"))
    assert [c.ok for c in criteria.recognition_checks(short, THRESHOLDS)] == [False, False]
    assert not criteria.all_met(criteria.upgrade_checks(facts, THRESHOLDS))
    big = criteria.WorkshopFacts(100, D("20"), 14, 12, D("36000"), D("2000000"))
    assert criteria.all_met(criteria.upgrade_checks(big, THRESHOLDS))


def test_transition_table_has_no_duplicates_and_revoked_is_final() -> None:
    keys = [(t.source, t.event) for t in transitions.TABLE.steps]
    assert len(keys) == len(set(keys))
    assert transitions.TABLE.from_state(transitions.State.REVOKED) == []
    up = transitions.TABLE.find(transitions.State.RECOGNISED, transitions.Event.UPGRADE)
    assert up is not None and transitions.G_UPGRADE in up.guards
    assert transitions.TABLE.find(transitions.State.APPLIED, transitions.Event.UPGRADE) is None
