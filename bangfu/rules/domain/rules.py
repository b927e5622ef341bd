"""Rules as data: conditions over facts, all/any groups, parameters by name. No eval, no free code.

A definition is JSON-like data:
    {"all": [{"fact": "school_costs", "op": ">", "param": "school_cost_limit"}, …]}
    {"any": [...]}                                    groups nest
    {"fact": "per_capita_income", "op": "<", "ref": "monitoring_line"}   fact against fact
    {"fact": "no_labour", "op": "=", "value": "1"}                       literal (stored as data)
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from bangfu.core.domain.text import gettext_noop
from bangfu.rules.domain.facts import FACTS, Unit

OPS = {
    "<": gettext_noop("低于"),
    "<=": gettext_noop("不高于"),
    ">": gettext_noop("高于"),
    ">=": gettext_noop("不低于"),
    "=": gettext_noop("等于"),
    "!=": gettext_noop("不等于"),
}


class RuleError(ValueError):
    """A definition that does not follow the vocabulary; message in Chinese and English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


@dataclass(frozen=True)
class Condition:
    fact: str
    op: str
    param: str | None = None
    ref: str | None = None
    value: Decimal | None = None


@dataclass(frozen=True)
class Group:
    kind: str  # "all" | "any"
    items: tuple[Condition | Group, ...]


Node = Condition | Group


@dataclass(frozen=True)
class Rule:
    code: str
    zh: str
    en: str
    risk: str  # 因病 / 因学 / 因灾 / 收入 / 其他: the national risk category it feeds
    when: Node


@dataclass(frozen=True)
class RuleSetDef:
    window: str  # "calendar_year" | "rolling_12m"
    params: tuple[tuple[str, Decimal], ...]
    rules: tuple[Rule, ...]

    def param(self, name: str) -> Decimal:
        return dict(self.params)[name]


# The national risk categories a rule feeds (stored as these words; shown translated).
RISKS = (gettext_noop("因病"), gettext_noop("因学"), gettext_noop("因灾"), gettext_noop("收入"), gettext_noop("其他"))
WINDOWS = {"calendar_year": gettext_noop("自然年度（当年1月1日至今）"), "rolling_12m": gettext_noop("滚动12个月")}


def parse_node(data: Any, params: Mapping[str, Decimal]) -> Node:
    if not isinstance(data, Mapping):
        raise RuleError("条件必须是对象", "a condition must be an object")
    for kind in ("all", "any"):
        if kind in data:
            items = data[kind]
            if not isinstance(items, list) or not items:
                raise RuleError(f"“{kind}”组至少需要一个条件", f"the '{kind}' group needs at least one condition")
            return Group(kind, tuple(parse_node(i, params) for i in items))
    return _parse_condition(data, params)


def _parse_condition(data: Mapping[str, Any], params: Mapping[str, Decimal]) -> Condition:
    fact, op = data.get("fact"), data.get("op")
    if fact not in FACTS:
        raise RuleError(f"未知的指标：{fact}，请从指标列表中选择", f"unknown fact {fact!r}; choose one from the list")
    if op not in OPS:
        raise RuleError(f"未知的比较符：{op}", f"unknown operator {op!r}; use one of {', '.join(OPS)}")
    operands = [k for k in ("param", "ref", "value") if data.get(k) not in (None, "")]
    if len(operands) != 1:
        raise RuleError("每个条件只能比较一个参数、指标或数值", "compare with exactly one of param, ref or value")
    if "param" in operands and data["param"] not in params:
        raise RuleError(
            f"参数“{data['param']}”未定义，请先在参数表中添加", f"parameter {data['param']!r} is not defined"
        )
    if "ref" in operands and (
        data["ref"] not in FACTS or FACTS[data["ref"]].unit != FACTS[fact].unit or FACTS[fact].unit == Unit.RATIO
    ):
        raise RuleError(f"不能与“{data['ref']}”比较", f"cannot compare with {data['ref']!r}")
    value = _decimal(data["value"]) if "value" in operands else None
    return Condition(fact, op, param=data.get("param") or None, ref=data.get("ref") or None, value=value)


def _decimal(raw: Any) -> Decimal:
    try:
        d = Decimal(str(raw).replace(",", "").strip())
    except InvalidOperation:
        raise RuleError(f"“{raw}”不是数字", f"{raw!r} is not a number") from None
    if not d.is_finite():
        raise RuleError(f"“{raw}”不是数字", f"{raw!r} is not a number")
    return d


def parse_ruleset(window: str, params: Mapping[str, Any], rules: Sequence[Mapping[str, Any]]) -> RuleSetDef:
    if window not in WINDOWS:
        raise RuleError("收入/支出统计口径无效", f"window must be one of {', '.join(WINDOWS)}")
    p = {str(k): _decimal(v) for k, v in params.items()}
    parsed, seen = [], set()
    for r in rules:
        code = str(r.get("code", "")).strip()
        if not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", code) or code in seen:
            raise RuleError(
                f"规则编号“{code}”应为小写英文字母、数字和下划线，且不能重复",
                f"rule code {code!r} must be lower-case letters, digits and _, and unique",
            )
        seen.add(code)
        parsed.append(
            Rule(
                code,
                str(r.get("zh", code)),
                str(r.get("en", code)),
                str(r.get("risk", "其他")),
                parse_node(r.get("when"), p),
            )
        )
    return RuleSetDef(window, tuple(sorted(p.items())), tuple(parsed))


def node_to_data(node: Node) -> dict[str, Any]:
    if isinstance(node, Group):
        return {node.kind: [node_to_data(i) for i in node.items]}
    out: dict[str, Any] = {"fact": node.fact, "op": node.op}
    if node.param:
        out["param"] = node.param
    if node.ref:
        out["ref"] = node.ref
    if node.value is not None:
        out["value"] = str(node.value)
    return out
