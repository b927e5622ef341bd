"""Rules as data, without a database: parsing, evaluation, explanations, windows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bangfu.rules.domain.defaults import DEFAULT_PARAMS, DEFAULT_RULES
from bangfu.rules.domain.evaluate import evaluate, holds, to_sql
from bangfu.rules.domain.facts import HouseholdFacts
from bangfu.rules.domain.rules import RuleError, parse_ruleset
from bangfu.rules.domain.windows import window_for

RS = parse_ruleset("rolling_12m", DEFAULT_PARAMS, DEFAULT_RULES)


def facts(**kw: object) -> HouseholdFacts:
    base = {
        "per_capita_income": Decimal("9000"),
        "net_income": Decimal("36000"),
        "monitoring_line": Decimal("6000"),
        "medical_oop": 0,
        "school_costs": 0,
        "disaster_loss": 0,
    }
    base.update(kw)  # type: ignore[arg-type]
    return HouseholdFacts.of(1, **base)  # type: ignore[arg-type]


def test_income_below_line_explains_in_chinese() -> None:
    hits = evaluate(RS, facts(per_capita_income=Decimal("5120")))
    assert [h.rule_code for h in hits] == ["income_below_line"]
    assert hits[0].explanation == "家庭人均纯收入 5,120 元，低于监测线 6,000 元"


def test_school_cost_above_8000_and_not_at_8000() -> None:
    assert [h.rule_code for h in evaluate(RS, facts(school_costs=Decimal("8000.01")))] == ["school_cost"]
    assert evaluate(RS, facts(school_costs=Decimal("8000"))) == []


def test_medical_share_counts_only_met_branch() -> None:
    hits = evaluate(RS, facts(medical_oop=Decimal("9000"), net_income=Decimal("12000")))
    assert hits[0].rule_code == "medical_cost"
    assert "医疗自付占家庭纯收入比例 75.0%" in hits[0].explanation and "医疗个人自付费用" not in hits[0].explanation


def test_unknown_income_never_flags() -> None:
    assert evaluate(RS, facts(per_capita_income=None, net_income=None)) == []


@pytest.mark.parametrize(
    "bad",
    [
        {"fact": "eval('1')", "op": "<", "value": "1"},
        {"fact": "school_costs", "op": "like", "value": "1"},
        {"fact": "school_costs", "op": ">", "param": "missing"},
        {"fact": "school_costs", "op": ">", "value": "1", "param": "school_cost_limit"},
        {"fact": "school_costs", "op": ">", "ref": "job_loss"},
        {"all": []},
    ],
)
def test_definitions_outside_the_vocabulary_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(RuleError):
        parse_ruleset("rolling_12m", DEFAULT_PARAMS, [{"code": "x", "when": bad}])


def test_rule_code_cannot_carry_sql() -> None:
    with pytest.raises(RuleError):
        parse_ruleset("rolling_12m", {}, [{"code": "x'; drop", "when": {"fact": "deaths", "op": ">", "value": 0}}])


def test_windows() -> None:
    w = window_for("rolling_12m", dt.date(2024, 2, 29))
    assert (w.start, w.end, w.income_year) == (dt.date(2023, 3, 1), dt.date(2024, 2, 29), 2023)
    assert window_for("calendar_year", dt.date(2024, 5, 3)).start == dt.date(2024, 1, 1)


money = st.decimals(min_value=-50000, max_value=200000, places=2)


@settings(max_examples=60)  # a DuckDB connection per example
@given(pc=money, prev=money, oop=money, net=money)
def test_sql_and_python_agree(pc: Decimal, prev: Decimal, oop: Decimal, net: Decimal) -> None:
    """The compiled SQL gives the Python answer on every rule (DuckDB over one row, money in fen)."""
    import duckdb

    f = facts(
        per_capita_income=pc,
        per_capita_income_prev=prev,
        per_capita_delta=pc - prev,
        medical_oop=abs(oop),
        net_income=net,
    )
    cols = {
        k: (
            None
            if v is None
            else (
                int(v * 100)
                if k
                not in {
                    "job_loss",
                    "assistance_ended",
                    "deaths",
                    "serious_ill_or_disabled",
                    "no_labour",
                    "guarantee_failures",
                }
                else int(v)
            )
        )
        for k, v in f.values
    }
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE t AS SELECT "
        + ", ".join(f"CAST({'NULL' if v is None else v} AS BIGINT) AS {k}" for k, v in cols.items())
    )
    for rule in RS.rules:
        row = con.execute(f"SELECT COUNT(*) FROM t WHERE {to_sql(rule.when, RS, 100)}").fetchone()
        sql_says = row is not None and row[0] == 1
        assert sql_says == holds(rule.when, RS, f), rule.code
