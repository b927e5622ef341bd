"""Configuration reads of casework (unscoped: parameters are not personal data): parameters, visit
obligations and working-day calendars in force for an area, the villages offered on the public
self-report form, and what the configuration pages show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from bangfu.accounts.domain.roles import Cap
from bangfu.areas.domain.codes import Level
from bangfu.areas.selectors import ancestors, area_by_code, area_get, areas_visible, grids_of_village, scope_for
from bangfu.casework.domain import visits as vdom
from bangfu.casework.models import CalendarDay, CaseParameters, VisitObligation
from bangfu.core.errors import ApplicationError, NotFound
from bangfu.core.selectors import get_or_404

if TYPE_CHECKING:
    from bangfu.accounts.models import User


def _ancestor_codes(code: str) -> list[str]:
    """The area and its ancestors, most specific first."""
    out: list[str] = []
    area = area_by_code(code)
    while area is not None:
        out.append(area.code)
        area = area.parent
    return out


def _code_chain(code: str) -> list[str]:
    """The code and its ancestors' codes as its digits name them, most specific first, without a query
    (a code's digits name its parents: areas.domain.codes.check_child; a level the county skips is
    simply a code no row is kept under)."""
    out: list[str] = []
    for digits in (12, 9, 6, 4, 2):
        candidate = code[:digits].ljust(12, "0")
        if candidate not in out:
            out.append(candidate)
    return out


def _in_force(qs: QuerySet[Any], on: dt.date) -> QuerySet[Any]:
    return qs.filter(effective_from__lte=on).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))


def params_for(village_code: str, on: dt.date) -> CaseParameters:
    """The parameters in force for a village on a date: the most specific area with a row wins."""
    chain = _ancestor_codes(village_code)
    rows: list[CaseParameters] = list(
        _in_force(CaseParameters.objects.filter(area_id__in=chain), on).order_by("-effective_from")
    )
    for code in chain:
        for row in rows:
            if row.area_id == code:
                return row
    raise ApplicationError(
        zh="该地区尚未配置监测程序参数（时限、公示天数、监测范围等），请联系县级管理员配置",
        en="No casework parameters are configured for this area; ask the county administrator to add them",
        code="not_configured",
        status=409,
    )


def longest_report_window_hours() -> int:
    """The longest self-report window of any parameter row (the model's default when none exist)."""
    longest = CaseParameters.objects.aggregate(m=Max("report_window_hours"))["m"]
    return int(longest or CaseParameters._meta.get_field("report_window_hours").get_default())


def calendar_for(code: str) -> tuple[set[dt.date], set[dt.date]]:
    """(holidays, make-up working days) that apply to an area: national rows plus its ancestors'."""
    rows = CalendarDay.objects.filter(Q(area__isnull=True) | Q(area_id__in=_ancestor_codes(code)))
    # The most specific area decides a date: national first, then province, county, township, so a
    # county may work a national holiday or give a local holiday on a national make-up day.
    decided: dict[dt.date, bool] = {}
    by_level = sorted(rows.values_list("date", "working", "area_id"), key=lambda r: len(str(r[2] or "")))
    for day, working, _area in by_level:
        decided[day] = working
    holidays = {d for d, working in decided.items() if not working}
    workdays = {d for d, working in decided.items() if working}
    return holidays, workdays


def obligations_for(village_codes: set[str], on: dt.date) -> dict[str, dict[str, vdom.Obligation]]:
    """village code → category → obligation in force (most specific area wins), in one query however
    many villages (the compliance page reads every village of a county)."""
    chains = {v: _code_chain(v) for v in village_codes}
    all_codes = {c for chain in chains.values() for c in chain}
    rows = list(_in_force(VisitObligation.objects.filter(area_id__in=all_codes), on).order_by("-effective_from"))
    out: dict[str, dict[str, vdom.Obligation]] = {}
    for village, chain in chains.items():
        found: dict[str, vdom.Obligation] = {}
        for code in reversed(chain):  # general first, specific overrides
            for r in (r for r in rows if r.area_id == code):
                found[r.category] = vdom.Obligation(r.category, r.visits, r.period, r.phone_counts)
        out[village] = found
    return out


def villages_for_self_report(township: str = "") -> list[Any]:
    """Villages offered on the public self-report form: those under an area with parameters in force.

    Names of villages are public; the list says nothing about households. A QR code printed for
    one township passes its code, so its people see only their own villages.
    """
    today = timezone.localdate()
    roots = [p.area for p in _in_force(CaseParameters.objects.select_related("area"), today)]
    villages: dict[str, Any] = {}
    frontier = list({a.code: a for a in roots}.values())
    while frontier:
        area = frontier.pop()
        if area.level == "village":
            villages[area.code] = area
        else:
            frontier.extend(area.children.all())
    rows = sorted(villages.values(), key=lambda a: a.code)
    return [v for v in rows if not township or v.code.startswith(township[:9])]


@dataclass(frozen=True)
class ConfigOverview:
    areas: list[Any]  # areas the user configures (province, county, township levels)
    params: list[CaseParameters]  # versions of those areas and of the areas above them
    obligations: list[VisitObligation]
    days: list[CalendarDay]  # national rows and rows of those areas or above, this year and later
    removable: frozenset[int]  # ids of the days this user may remove (the page shows a button for them)
    missing_year: int | None = None  # next year, when it has no national holiday rows yet (a warning)


def config_overview(user: User, today: dt.date) -> ConfigOverview:
    """What the configuration pages show; NotFound for users who configure nothing (reveals nothing)."""
    areas = list(areas_visible(user, cap=Cap.CONFIGURE).exclude(level=Level.VILLAGE.value))
    if not areas:
        raise NotFound()
    related = {c for a in areas for c in _ancestor_codes(a.code)}
    days = list(
        CalendarDay.objects.filter(Q(area__isnull=True) | Q(area_id__in=related))
        .filter(date__gte=today.replace(month=1, day=1))
        .select_related("area")
    )
    return ConfigOverview(
        areas,
        list(CaseParameters.objects.filter(area_id__in=related).select_related("area")),
        list(VisitObligation.objects.filter(area_id__in=related).select_related("area")),
        days,
        _removable_days(user, days),
        _missing_next_year(today),
    )


def calendar_day_get(user: User, pk: int) -> CalendarDay:
    """A calendar day of the configuration page (national, or of an area the user configures or one above
    it); 404 otherwise (another county's day, or one already removed)."""
    areas = list(areas_visible(user, cap=Cap.CONFIGURE).exclude(level=Level.VILLAGE.value))
    related = {c for a in areas for c in _ancestor_codes(a.code)}
    if not areas:
        raise NotFound()
    return get_or_404(CalendarDay.objects.filter(Q(area__isnull=True) | Q(area_id__in=related)), pk)


def _missing_next_year(today: dt.date) -> int | None:
    """Next year when the national calendar has no day of it: deadlines would then count its
    holidays as working days (the State Council announces the year's arrangement in autumn)."""
    year = today.year + 1
    national = CalendarDay.objects.filter(area__isnull=True, date__year=year, working=False)
    return None if national.exists() else year


def _removable_days(user: User, days: list[CalendarDay]) -> frozenset[int]:
    """The same rule as services.calendar_day_delete: rows of areas the user configures; national rows
    (no area) only for a system administrator, whose scope is everything."""
    scope = scope_for(user, Cap.CONFIGURE)
    return frozenset(d.pk for d in days if (scope.covers_code(d.area_id) if d.area_id else scope.everything))


def params_in_force(area_code: str, on: dt.date) -> CaseParameters | None:
    """The row a new version starts from (its values prefill the form); None when none is configured."""
    try:
        return params_for(area_code, on)
    except ApplicationError:
        return None


@dataclass(frozen=True)
class VillagePoster:
    village: Any
    township: str
    county: str
    workers: list[tuple[str, str, str]]  # (grid name, worker name, phone)


def village_poster(user: User, code: str) -> VillagePoster:
    """What the printed self-report poster of a village shows; for whoever sees the village (404 else)."""
    village = area_get(user, code)
    if village.level != "village":
        raise NotFound()
    chain = {a.level: a.name for a in ancestors(village)}
    workers = [(g.name, str(g.worker), g.worker.phone) for g in grids_of_village(code) if g.worker is not None]
    return VillagePoster(village, chain.get("township", ""), chain.get("county", ""), workers)
