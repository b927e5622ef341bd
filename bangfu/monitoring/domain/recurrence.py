"""A decided warning stays decided (the domain brief §1.5): when it may come back, and why.

A warning is keyed by household, rule and the source of its facts: the department rows the rule
reads (the newest row's id, and the sum of the money those rows report) and the income statement's
year. Once a warning is dismissed or escalated, the same rule meeting the same source again opens
nothing. It comes back only when the facts change materially — a new bill (a feed row newer than
the decided warning's), a higher amount, a new year's statement — or when the re-check period
the county sets (rule-set parameter `recheck_days`, versioned with effective dates) has run out
since the decision. The new warning's explanation starts with the reason it came back.

The batch engine writes the same test in SQL (`engine.new_warnings`); the property test compares both
paths. Neither writes the reason down: the warning names the decided one (`previous`), both keep their
sources, and the reason is worked out again when the sentence is read (monitoring.display.explanation).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from bangfu.rules.domain import facts
from bangfu.rules.domain.evaluate import conditions
from bangfu.rules.domain.facts import FACTS
from bangfu.rules.domain.rules import Rule

RECHECK_PARAM = "recheck_days"
FEED_FACTS = {code: m.kind for code, m in facts.FEED_FACTS.items()}  # fact → the feed it is read from
MONEY_FEED_FACTS = tuple(code for code, m in facts.FEED_FACTS.items() if m.sums_amount)
STATEMENT_FACTS = frozenset({"per_capita_income", "per_capita_income_prev", "per_capita_delta", "net_income"})
DECIDED_LABELS = {"dismissed": "已排除", "escalated": "已转监测"}

NEW_BILL, HIGHER, NEW_YEAR, RECHECK = "新的部门数据", "金额增加", "新年度收入", "复查期满"


@dataclass(frozen=True)
class Source:
    row: int  # id of the newest department row the rule reads in the window (0: none)
    amount: int  # fen: sum of the money facts the rule reads from department rows
    year: int | None  # the income statement's year when the rule reads income, else None


@dataclass(frozen=True)
class Decided:
    id: int
    status: str  # dismissed | escalated
    on: dt.date
    source: Source


def recheck_days(params: tuple[tuple[str, Decimal], ...]) -> int | None:
    """The rule set's re-check period in whole days; None (never by time alone) when unset or not positive."""
    value = dict(params).get(RECHECK_PARAM)
    return int(value) if value is not None and value >= 1 else None


def columns_read(rule: Rule) -> set[str]:
    """The fact columns a rule reads (a ratio reads its two parts)."""
    out: set[str] = set()
    for c in conditions(rule.when):
        for name in (c.fact, c.ref):
            if name:
                out |= set(FACTS[name].ratio_of or (name,))
    return out


def feed_kinds(rule: Rule) -> list[str]:
    return sorted(FEED_FACTS[c] for c in columns_read(rule) if c in FEED_FACTS)


def money_facts(rule: Rule) -> list[str]:
    return [c for c in MONEY_FEED_FACTS if c in columns_read(rule)]


def reads_income(rule: Rule) -> bool:
    return bool(columns_read(rule) & STATEMENT_FACTS)


def why_back(now: Source, decided: Decided | None, as_of: dt.date, recheck_days: int | None) -> str | None:
    """None: open nothing (the decision stands). '' : no decided warning, open as new. Otherwise the
    reason the warning comes back, for the start of its explanation."""
    if decided is None:
        return ""
    was = decided.source
    if now.row > was.row:
        reason = NEW_BILL
    elif now.amount > was.amount:
        reason = HIGHER
    elif now.year is not None and (was.year is None or now.year > was.year):
        reason = NEW_YEAR
    elif recheck_days is not None and (as_of - decided.on).days >= recheck_days:
        reason = f"{RECHECK}{recheck_days}天"
    else:
        return None
    return prefix(reason, decided.id, decided.status, decided.on)


def prefix(reason: str, previous: int, status: str, on: dt.date) -> str:
    return f"再次预警（{reason}；前次预警#{previous}于{on.isoformat()}{DECIDED_LABELS.get(status, status)}）："
