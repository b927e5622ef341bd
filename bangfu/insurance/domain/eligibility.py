"""Whether a claim qualifies, and for how much: the two conditions, the deductions, then the tiers.

邯郸's "two conditions, both required" (domain brief §2.2): an income condition (per-capita income at or
below the scheme's line) and an expense condition whose threshold may differ by household group.
Which other aid is deducted before the tiers apply is configuration (e.g. a student loan may or may
not be deducted); so is every amount here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from bangfu.core.domain.money import ZERO
from bangfu.insurance.domain.payout import Payout, Tiers, tiered_payout

ANY_GROUP = "*"  # a threshold row for every group not named explicitly


@dataclass(frozen=True)
class Terms:
    tiers: Tiers
    income_line: Decimal | None  # per-capita yuan/year; None: no income condition
    thresholds: tuple[tuple[str, Decimal], ...]  # (household group or "*", minimum eligible expense)
    deducted_aid: frozenset[str]  # aid kinds subtracted from the expense first
    insured_groups: frozenset[str]  # groups the scheme covers; empty: everyone in the county


@dataclass(frozen=True)
class ClaimFacts:
    group: str  # 脱贫户, 脱贫不稳定户, 边缘易致贫户, 突发严重困难户 or 一般农户
    per_capita_income: Decimal | None  # verified on the home survey
    expenses: tuple[Decimal, ...]
    aid: tuple[tuple[str, Decimal], ...]  # (kind, amount) of other aid received for the same costs
    paid_this_year: Decimal = ZERO


@dataclass(frozen=True)
class Assessment:
    eligible: bool
    reasons: tuple[tuple[str, str, str], ...]  # (code, zh, en) when not eligible
    total_expense: Decimal
    deducted: Decimal
    eligible_expense: Decimal
    payout: Payout
    notes: tuple[str, ...] = field(default=())  # the deductions applied or skipped, for the explanation
    deductions: tuple[tuple[str, Decimal, bool], ...] = ()  # (aid kind, amount, deducted?) for the page


def threshold_for(terms: Terms, group: str) -> Decimal:
    by_group = dict(terms.thresholds)
    return by_group.get(group, by_group.get(ANY_GROUP, ZERO))


def assess(facts: ClaimFacts, terms: Terms) -> Assessment:
    total = sum(facts.expenses, ZERO)
    deducted, notes = _deductions(facts, terms)
    eligible_expense = max(ZERO, total - deducted)
    reasons = _reasons(facts, terms, eligible_expense)
    payout = tiered_payout(eligible_expense if not reasons else ZERO, terms.tiers, facts.paid_this_year)
    return Assessment(
        eligible=not reasons,
        reasons=tuple(reasons),
        total_expense=total,
        deducted=deducted,
        eligible_expense=eligible_expense,
        payout=payout,
        notes=tuple(notes),
        deductions=tuple((kind, amount, kind in terms.deducted_aid) for kind, amount in facts.aid),
    )


def _deductions(facts: ClaimFacts, terms: Terms) -> tuple[Decimal, list[str]]:
    deducted, notes = ZERO, []
    for kind, amount in facts.aid:
        if kind in terms.deducted_aid:
            deducted += amount
            notes.append(f"扣减 {kind} {amount:,.2f}")
        else:
            notes.append(f"不扣减 {kind} {amount:,.2f}（本方案不扣减此项）")
    return deducted, notes


def _reasons(facts: ClaimFacts, terms: Terms, eligible_expense: Decimal) -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    if terms.insured_groups and facts.group not in terms.insured_groups:
        out.append(
            (
                "group_not_insured",
                f"{facts.group}不在本方案承保人群内",
                "The household's group is not covered by this scheme",
            )
        )
    if terms.income_line is not None:
        if facts.per_capita_income is None:
            out.append(
                (
                    "income_unknown",
                    "尚未核实家庭人均纯收入，请在入户勘查时填写",
                    "Per-capita income not verified yet; record it on the home survey",
                )
            )
        elif facts.per_capita_income > terms.income_line:
            out.append(
                (
                    "income_above_line",
                    f"人均纯收入{facts.per_capita_income:,.2f}元高于防贫线{terms.income_line:,.2f}元",
                    "Per-capita income is above the scheme's income line",
                )
            )
    minimum = threshold_for(terms, facts.group)
    if eligible_expense < minimum or eligible_expense <= terms.tiers.deductible:
        floor = max(minimum, terms.tiers.deductible)
        out.append(
            (
                "expense_below_threshold",
                f"扣减后合规支出{eligible_expense:,.2f}元未超过{facts.group}的支出条件{floor:,.2f}元",
                "The eligible expense does not exceed the expense condition for this group",
            )
        )
    return out
