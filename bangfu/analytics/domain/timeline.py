"""The household timeline: events from every module in one chronological list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

KIND_LABELS = {
    "registry": "登记",
    "income": "收入",
    "warning": "预警",
    "visit": "走访",
    "case": "监测程序",
    "measure": "帮扶措施",
    "claim": "防贫保理赔",
    "job": "就业",
    "training": "培训",
    "wage": "工资",
    "dividend": "分红",
    "sales": "销售收益",
}


@dataclass(frozen=True)
class Event:
    on: dt.date
    kind: str  # a key of KIND_LABELS
    title: str
    detail: str = ""
    amount: Decimal | None = None
    url: str = ""

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


def ordered(events: Iterable[Event]) -> list[Event]:
    """Newest first; events of the same day keep the order their module gave them."""
    return sorted(events, key=lambda e: e.on, reverse=True)
