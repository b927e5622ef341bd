"""Grouped SQL counts per village (and per grid) that feed the indicator cache.

Each counter runs one query grouped by the village code (or the grid), whatever the number of
households, and returns {unit: {(key, period): value}}; `domain.indicators.roll_up` then adds the
villages up to every level. No per-household loop anywhere: a province of a million households
costs the same handful of queries as a village.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from bangfu.analytics.domain.indicators import Cell
from bangfu.analytics.domain.periods import month_ends, month_of, year_of
from bangfu.analytics.sources import model
from bangfu.casework.domain.procedure import OPEN_STATES
from bangfu.monitoring.domain.lifecycle import ACTIVE
from bangfu.registry.domain.codes import MONITORING_TYPE

Figures = dict[str, dict[Cell, Decimal]]
TREND_MONTHS = 12


@dataclass(frozen=True)
class Grouping:
    """Which column a counter groups by: the village code, or the grid (grid workers' dashboards)."""

    name: str  # "village" or "grid"

    def unit(self, value: Any) -> str:
        return str(value) if self.name == "village" else f"grid:{value}"


VILLAGE, GRID = Grouping("village"), Grouping("grid")


def _prefix_q(field: str, prefix: str) -> Q:
    if not prefix:
        return Q()
    return Q(**{f"{field}__gte": prefix, f"{field}__lte": prefix + "9" * (15 - len(prefix))})


def _collect(rows: Any, group: Grouping, column: str, cells: dict[str, Cell]) -> Figures:
    out: Figures = defaultdict(dict)
    for row in rows:
        if row[column] is None:
            continue
        target = out[group.unit(row[column])]
        for alias, cell in cells.items():
            target[cell] = Decimal(row[alias] or 0)
    return dict(out)


def households(group: Grouping, prefix: str, as_of: dt.date) -> Figures:
    """Households and people by type, and month-end monitored households over the last year."""
    hh = model("registry", "Household")
    column = "village_id" if group is VILLAGE else "grid_id"
    month = month_of(as_of)
    aggregates: dict[str, Any] = {"households": Count("id"), "people": Sum("size")}
    cells: dict[str, Cell] = {"households": ("households", month), "people": ("people", month)}
    for flag in ("poverty_exited", "dibao", "tekun", "relocated", "no_labour"):
        aggregates[flag] = Count("id", filter=Q(**{flag: True}))
        cells[flag] = (flag, month)
    aggregates["monitored"] = Count("id", filter=Q(monitoring_type__gt=""))
    cells["monitored"] = ("monitored", month)
    for i, kind in enumerate(t for t in MONITORING_TYPE if t):
        aggregates[f"type{i}"] = Count("id", filter=Q(monitoring_type=kind))
        cells[f"type{i}"] = (f"monitored.{kind}", month)
    year_start = dt.date(as_of.year, 1, 1)
    aggregates["eliminated"] = Count("id", filter=Q(risk_eliminated_on__gte=year_start, risk_eliminated_on__lte=as_of))
    cells["eliminated"] = ("eliminated", year_of(as_of))
    for i, (period, day) in enumerate(month_ends(as_of, TREND_MONTHS)):
        at_risk = Q(monitoring_type__gt="", monitoring_since__lte=day) & (
            Q(risk_eliminated_on__isnull=True) | Q(risk_eliminated_on__gt=day)
        )
        aggregates[f"m{i}"] = Count("id", filter=at_risk)
        cells[f"m{i}"] = ("monitored_trend", period)
    rows = (
        hh.objects.filter(_prefix_q("village_id", prefix), status="正常")
        .values(column)
        .annotate(**aggregates)
        .order_by()
    )
    return _collect(rows, group, column, cells)


def warnings(group: Grouping, prefix: str, as_of: dt.date) -> Figures:
    """Warnings raised this month, and warnings still waiting for a decision."""
    w = model("monitoring", "Warning")
    column = "village_code" if group is VILLAGE else "grid_id"
    month = month_of(as_of)
    start = dt.date(as_of.year, as_of.month, 1)
    rows = (
        w.objects.filter(_prefix_q("village_code", prefix))
        .values(column)
        .annotate(
            new=Count("id", filter=Q(as_of__gte=start, as_of__lte=as_of)),
            open=Count("id", filter=Q(status__in=ACTIVE)),
        )
        .order_by()
    )
    return _collect(rows, group, column, {"new": ("warnings.new", month), "open": ("warnings.open", month)})


def overdue_steps(group: Grouping, prefix: str, as_of: dt.date) -> Figures:
    """Open procedure steps past their due date (the case list's ?overdue=1)."""
    case = model("casework", "Case")
    column = "village_id" if group is VILLAGE else "household__grid_id"
    rows = (
        case.objects.filter(_prefix_q("village_id", prefix), state__in=[s.value for s in OPEN_STATES], due_on__lt=as_of)
        .values(column)
        .annotate(overdue=Count("id"))
        .order_by()
    )
    return _collect(rows, group, column, {"overdue": ("cases.overdue", month_of(as_of))})


COUNTERS: list[Callable[[Grouping, str, dt.date], Figures]] = [households, warnings, overdue_steps]
