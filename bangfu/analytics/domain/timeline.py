"""The household timeline: events from every module in one chronological list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from bangfu.core.domain.text import gettext_noop as _

# The kinds of event, in the order the page offers them as filters; translated where shown.
KIND_LABELS = {
    "warning": _("预警"),
    "visit": _("走访"),
    "case": _("监测程序"),
    "measure": _("帮扶措施"),
    "claim": _("防贫保理赔"),
    "job": _("就业"),
    "wage": _("工资"),
    "training": _("培训"),
    "dividend": _("分红"),
    "sales": _("销售收益"),
    "income": _("收入"),
    "registry": _("登记"),
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


def of_kind(events: Iterable[Event], kind: str) -> list[Event]:
    """The events of one kind ("" or an unknown kind: all of them)."""
    return [e for e in events if e.kind == kind] if kind in KIND_LABELS else list(events)


def ordered(events: Iterable[Event]) -> list[Event]:
    """Newest first; events of the same day keep the order their module gave them."""
    return sorted(events, key=lambda e: e.on, reverse=True)
