"""The single-household path: evaluate a rule set on one household's facts, with the reasons.

The batch engine (bangfu.monitoring.engine) compiles the same definitions to SQL; `to_sql` below is
the one place that translation lives, next to `holds`, so the two stay the same by construction and
a property test checks they agree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bangfu.rules.domain.facts import FACTS, HouseholdFacts, Unit
from bangfu.rules.domain.rules import OPS, Condition, Group, Node, Rule, RuleSetDef

_CMP: dict[str, Callable[[Any, Any], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


@dataclass(frozen=True)
class Hit:
    household_id: int
    rule_code: str
    facts: tuple[tuple[str, str], ...]  # fact → value used (text, exact)
    thresholds: tuple[tuple[str, str], ...]  # fact → threshold it was compared with
    explanation: str


def operand(cond: Condition, rs: RuleSetDef, facts: HouseholdFacts) -> Decimal | None:
    if cond.param:
        return rs.param(cond.param)
    if cond.ref:
        return facts.get(cond.ref)
    return cond.value


def holds(node: Node, rs: RuleSetDef, facts: HouseholdFacts) -> bool:
    if isinstance(node, Group):
        results = (holds(i, rs, facts) for i in node.items)
        return all(results) if node.kind == "all" else any(results)
    rhs = operand(node, rs, facts)
    if rhs is None:
        return False
    ratio = FACTS[node.fact].ratio_of
    if ratio is None:
        lhs = facts.get(node.fact)
        return lhs is not None and _CMP[node.op](lhs, rhs)
    num, den = facts.get(ratio[0]), facts.get(ratio[1])
    if num is None or den is None or den <= 0:
        return False  # a share of nothing is undefined: never flag on it
    return _CMP[node.op](num, rhs * den)


def ratio_value(fact: str, facts: HouseholdFacts) -> Decimal | None:
    num_col, den_col = FACTS[fact].ratio_of or ("", "")
    num, den = facts.get(num_col), facts.get(den_col)
    if num is None or den is None or den <= 0:
        return None
    return (num / den).quantize(Decimal("0.0001"))


def fact_value(fact: str, facts: HouseholdFacts) -> Decimal | None:
    return ratio_value(fact, facts) if FACTS[fact].ratio_of else facts.get(fact)


def evaluate(rs: RuleSetDef, facts: HouseholdFacts) -> list[Hit]:
    return [explain(rule, rs, facts) for rule in rs.rules if holds(rule.when, rs, facts)]


def conditions(node: Node) -> list[Condition]:
    if isinstance(node, Group):
        return [c for i in node.items for c in conditions(i)]
    return [node]


def explain(rule: Rule, rs: RuleSetDef, facts: HouseholdFacts) -> Hit:
    """The facts and thresholds of the conditions that hold, and a Chinese sentence saying why."""
    used, limits, parts = [], [], []
    for c in conditions(rule.when):
        if not holds(c, rs, facts):
            continue  # in an "any" group only the conditions that were met explain the warning
        value, rhs = fact_value(c.fact, facts), operand(c, rs, facts)
        used.append((c.fact, str(value)))
        limits.append((c.fact, str(rhs)))
        parts.append(_part(c, value, rhs))
    return Hit(facts.household_id, rule.code, tuple(used), tuple(limits), "；".join(parts))


def _part(c: Condition, value: Decimal | None, rhs: Decimal | None) -> str:
    return f"{FACTS[c.fact].zh} {fmt(c.fact, value)}，{OPS[c.op]}{rhs_label(c)} {fmt(c.fact, rhs)}"


def sentence_of(
    when: Node, params: Mapping[str, Decimal], facts: Mapping[str, str], thresholds: Mapping[str, str]
) -> str:
    """`explain`'s sentence again, from what a warning keeps: its rule's conditions and the facts and
    thresholds `explain` gave (text, one per fact, in the rule's order). A warning stores no sentence
    (monitoring/README.md "The warnings table"): it is made on read, and published rules never change.

    A fact named by one condition is kept exactly when that condition held, with its threshold: the
    sentence is `explain`'s. A fact named by two conditions of one rule keeps one value and the last
    threshold that held, so each of those conditions is tested again on the value kept, against its
    parameter or literal, or the other fact's value (kept, or else the threshold kept). Exact but for
    two cases the stored facts cannot tell apart (the page's facts beside their thresholds are as
    short): a ratio is kept to four decimals, so within 0.00005 of its threshold the test may disagree
    with `explain`'s; and a fact compared with another fact that was not kept reads the threshold kept,
    which may be the other condition's.
    """
    conds = conditions(when)
    named = Counter(c.fact for c in conds)
    parts = []
    for c in conds:
        if c.fact not in facts:
            continue  # the condition did not hold (an "any" group): `explain` left it out
        value = Decimal(facts[c.fact])
        if named[c.fact] == 1:
            parts.append(_part(c, value, Decimal(thresholds[c.fact])))
            continue
        rhs = _threshold_again(c, params, facts, thresholds)
        if rhs is not None and _CMP[c.op](value, rhs):
            parts.append(_part(c, value, rhs))
    return "；".join(parts)


def _threshold_again(
    c: Condition, params: Mapping[str, Decimal], facts: Mapping[str, str], thresholds: Mapping[str, str]
) -> Decimal | None:
    """A condition's threshold from the rule and what the warning keeps (`sentence_of`)."""
    if c.param:
        return params.get(c.param)
    if c.ref:
        kept = facts.get(c.ref, thresholds.get(c.fact))  # the other fact's value, when it was kept
        return None if kept is None else Decimal(kept)
    return c.value


def rhs_label(c: Condition) -> str:
    """What the threshold is called in the sentence: another fact's name, 阈值 for a parameter, or nothing."""
    if c.ref:
        return FACTS[c.ref].zh
    return "阈值" if c.param else ""


def fmt(fact: str, value: Decimal | None) -> str:
    if value is None:
        return "—"
    unit = FACTS[fact].unit
    if unit == Unit.YUAN:
        return f"{value:,.2f}".rstrip("0").rstrip(".") + " 元"
    if unit == Unit.RATIO:
        return f"{(value * 100).quantize(Decimal('0.1'))}%"
    if unit == Unit.FLAG:
        return "是" if value else "否"
    return f"{int(value)} {FACTS[fact].counted}"


def to_sql(node: Node, rs: RuleSetDef, money_scale: int = 1) -> str:
    """The same condition as a SQL boolean over a table whose columns are facts.COLUMNS.

    Identifiers come only from the closed vocabulary and numbers are Decimals, so the text is safe
    to inline; NULL (unknown) makes a comparison unknown, which WHERE treats as false, as `holds` does.
    `money_scale` = 100 when the table holds money in fen (integers): yuan literals are scaled to
    match, ratios need no scaling because both of their sides are money.
    """
    if isinstance(node, Group):
        joiner = " AND " if node.kind == "all" else " OR "
        return "(" + joiner.join(to_sql(i, rs, money_scale) for i in node.items) + ")"
    op = "<>" if node.op == "!=" else node.op
    ratio = FACTS[node.fact].ratio_of
    scale = money_scale if ratio is None and FACTS[node.fact].unit == Unit.YUAN else 1
    rhs = node.ref if node.ref else _lit((rs.param(node.param) if node.param else node.value), scale)
    if ratio is None:
        return f"({node.fact} {op} {rhs})"
    num, den = ratio
    return f"({den} > 0 AND {num} {op} {rhs} * {den})"


def _lit(d: Decimal | None, scale: int) -> str:
    assert d is not None
    return f"CAST('{format(d * scale, 'f')}' AS DECIMAL(18,4))"
