"""`sentence_of` gives `explain`'s sentence again from what a warning keeps (its rule, and the facts and
thresholds `explain` gave as JSON text), on random facts: the warning stores no sentence (issue #18)."""

from __future__ import annotations

import json
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from bangfu.rules.domain.defaults import DEFAULT_PARAMS, DEFAULT_RULES
from bangfu.rules.domain.evaluate import evaluate, sentence_of
from bangfu.rules.domain.facts import COLUMNS, HouseholdFacts
from bangfu.rules.domain.rules import RuleSetDef, parse_ruleset

# The default rules, every other kind of fact and right-hand side, and facts named twice in one rule
# (their value is kept once, so each condition is tested again on it).
EXTRA = [
    {"code": "fragile", "when": {"any": [{"fact": "no_labour", "op": "=", "value": "1"},
                                         {"fact": "guarantee_failures", "op": ">", "value": "0"}]}},
    {"code": "shock", "when": {"any": [{"fact": "deaths", "op": ">", "param": "deaths_limit"},
                                       {"fact": "job_loss", "op": "!=", "value": "0"}]}},
    {"code": "poor", "when": {"all": [{"fact": "net_income", "op": "<", "ref": "monitoring_line"},
                                      {"fact": "medical_oop_share", "op": ">=", "value": "0.125"}]}},
    {"code": "band", "when": {"all": [{"fact": "per_capita_income", "op": ">=", "value": "1000"},
                                      {"fact": "per_capita_income", "op": "<", "ref": "monitoring_line"}]}},
    {"code": "either", "when": {"any": [{"fact": "school_costs", "op": ">", "param": "school_cost_limit"},
                                        {"fact": "school_costs", "op": "<=", "ref": "disaster_loss"},
                                        {"fact": "disaster_loss", "op": ">", "value": "0"}]}},
]  # fmt: skip
RS = parse_ruleset("rolling_12m", {**DEFAULT_PARAMS, "deaths_limit": "0"}, [*DEFAULT_RULES, *EXTRA])
COUNTS = {"job_loss", "assistance_ended", "deaths", "serious_ill_or_disabled", "no_labour", "guarantee_failures"}

fen = st.one_of(st.integers(-5_000_000, 20_000_000), st.sampled_from([0, 5, -5, 100, 600_000, 800_000]))
value = st.one_of(st.none(), fen)


def _again(rs: RuleSetDef, facts: HouseholdFacts) -> list[tuple[str, str]]:
    """(`explain`'s sentence, the sentence made again from the JSON text a warning keeps) per hit."""
    rules = {r.code: r for r in rs.rules}
    out = []
    for hit in evaluate(rs, facts):
        kept, limits = json.loads(json.dumps(dict(hit.facts))), json.loads(json.dumps(dict(hit.thresholds)))
        out.append((hit.explanation, sentence_of(rules[hit.rule_code].when, dict(rs.params), kept, limits)))
    return out


@settings(max_examples=300)
@given(money=st.fixed_dictionaries({c: value for c in COLUMNS if c not in COUNTS}),
       counts=st.fixed_dictionaries({c: st.integers(0, 3) for c in COUNTS}))  # fmt: skip
def test_the_sentence_made_again_is_explains(money: dict[str, int | None], counts: dict[str, int]) -> None:
    values = {c: None if v is None else Decimal(v).scaleb(-2) for c, v in money.items()} | counts
    facts = HouseholdFacts.of(1, **values)  # type: ignore[arg-type]
    for said, again in _again(RS, facts):
        assert again == said


def test_a_fact_named_twice_keeps_both_conditions_that_held() -> None:
    facts = HouseholdFacts.of(1, per_capita_income=Decimal("5120"), monitoring_line=Decimal("6000"))
    [(said, again)] = [p for p in _again(RS, facts) if "不低于" in p[0]]
    assert again == said == "家庭人均纯收入 5,120 元，不低于 1,000 元；家庭人均纯收入 5,120 元，低于监测线 6,000 元"
