"""A warning's facts and thresholds for a whole batch of hits, written as DuckDB expressions.

`rules.domain.evaluate.explain` is the definition: the value and the threshold of each condition
that held, as text (`str` of a Decimal), in the rule's order. Building them one Decimal at a time for
100,000 warnings would cost seconds, so the batch builds the same text set-wise. Every expression
here reproduces one piece of `explain` exactly (Python's Decimal rounds half to even, keeps the sign
of a negative zero), and tests compare the two on random values. Rules this module cannot reproduce
(`vectorised` is False) are explained in Python by the caller. The sentence is not built here: a
warning makes it on read from these (monitoring/README.md "The warnings table").

Hit rows hold money in fen (BIGINT) under the fact column names of `rules.domain.facts.COLUMNS`.
"""

from __future__ import annotations

from collections import Counter

from bangfu.rules.domain.evaluate import conditions, to_sql
from bangfu.rules.domain.facts import FACTS, Unit
from bangfu.rules.domain.rules import Condition, Rule, RuleSetDef

# DuckDB macros, created once per connection. rhe = integer a / b rounded half to even (a >= 0, b > 0).
MACROS = [
    "CREATE OR REPLACE TEMP MACRO rhe(a, b) AS "
    "(a // b) + CASE WHEN 2 * (a % b) > b OR (2 * (a % b) = b AND (a // b) % 2 = 1) THEN 1 ELSE 0 END",
    "CREATE OR REPLACE TEMP MACRO neg(v) AS CASE WHEN v < 0 THEN '-' ELSE '' END",
    # Integer fen whatever the column's type (a DECIMAL would make // a floating-point division).
    "CREATE OR REPLACE TEMP MACRO fen(v) AS CAST(v AS HUGEINT)",
    # str(Decimal(fen).scaleb(-2)): '5120.00', '-0.05'
    "CREATE OR REPLACE TEMP MACRO fen_text(v) AS "
    "neg(v) || CAST(abs(fen(v)) // 100 AS VARCHAR) || '.' || lpad(CAST(abs(fen(v)) % 100 AS VARCHAR), 2, '0')",
    # (num / den).quantize(Decimal('0.0001')) in units of 0.0001, without its sign
    "CREATE OR REPLACE TEMP MACRO ratio4(n, d) AS rhe(abs(fen(n)) * 10000, fen(d))",
    "CREATE OR REPLACE TEMP MACRO ratio_text(n, d) AS neg(n) || CAST(ratio4(n, d) // 10000 AS VARCHAR) || '.' "
    "|| lpad(CAST(ratio4(n, d) % 10000 AS VARCHAR), 4, '0')",
]


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def vectorised(rule: Rule) -> bool:
    """True when every condition of the rule can be kept in SQL exactly as `explain` keeps it.

    Not covered (rare, explained in Python instead): a fact named by two conditions of one rule
    (the dict of facts would keep the first position and the last value), and a ratio compared
    with another fact.
    """
    conds = conditions(rule.when)
    twice = any(n > 1 for n in Counter(c.fact for c in conds).values())
    return not twice and not any(FACTS[c.fact].ratio_of and c.ref for c in conds)


def _value_sql(fact: str) -> str:
    """str(value) of a fact, as SQL over the hit columns."""
    f = FACTS[fact]
    if f.ratio_of:
        n, d = f.ratio_of
        return f"ratio_text({n}, {d})"
    if f.unit == Unit.YUAN:
        return f"fen_text({fact})"
    return f"CAST(fen({fact}) AS VARCHAR)"


def _rhs_sql(c: Condition, rs: RuleSetDef) -> str:
    """str(threshold): a constant for a parameter or literal, SQL for another fact."""
    if c.ref:
        return _value_sql(c.ref)  # the rule grammar only allows a fact of the same unit
    return _q(str(rs.param(c.param) if c.param else c.value))


def columns(rule: Rule, rs: RuleSetDef) -> tuple[str, str]:
    """SQL for (facts JSON, thresholds JSON) of a hit of `rule` (see `vectorised`)."""
    used, limits = [], []
    for c in conditions(rule.when):
        holds = to_sql(c, rs, money_scale=100)
        key = _q(f'"{c.fact}": "')
        used.append(f"CASE WHEN {holds} THEN {key} || {_value_sql(c.fact)} || '\"' END")
        limits.append(f"CASE WHEN {holds} THEN {key} || {_rhs_sql(c, rs)} || '\"' END")
    return (
        f"'{{' || concat_ws(', ', {', '.join(used)}) || '}}'",
        f"'{{' || concat_ws(', ', {', '.join(limits)}) || '}}'",
    )
