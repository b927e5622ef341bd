"""Scoped reads of analytics: the dashboard of an area (or a grid worker's grids) from the cache.

A dashboard reads only the indicator cache — a fixed handful of queries whatever the size of the
area — and never counts households itself. Which area a user may open is decided by
`areas.selectors.scope_for`, like everywhere else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from bangfu.accounts.domain.roles import Cap
from bangfu.accounts.selectors import has_cap
from bangfu.analytics.domain.periods import month_of, year_of
from bangfu.analytics.models import IndicatorRun, IndicatorValue
from bangfu.areas import selectors as areas
from bangfu.areas.domain.codes import Level, level_of, prefix
from bangfu.core.errors import NotFound
from bangfu.registry import selectors as registry

if TYPE_CHECKING:
    from bangfu.accounts.models import User

TREND_KEY = "monitored_trend"


@dataclass(frozen=True)
class Place:
    """What a dashboard is about: an area (code) or a user's grids ("grid:<id>" units)."""

    code: str
    name: str
    level: str  # an areas Level value, or "grid"
    units: tuple[str, ...]  # cache units summed for this place
    # list-page query that selects the same households: ?area=<code> (every list keeps the area from
    # the link, issue #16), or ?grid=<id> for a grid worker's one grid
    filter: tuple[tuple[str, str], ...]

    @property
    def prefix(self) -> str:
        """The leading digits of the area's codes ("" for grids: their lists are scoped by the grid)."""
        if self.level == "grid":
            return ""
        return prefix(self.code, Level(self.level))


@dataclass(frozen=True)
class Child:
    place: Place
    values: dict[str, Decimal]


@dataclass(frozen=True)
class Dashboard:
    place: Place
    as_of: dt.date | None
    computed_at: dt.datetime | None
    values: dict[str, Decimal]
    trend: list[tuple[str, Decimal]]
    children: list[Child] = field(default_factory=list)
    crumbs: list[Place] = field(default_factory=list)


def _area_place(area: Any) -> Place:
    level = Level(area.level)
    return Place(area.code, area.name, level.value, (area.code,), (("area", area.code),))


def home_place(user: User) -> Place:
    """The place a user's dashboard opens on: their outermost area, or their grids."""
    top = _home_area(user)
    return _area_place(top) if top is not None else _grids_place(user)


def _home_area(user: User) -> Any:
    """The user's outermost area, with its ancestors (areas.area_with_ancestors); None for grid workers."""
    scope = areas.scope_for(user, Cap.VIEW_PEOPLE)
    if scope.prefixes:
        return areas.area_with_ancestors(min(scope.prefixes, key=lambda p: (len(p), p)).ljust(12, "0"))
    if scope.everything:
        return areas.areas_visible(user, level=Level.PROVINCE).first()  # a province: no ancestors to read
    return None


def _grids_place(user: User) -> Place:
    grids = list(areas.grids_visible(user).order_by("code"))
    if not grids:
        raise NotFound()
    name = "、".join(g.name for g in grids)
    units = tuple(f"grid:{g.pk}" for g in grids)
    query = (("grid", str(grids[0].pk)),) if len(grids) == 1 else ()
    return Place("", name, "grid", units, query)


def place_get(user: User, code: str) -> Place:
    """An area the user may open (404 otherwise, revealing nothing — also for grid workers)."""
    return _area_place(_area_opened(user, code))


def _area_opened(user: User, code: str) -> Any:
    """The area of `code` with its ancestors, if the user may open it; NotFound otherwise."""
    scope = areas.scope_for(user, Cap.VIEW_PEOPLE)
    level = level_of(code)
    if level is None or level == Level.GROUP or not scope.covers_code(code):
        raise NotFound()
    area = areas.area_with_ancestors(code)
    if area is None:
        raise NotFound()
    return area


def _latest_run() -> IndicatorRun | None:
    return IndicatorRun.objects.filter(finished__isnull=False).order_by("-finished").first()


def _values(units: list[str], as_of: dt.date) -> tuple[dict[str, dict[str, Decimal]], dict[str, dt.datetime]]:
    """unit → key → value for the month's states and the year's flows, and unit → when its figures
    were computed (one query)."""
    rows = IndicatorValue.objects.filter(unit__in=units, period__in=[month_of(as_of), year_of(as_of)]).exclude(
        key=TREND_KEY
    )
    out: dict[str, dict[str, Decimal]] = {u: {} for u in units}
    computed: dict[str, dt.datetime] = {}
    for unit, key, value, at in rows.values_list("unit", "key", "value", "computed_at"):
        out[unit][key] = out[unit].get(key, Decimal(0)) + value
        computed[unit] = max(computed.get(unit, at), at)
    return out, computed


def place_households(place: Place) -> int:
    """Households in a place by the indicator cache: how big its reports are, known before building them."""
    by_unit, _ = _values(list(place.units), timezone.localdate())
    return int(_sum(by_unit, place.units).get("households", 0))


def _sum(by_unit: dict[str, dict[str, Decimal]], units: tuple[str, ...]) -> dict[str, Decimal]:
    total: dict[str, Decimal] = {}
    for unit in units:
        for key, value in by_unit.get(unit, {}).items():
            total[key] = total.get(key, Decimal(0)) + value
    return total


def _trend(units: tuple[str, ...]) -> list[tuple[str, Decimal]]:
    rows = IndicatorValue.objects.filter(unit__in=units, key=TREND_KEY).values_list("period", "value")
    total: dict[str, Decimal] = {}
    for period, value in rows:
        total[period] = total.get(period, Decimal(0)) + value
    return sorted(total.items())[-12:]


def _children(user: User, place: Place) -> list[Place]:
    if place.level in ("grid", Level.VILLAGE.value):
        return []
    below = areas.areas_visible(user).filter(parent__code=place.code).exclude(level=Level.GROUP.value)
    return [_area_place(a) for a in below.order_by("code")]


def _crumbs(user: User, area: Any) -> list[Place]:
    """The areas above the opened one that the user may open (none above a grid worker's grids); the
    area came with its ancestors, so this reads nothing."""
    if area is None:
        return []
    scope = areas.scope_for(user, Cap.VIEW_PEOPLE)
    return [_area_place(a) for a in areas.ancestors(area) if scope.covers_code(a.code)]


def dashboard(user: User, code: str = "") -> Dashboard:
    """The cached figures of an area (its children for the drill-down), or of a grid worker's grids."""
    area = _area_opened(user, code) if code else _home_area(user)  # one query for the area and its chain
    place = _area_place(area) if area is not None else _grids_place(user)
    run = _latest_run()
    if run is None:
        return Dashboard(place, None, None, {}, [], crumbs=_crumbs(user, area))
    kids = _children(user, place)
    by_unit, computed = _values([*place.units, *(u for k in kids for u in k.units)], run.as_of)
    # A change refreshes its village and the areas above it (the worker, debounced), everything is
    # refreshed every night: the place's own figures say when they were last computed.
    own = max((computed[u] for u in place.units if u in computed), default=None)
    return Dashboard(
        place=place,
        as_of=run.as_of,
        computed_at=own or run.finished,
        values=_sum(by_unit, place.units),
        trend=_trend(place.units),
        children=[Child(k, _sum(by_unit, k.units)) for k in kids],
        crumbs=_crumbs(user, area),
    )


# --- reports ---------------------------------------------------------------------------------


def report_place(user: User, code: str) -> Place:
    """The area of a report: the user's own by default; 404 outside the areas where they may report."""
    scope = areas.scope_for(user, Cap.VIEW_REPORTS)
    if scope.empty:
        raise NotFound()
    if not code:
        return home_place(user)
    level = level_of(code)
    area = areas.area_by_code(code) if level not in (None, Level.GROUP) else None
    if area is None or not scope.covers_code(code):
        raise NotFound()
    return _area_place(area)


@dataclass(frozen=True)
class RosterRow:
    number: str
    village: str
    head: str
    head_id: str
    size: int
    monitoring_type: str
    since: dt.date | None
    risks: str
    eliminated_on: dt.date | None
    per_capita: Decimal | None


def monitored_roster(user: User, place: Place) -> list[RosterRow]:
    """监测对象花名册: monitored households of the place, head's ID masked unless the role may see it.

    Every full ID shown is logged by registry.member_full_id; the masked form needs no log.
    """
    full = has_cap(user, Cap.VIEW_FULL_ID)
    qs = (
        registry.household_search(user, registry.HouseholdFilter(flag="monitored", village=place.prefix))
        .select_related("village")
        .prefetch_related(registry.prefetch_members(), "statements")
        .order_by("village_id", "number")
    )
    rows = []
    for h in qs:
        head = next((m for m in h.members.all() if m.relation == "户主"), None)
        latest = max(h.statements.all(), key=lambda s: s.year, default=None)
        head_id = ""
        if head is not None:
            head.household = h
            head_id = registry.member_full_id(user, head, purpose="监测对象花名册") if full else head.masked
        rows.append(
            RosterRow(
                h.number,
                h.village.name,
                h.head_name,
                head_id,
                h.size,
                h.monitoring_type,
                h.monitoring_since,
                "、".join(h.risk_codes),
                h.risk_eliminated_on,
                latest.per_capita if latest else None,
            )
        )
    return rows


# --- the household page ----------------------------------------------------------------------


def household_section(user: User, household_id: int) -> dict[str, object] | None:
    """The link to the timeline on the registry's household page (registry/sections.py calls this);
    None for users the timeline would refuse (no people data, or a household outside their areas)."""
    if not has_cap(user, Cap.VIEW_PEOPLE):
        return None
    try:
        registry.household_get(user, household_id)
    except NotFound:
        return None
    return {
        "title": gettext("帮扶时间线"),
        "template": "analytics/_household_timeline_link.html",
        "context": {"url": reverse("analytics:timeline", kwargs={"pk": household_id})},
    }
