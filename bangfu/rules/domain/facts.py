"""The closed vocabulary of household facts a rule may use (docs/domain-summary.md, screening facts).

A rule can only name a fact listed here; nothing else is evaluated, so a rule set is data, not code.
Ratio facts are defined as numerator / denominator and are compared by cross-multiplication
(`num op value × den`, only when den > 0) so the batch engine and the single-household path
compare exact decimals and never disagree on rounding.

Each fact is declared once, here: its name, unit and how it is shown (`counted`), and for a fact read
from department feeds, which feed rows make it (`FeedMeasure`). The batch engine's SQL aggregate
(`FeedMeasure.sql`, monitoring/engine.py), the single-household path (`FeedMeasure.value`,
monitoring/facts.py), the source a warning was decided on (monitoring/domain/recurrence.py) and the
sentences (rules/domain/evaluate.py `fmt`, monitoring/sentences.py) all read it from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class Unit(StrEnum):
    YUAN = "yuan"
    RATIO = "ratio"
    COUNT = "count"
    FLAG = "flag"


@dataclass(frozen=True)
class FeedMeasure:
    """A fact made of one department feed's rows in the rule set's window: the sum of their amounts
    (yuan), or the number of rows, optionally only rows with a given event (or an event ending so)."""

    kind: str  # the feed (monitoring/domain/feeds.py SPECS)
    sums_amount: bool
    event: str = ""
    event_suffix: bool = False  # `event` is the end of the row's event (低保终止, 特困终止)

    def matches(self, kind: str, event: str) -> bool:
        if kind != self.kind:
            return False
        if not self.event:
            return True
        return event.endswith(self.event) if self.event_suffix else event == self.event

    def value(self, rows: list[tuple[str, str, Decimal]]) -> Decimal | int:
        """Over (kind, event, amount) rows: the single-household path."""
        picked = [amount for kind, event, amount in rows if self.matches(kind, event)]
        return sum(picked, Decimal("0")) if self.sums_amount else len(picked)

    def sql(self) -> str:
        """The same as a DuckDB aggregate over `fr(kind, event, amount)`: the batch path."""
        if self.sums_amount:
            return f"SUM(CASE WHEN kind = '{self.kind}' THEN amount ELSE 0 END)"
        where = f"kind = '{self.kind}'"
        if self.event:
            where += f" AND event LIKE '%{self.event}'" if self.event_suffix else f" AND event = '{self.event}'"
        return f"COUNT(*) FILTER (WHERE {where})"


@dataclass(frozen=True)
class FactDef:
    code: str
    zh: str
    en: str
    unit: Unit
    ratio_of: tuple[str, str] | None = None  # (numerator column, denominator column) for ratio facts
    feed: FeedMeasure | None = None  # read from department feeds
    counted: str = "人"  # what a count counts, in the sentence: "2 人", "1 项"


FACTS: dict[str, FactDef] = {
    f.code: f
    for f in [
        FactDef("per_capita_income", "家庭人均纯收入", "per-capita net income", Unit.YUAN),
        FactDef(
            "per_capita_income_change",
            "人均纯收入较上年变化",
            "change of per-capita income on last year",
            Unit.RATIO,
            ("per_capita_delta", "per_capita_income_prev"),
        ),
        FactDef("net_income", "家庭纯收入", "household net income", Unit.YUAN),
        FactDef(
            "medical_oop", "医疗个人自付费用", "medical out-of-pocket", Unit.YUAN, feed=FeedMeasure("medical", True)
        ),
        FactDef(
            "medical_oop_share",
            "医疗自付占家庭纯收入比例",
            "medical out-of-pocket as share of net income",
            Unit.RATIO,
            ("medical_oop", "net_income"),
        ),
        FactDef(
            "school_costs",
            "教育支出（扣除资助）",
            "school costs after aid",
            Unit.YUAN,
            feed=FeedMeasure("school", True),
        ),
        FactDef("disaster_loss", "灾害损失", "disaster loss", Unit.YUAN, feed=FeedMeasure("disaster", True)),
        FactDef("serious_ill_or_disabled", "患大病或残疾人数", "members seriously ill or disabled", Unit.COUNT),
        FactDef("no_labour", "整户无劳动力", "whole household without labour", Unit.FLAG),
        FactDef(
            "job_loss",
            "失业人次",
            "job losses",
            Unit.COUNT,
            feed=FeedMeasure("employment", sums_amount=False, event="失业"),
        ),
        FactDef(
            "assistance_ended",
            "低保/特困终止次数",
            "social assistance ended",
            Unit.COUNT,
            feed=FeedMeasure("assistance", sums_amount=False, event="终止", event_suffix=True),
        ),
        FactDef(
            "deaths", "家庭成员死亡人数", "deaths of members", Unit.COUNT, feed=FeedMeasure("death", sums_amount=False)
        ),
        FactDef(
            "guarantee_failures",
            "三保障及饮水未达标项数",
            "three-guarantee or water failures",
            Unit.COUNT,
            counted="项",
        ),
        FactDef("monitoring_line", "监测线", "the area's monitoring line", Unit.YUAN),
    ]
}

# Facts read from department feeds, in the vocabulary's order.
FEED_FACTS: dict[str, FeedMeasure] = {c: f.feed for c, f in FACTS.items() if f.feed is not None}

# Columns the fact loaders provide: every plain fact plus the parts of the ratio facts.
COLUMNS: tuple[str, ...] = tuple(
    sorted({c for c, f in FACTS.items() if f.ratio_of is None} | {"per_capita_delta", "per_capita_income_prev"})
)


@dataclass(frozen=True)
class HouseholdFacts:
    """One household's facts at a date; None means unknown (no statement, no line): never flagged on."""

    household_id: int
    values: tuple[tuple[str, Decimal | None], ...]
    _by_name: dict[str, Decimal | None] = field(default_factory=dict, compare=False, repr=False, hash=False)

    def __post_init__(self) -> None:
        self._by_name.update(self.values)  # looked up per condition; the tuple stays the identity

    @classmethod
    def of(cls, household_id: int, **values: Decimal | int | None) -> HouseholdFacts:
        unknown = set(values) - set(COLUMNS)
        if unknown:
            raise KeyError(f"not in the fact vocabulary: {sorted(unknown)}")
        full = {c: (None if (v := values.get(c)) is None else Decimal(v)) for c in COLUMNS}
        return cls(household_id, tuple(sorted(full.items())))

    def get(self, column: str) -> Decimal | None:
        return self._by_name[column]

    def as_dict(self) -> dict[str, Decimal | None]:
        return dict(self.values)
