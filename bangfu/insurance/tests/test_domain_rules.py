"""Eligibility, the workflow table, the fund and the reports: pure Python, no database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal as D

import pytest

from bangfu.core.domain.workflow import StepRefused
from bangfu.insurance.domain.eligibility import ClaimFacts, Terms, assess
from bangfu.insurance.domain.fund import FundFigures, premium_due, service_fee, settle
from bangfu.insurance.domain.payout import Band, Tiers
from bangfu.insurance.domain.reports import summarise
from bangfu.insurance.domain.workflow import TABLE, Event, GuardFacts, Status

TRANSITIONS = TABLE.steps


def fire(status: Status, event: Event, caps: set[str], facts: GuardFacts) -> Status:
    return TABLE.decide(status, event, caps, facts).target


TIERS = Tiers(D("8000"), (Band(D("8000"), D("18000"), D("0.70")), Band(D("18000"), None, D("0.80"))), None, D("30000"))
TERMS = Terms(TIERS, D("8000"), (("*", D("8000")),), frozenset({"grant"}), frozenset({"脱贫户", "边缘易致贫户"}))


def facts(**kw: object) -> ClaimFacts:
    base: dict[str, object] = {
        "group": "脱贫户",
        "per_capita_income": D("6500"),
        "expenses": (D("19400"),),
        "aid": (("student_loan", D("8000")),),
    }
    return ClaimFacts(**(base | kw))  # type: ignore[arg-type]


def test_story_b_loan_not_deducted_when_the_county_does_not_deduct_it() -> None:
    a = assess(facts(), TERMS)
    assert a.eligible and a.payout.amount == D("8120.00") and a.deducted == 0
    assert any("不扣减 student_loan" in n for n in a.notes)


def test_configured_deduction_comes_off_before_the_tiers() -> None:
    a = assess(facts(aid=(("grant", D("1400")),)), TERMS)
    assert a.eligible_expense == D("18000") and a.payout.amount == D("7000.00")


@pytest.mark.parametrize(
    ("kw", "code"),
    [
        ({"per_capita_income": D("9000")}, "income_above_line"),
        ({"per_capita_income": None}, "income_unknown"),
        ({"group": "一般农户"}, "group_not_insured"),
        ({"expenses": (D("7999.99"),)}, "expense_below_threshold"),
    ],
)
def test_each_condition_can_fail_the_claim(kw: dict[str, object], code: str) -> None:
    a = assess(facts(**kw), TERMS)
    assert not a.eligible and code in [c for c, _, _ in a.reasons] and a.payout.amount == 0


def test_group_specific_expense_conditions() -> None:
    t = Terms(
        Tiers(D("0"), (Band(D("0"), None, D("0.5")),)),
        None,
        (("脱贫不稳定户", D("5000")), ("边缘易致贫户", D("20000"))),
        frozenset(),
        frozenset(),
    )
    assert assess(facts(group="脱贫不稳定户", expenses=(D("6000"),)), t).eligible
    assert not assess(facts(group="边缘易致贫户", expenses=(D("6000"),)), t).eligible


GO = GuardFacts(publicity_required=False, eligible=True, payout_positive=True, publicity_over=False)
ALL = {"claim_survey", "claim_approve", "case_village"}


def test_happy_path_without_publicity() -> None:
    s = Status.SUBMITTED
    for ev in (Event.SURVEY, Event.CALCULATE, Event.APPROVE, Event.PAY):
        s = fire(s, ev, ALL, GO)
    assert s == Status.PAID


def test_publicity_when_the_county_requires_it() -> None:
    need = GuardFacts(True, True, True, publicity_over=False)
    with pytest.raises(StepRefused) as e:
        fire(Status.CALCULATED, Event.APPROVE, ALL, need)
    assert e.value.code == "conditions"
    assert fire(Status.CALCULATED, Event.PUBLICISE, ALL, need) == Status.PUBLICISED
    with pytest.raises(StepRefused) as e:
        fire(Status.PUBLICISED, Event.APPROVE, ALL, need)
    assert e.value.code == "conditions"
    assert fire(Status.PUBLICISED, Event.APPROVE, ALL, GuardFacts(True, True, True, True)) == Status.APPROVED


def test_paid_and_rejected_are_final_and_roles_are_checked() -> None:
    for final in (Status.PAID, Status.REJECTED):
        assert TABLE.open_to(final, ALL) == []
        with pytest.raises(StepRefused) as e:
            fire(final, Event.PAY, ALL, GO)
        assert e.value.code == "out_of_order"
    with pytest.raises(StepRefused) as e:
        fire(Status.CALCULATED, Event.APPROVE, {"claim_survey"}, GO)
    assert e.value.code == "not_yours"
    with pytest.raises(StepRefused) as e:
        fire(Status.CALCULATED, Event.APPROVE, ALL, GuardFacts(False, False, False, False))
    assert e.value.code == "conditions"


def test_every_open_status_can_be_rejected_and_every_status_is_reachable() -> None:
    sources = {t.source for t in TRANSITIONS if t.event == Event.REJECT}
    assert sources == {Status.SUBMITTED, Status.SURVEYED, Status.CALCULATED, Status.PUBLICISED}
    assert {t.target for t in TRANSITIONS} | {Status.SUBMITTED} == set(Status)


def test_fund_balance_loss_ratio_and_settlement() -> None:
    f = FundFigures(
        carried_in=D("1000"),
        premiums=D("500000"),
        payouts=D("300000"),
        fees=service_fee(D("300000"), D("0.15")),
    )
    assert f.fees == D("45000.00") and f.balance == D("156000.00")
    assert f.loss_ratio == D("0.6000") and f.cost_ratio == D("0.6900")
    assert settle(f, carry_over=True, deficit_topup=True).carry_over == D("156000.00")
    short = FundFigures(premiums=D("100"), payouts=D("150"))
    assert settle(short, carry_over=True, deficit_topup=True).topup == D("50")
    assert settle(short, carry_over=True, deficit_topup=False).topup == 0
    assert FundFigures().loss_ratio is None
    assert premium_due(10000, D("45")) == D("450000.00")


@dataclass(frozen=True)
class R:
    cause: str
    status: str
    township: str
    applied_on: dt.date
    paid_on: dt.date | None
    paid: D | None


def test_report_summary_counts_days_from_application_to_payment() -> None:
    rows = [
        R("schooling", "paid", "T1", dt.date(2026, 1, 12), dt.date(2026, 4, 3), D("8120")),
        R("illness", "paid", "T2", dt.date(2026, 1, 20), dt.date(2026, 2, 19), D("500")),
        R("illness", "rejected", "T2", dt.date(2026, 2, 1), None, None),
        R("illness", "submitted", "T1", dt.date(2026, 2, 3), None, None),
    ]
    s = summarise(rows)  # type: ignore[arg-type]
    assert (s.claims, s.paid_claims, s.rejected, s.open) == (4, 2, 1, 1)
    assert s.max_days_to_pay == 81 and s.avg_days_to_pay == D("55.5")
    assert [(b.key, b.claims, b.paid) for b in s.by_cause] == [
        ("illness", 3, D("500")),
        ("schooling", 1, D("8120")),
    ]
    assert [b.key for b in s.by_month] == ["2026-01", "2026-02"]
