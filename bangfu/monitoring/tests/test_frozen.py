"""The set-wise facts and thresholds are `rules.domain.evaluate.explain`'s, character for character, on
random values (no database: DuckDB over generated rows, money in fen). The sentence is made on read
from them (test_sentence_on_read.py)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from bangfu.monitoring import frozen
from bangfu.rules.domain.defaults import DEFAULT_PARAMS, DEFAULT_RULES
from bangfu.rules.domain.evaluate import explain, holds, to_sql
from bangfu.rules.domain.facts import COLUMNS, HouseholdFacts
from bangfu.rules.domain.rules import parse_ruleset

# The default rules plus one condition on every other fact, each kind of right-hand side, every operator.
EXTRA = [
    {"code": "sick", "when": {"fact": "serious_ill_or_disabled", "op": ">=", "value": "1"}},
    {
        "code": "fragile",
        "when": {
            "any": [
                {"fact": "no_labour", "op": "=", "value": "1"},
                {"fact": "guarantee_failures", "op": ">", "value": "0"},
            ]
        },
    },
    {
        "code": "shock",
        "when": {
            "any": [
                {"fact": "job_loss", "op": "!=", "value": "0"},
                {"fact": "deaths", "op": ">", "param": "deaths_limit"},
                {"fact": "assistance_ended", "op": "<=", "value": "-1"},
            ]
        },
    },
    {
        "code": "poor",
        "when": {
            "all": [
                {"fact": "net_income", "op": "<", "ref": "monitoring_line"},
                {"fact": "medical_oop_share", "op": ">=", "value": "0.125"},
                {"fact": "disaster_loss", "op": ">=", "value": "0"},
            ]
        },
    },
    {
        "code": "lower",
        "when": {
            "any": [
                {"fact": "per_capita_income_change", "op": "<=", "value": "0.00005"},
                {"fact": "school_costs", "op": "<", "value": "1234.5"},
            ]
        },
    },
]
RS = parse_ruleset("rolling_12m", {**DEFAULT_PARAMS, "deaths_limit": "0"}, [*DEFAULT_RULES, *EXTRA])
COUNTS = {"job_loss", "assistance_ended", "deaths", "serious_ill_or_disabled", "no_labour", "guarantee_failures"}

fen = st.one_of(st.integers(-5_000_000, 20_000_000), st.sampled_from([0, 5, -5, 50, 100, -100, 99_999_999_999]))
count = st.integers(0, 3)
maybe = st.one_of(st.none(), fen)


def _python(row: Mapping[str, int | None]) -> set[tuple[str, str, str]]:
    values = {
        c: None if v is None else Decimal(v).scaleb(-2) if c not in COUNTS else Decimal(v)
        for c, v in row.items()
        if c != "household_id"
    }
    facts = HouseholdFacts.of(1, **values)  # type: ignore[arg-type]
    hits = [explain(r, RS, facts) for r in RS.rules if holds(r.when, RS, facts)]
    return {(h.rule_code, json.dumps(dict(h.facts)), json.dumps(dict(h.thresholds))) for h in hits}


def _duckdb(row: Mapping[str, int | None], sql_type: str = "BIGINT") -> set[tuple[str, str, str]]:
    """`sql_type` DECIMAL(38,0) is how DuckDB's HUGEINT sums come back from a trip through Arrow."""
    con = duckdb.connect()
    for macro in frozen.MACROS:
        con.execute(macro)
    con.execute(
        "CREATE TABLE t AS SELECT "
        + ", ".join(f"CAST({'NULL' if v is None else v} AS {sql_type}) AS {k}" for k, v in row.items())
    )
    out = set()
    for rule in RS.rules:
        assert frozen.vectorised(rule)
        used, limits = frozen.columns(rule, RS)
        for got in con.execute(
            f"SELECT {used}, {limits} FROM t WHERE {to_sql(rule.when, RS, money_scale=100)}"
        ).fetchall():
            out.add((rule.code, *got))
    return out


@settings(max_examples=80)  # a DuckDB connection per example
@given(
    pc=maybe,
    prev=maybe,
    net=maybe,
    oop=fen,
    school=fen,
    loss=fen,
    line=maybe,
    counts=st.fixed_dictionaries({c: count for c in COUNTS}),
    sql_type=st.sampled_from(["BIGINT", "DECIMAL(38,0)"]),
)
def test_batch_facts_and_thresholds_are_explains(
    pc: int | None,
    prev: int | None,
    net: int | None,
    oop: int,
    school: int,
    loss: int,
    line: int | None,
    counts: dict[str, int],
    sql_type: str,
) -> None:
    row: dict[str, int | None] = {
        "household_id": 1,
        "per_capita_income": pc,
        "per_capita_income_prev": prev,
        "per_capita_delta": None if pc is None or prev is None else pc - prev,
        "net_income": net,
        "medical_oop": oop,
        "school_costs": school,
        "disaster_loss": loss,
        "monitoring_line": line,
        **counts,
    }
    assert set(row) - {"household_id"} == set(COLUMNS)
    assert _duckdb(row, sql_type) == _python(row)


def test_rounding_half_to_even_and_negative_zero() -> None:
    """The cases where a naive ROUND would differ: ties at the 4th decimal and at the tenth of a percent."""
    base = {c: 0 for c in COLUMNS} | {"household_id": 1, "monitoring_line": 600_000}
    for delta, prev in ((-1, 200_000), (-5, 100_000), (-15, 1_000_000), (-25, 1_000_000), (-4, 100_000)):
        row = base | {"per_capita_income": prev + delta, "per_capita_income_prev": prev, "per_capita_delta": delta}
        assert _duckdb(row) == _python(row)
        assert any(code == "lower" for code, *_ in _python(row))


def test_repeated_fact_is_left_to_python() -> None:
    twice = parse_ruleset(
        "rolling_12m",
        {},
        [
            {
                "code": "x",
                "when": {
                    "any": [{"fact": "deaths", "op": ">", "value": "0"}, {"fact": "deaths", "op": ">", "value": "1"}]
                },
            }
        ],
    )
    assert not frozen.vectorised(twice.rules[0])
    assert all(frozen.vectorised(r) for r in RS.rules)
