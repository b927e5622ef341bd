"""Visit obligations and compliance (网格走访), pure: which households still need a visit this period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

MAX_VISIT_AGE_DAYS = 31  # a visit is logged within the month it happened, or it is not a visit record


@dataclass(frozen=True)
class Obligation:
    category: str  # monitored / ordinary / absent
    visits: int  # required contacts per period
    period: str  # month / quarter
    phone_counts: bool  # whether a phone call counts as a contact


@dataclass(frozen=True)
class VisitFact:
    on: dt.date
    mode: str  # in_person / phone


@dataclass(frozen=True)
class Standing:
    category: str
    required: int
    done: int
    period_start: dt.date
    period_end: dt.date

    @property
    def remaining(self) -> int:
        return max(self.required - self.done, 0)

    @property
    def met(self) -> bool:
        return self.done >= self.required


def period_bounds(period: str, on: dt.date) -> tuple[dt.date, dt.date]:
    if period == "quarter":
        first_month = (on.month - 1) // 3 * 3 + 1
        start = on.replace(month=first_month, day=1)
        months = 3
    else:
        start = on.replace(day=1)
        months = 1
    year, month = divmod(start.month - 1 + months, 12)
    end = dt.date(start.year + year, month + 1, 1) - dt.timedelta(days=1)
    return start, end


def category_of(*, monitored: bool, absent: bool) -> str:
    """Monitored households are visited as monitored even when away: their risk comes first."""
    if monitored:
        return "monitored"
    return "absent" if absent else "ordinary"


def standing(obligation: Obligation, visits: Iterable[VisitFact], on: dt.date) -> Standing:
    start, end = period_bounds(obligation.period, on)
    done = sum(1 for v in visits if start <= v.on <= end and (obligation.phone_counts or v.mode == "in_person"))
    return Standing(obligation.category, obligation.visits, done, start, end)


@dataclass(frozen=True)
class Compliance:
    households: int
    met: int

    @property
    def rate(self) -> float | None:
        """Share of households whose obligation is met; display only, never stored."""
        return None if self.households == 0 else self.met / self.households


def compliance(standings: Iterable[Standing]) -> Compliance:
    rows = list(standings)
    return Compliance(len(rows), sum(1 for s in rows if s.met))


PERIOD_NOUN = {"month": ("本月", "this month"), "quarter": ("本季度", "this quarter")}
CATEGORY_NAMES = {
    "monitored": ("监测户", "monitored households"),
    "ordinary": ("一般户", "ordinary households"),
    "absent": ("长期外出户", "households long away"),
}


@dataclass(frozen=True)
class VisitEffect:
    """What one visit counted towards and what is still due (the feedback after a visit)."""

    counted: bool | None  # None: no visit rule applies to the household's category
    why_not_zh: str
    why_not_en: str
    due_zh: str  # what is still due this period (or that it is done)
    due_en: str


def visit_effect(ob: Obligation | None, mode: str, visited_on: dt.date, now: Standing | None) -> VisitEffect:
    """`now`: the household's standing for the current period, this visit included."""
    if ob is None or now is None:
        return VisitEffect(None, "", "", "该户没有走访要求", "no visit rule applies to this household")
    cat_zh, cat_en = CATEGORY_NAMES.get(ob.category, (ob.category, ob.category))
    noun_zh, noun_en = PERIOD_NOUN.get(ob.period, ("本期", "this period"))
    why_zh = why_en = ""
    if mode != "in_person" and not ob.phone_counts:
        why_zh, why_en = (
            f"电话走访不计入{cat_zh}的走访要求（须入户）",
            f"a phone call does not count for {cat_en} (an in-person visit is required)",
        )
    elif not now.period_start <= visited_on <= now.period_end:
        why_zh, why_en = (
            f"走访日期{visited_on:%m月%d日}不在{noun_zh}内，计入当时的周期",
            f"the visit date {visited_on.isoformat()} is before {noun_en}; it counts for that period",
        )
    kind_zh, kind_en = ("", "") if ob.phone_counts else ("入户", " in-person")
    if now.remaining:
        end = f"{now.period_end.month}月{now.period_end.day}日"
        due_zh = f"{noun_zh}还需{kind_zh}走访{now.remaining}次（截至{end}）"
        due_en = f"{now.remaining} more{kind_en} visit(s) due {noun_en} (by {now.period_end.isoformat()})"
    else:
        due_zh = f"{noun_zh}走访要求已完成（{now.done}/{now.required}次）"
        due_en = f"the visit rule for {noun_en} is met ({now.done}/{now.required})"
    return VisitEffect(not why_zh, why_zh, why_en, due_zh, due_en)


def due_reason(ob: Obligation, now: Standing, today: dt.date) -> tuple[str, str]:
    """Why a household needs a visit now: its rule and what is missing, e.g. 一般户每季度入户1次，本季度尚未走访."""
    cat_zh, cat_en = CATEGORY_NAMES.get(ob.category, (ob.category, ob.category))
    noun_zh, noun_en = PERIOD_NOUN.get(ob.period, ("本期", "this period"))
    every_zh = "每月" if ob.period == "month" else "每季度"
    how_zh, how_en = ("走访", "visit") if ob.phone_counts else ("入户", "in-person visit")
    done_zh = "尚未走访" if now.done == 0 else f"已{how_zh}{now.done}次"
    days = (now.period_end - today).days
    return (
        f"{cat_zh}{every_zh}{how_zh}{ob.visits}次，{noun_zh}{done_zh}，还有{days}天",
        f"{cat_en}: {ob.visits} {how_en}(s) per {ob.period}; {now.done} done {noun_en}, {days} days left",
    )
