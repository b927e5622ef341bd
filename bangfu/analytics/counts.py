"""Per-village (and per-grid) figures that feed the indicator cache, asked of each source app.

Each app counts its own tables in a batch selector (`village_counts`, grouped SQL, a fixed number
of queries whatever the number of households; ADR 0005); here the rows are given their cache
period and shaped into {unit: {(key, period): value}}, which `domain.indicators.roll_up` then adds
up to every level.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bangfu.analytics.domain.indicators import Cell, period_of
from bangfu.analytics.domain.periods import month_ends
from bangfu.areas.selectors import Where
from bangfu.casework import selectors as casework
from bangfu.employment import selectors as employment
from bangfu.insurance import selectors as insurance
from bangfu.market import selectors as market
from bangfu.monitoring import selectors as monitoring
from bangfu.registry import selectors as registry

Figures = dict[str, dict[Cell, Decimal]]
Rows = Iterable[tuple[str, str, Decimal]]
TREND_MONTHS = 12
TREND_PREFIX = "monitored_at:"


@dataclass(frozen=True)
class Grouping:
    """Which unit a counter groups by: the village code, or the grid (grid workers' dashboards)."""

    name: str  # "village" or "grid"

    def unit(self, value: Any) -> str:
        return str(value) if self.name == "village" else f"grid:{value}"


VILLAGE, GRID = Grouping("village"), Grouping("grid")


def shape(rows: Rows, group: Grouping, as_of: dt.date) -> Figures:
    """Source rows (unit, key, value) as cache cells; trend keys carry their own month."""
    out: Figures = defaultdict(dict)
    for unit, key, value in rows:
        if key.startswith(TREND_PREFIX):
            cell = ("monitored_trend", key[len(TREND_PREFIX) :])
        else:
            cell = (key, period_of(key, as_of))
        out[group.unit(unit)][cell] = value
    return dict(out)


def households(group: Grouping, prefix: Where, as_of: dt.date) -> Figures:
    trend = month_ends(as_of, TREND_MONTHS)
    return shape(registry.village_counts(as_of, prefix=prefix, trend=trend, by=group.name), group, as_of)


def cases_and_visits(group: Grouping, prefix: Where, as_of: dt.date) -> Figures:
    return shape(casework.village_counts(as_of, prefix=prefix, by=group.name), group, as_of)


def claims(group: Grouping, prefix: Where, as_of: dt.date) -> Figures:
    return shape(insurance.village_counts(as_of, prefix=prefix, by=group.name), group, as_of)


def jobs(group: Grouping, prefix: Where, as_of: dt.date) -> Figures:
    """Workshops are places, not households of a grid: grid dashboards do not show them."""
    return shape(employment.village_counts(as_of, prefix=prefix), group, as_of) if group is VILLAGE else {}


def sales(group: Grouping, prefix: Where, as_of: dt.date) -> Figures:
    return shape(market.village_counts(as_of, prefix=prefix, by=group.name), group, as_of)


def warnings(group: Grouping, prefix: Where, as_of: dt.date) -> Figures:
    return shape(monitoring.village_counts(as_of, prefix=prefix, by=group.name), group, as_of)


def county_funds(as_of: dt.date) -> Figures:
    """Figures that belong to a county itself (the insurance fund), for every county at once."""
    return shape(insurance.county_counts(as_of), VILLAGE, as_of)


COUNTERS: list[Callable[[Grouping, Where, dt.date], Figures]] = [
    households,
    warnings,
    cases_and_visits,
    claims,
    jobs,
    sales,
]


# Each source's areas whose figures may move between two days of the same month without a write
# (`villages_dated(after, until, prefix)`: a dated fact entering or leaving its indicator's window);
# the incremental refresh counts them again. A new indicator with a date in its window adds its
# column there (analytics/tests/test_incremental.py lists them).
DATED: list[Callable[[dt.date, dt.date, str], set[str]]] = [
    registry.villages_dated,
    monitoring.villages_dated,
    casework.villages_dated,
    insurance.villages_dated,
    employment.villages_dated,
    market.villages_dated,
]
