"""Scoped reads of casework. Every function that returns people's data takes the acting user first."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import Case as Case_
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce

from bangfu.accounts.domain.roles import Cap, Role
from bangfu.accounts.selectors import has_cap, users_with_role
from bangfu.areas.domain.codes import Level
from bangfu.areas.selectors import area_by_code, area_get, areas_visible, grid_get, grids_visible, scope_for
from bangfu.casework.domain import visits as vdom
from bangfu.casework.domain.procedure import OPEN_STATES, State, Transition, events_from
from bangfu.casework.models import (
    Absence,
    CalendarDay,
    Case,
    CaseAttachment,
    CaseEvent,
    CaseParameters,
    Measure,
    Objection,
    PublicNotice,
    Visit,
    VisitObligation,
)
from bangfu.core.errors import ApplicationError, FieldProblem, Forbidden, NotFound, ValidationFailed
from bangfu.registry.selectors import (
    HouseholdFilter,
    batch_households,
    household_get,
    household_search,
    households_visible,
)

if TYPE_CHECKING:
    from bangfu.accounts.models import User
    from bangfu.registry.models import Household

CASE_CAPS = (Cap.CASE_ACCEPT, Cap.CASE_VILLAGE, Cap.CASE_APPROVE)


# --- configuration (unscoped: parameters are not personal data) -----------------------------


def _ancestor_codes(code: str) -> list[str]:
    """The area and its ancestors, most specific first."""
    out: list[str] = []
    area = area_by_code(code)
    while area is not None:
        out.append(area.code)
        area = area.parent
    return out


def _in_force(qs: QuerySet[Any], on: dt.date) -> QuerySet[Any]:
    return qs.filter(effective_from__lte=on).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))


def params_for(village_code: str, on: dt.date) -> CaseParameters:
    """The parameters in force for a village on a date: the most specific area with a row wins."""
    chain = _ancestor_codes(village_code)
    rows = list(_in_force(CaseParameters.objects.filter(area_id__in=chain), on).order_by("-effective_from"))
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
    holidays: set[dt.date] = set()
    workdays: set[dt.date] = set()
    for day, working in rows.values_list("date", "working"):
        (workdays if working else holidays).add(day)
    return holidays, workdays


def obligations_for(village_codes: set[str], on: dt.date) -> dict[str, dict[str, vdom.Obligation]]:
    """village code → category → obligation in force (most specific area wins)."""
    chains = {v: _ancestor_codes(v) for v in village_codes}
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


# --- cases -----------------------------------------------------------------------------------


def cases_visible(user: User, cap: Cap = Cap.VIEW_PEOPLE) -> QuerySet[Case]:
    return Case.objects.filter(scope_for(user, cap).q(village="village_id", grid="household__grid_id"))


def case_get(user: User, pk: int) -> Case:
    case = cases_visible(user).select_related("household", "village").filter(pk=pk).first()
    if case is None:
        raise NotFound()
    return case


def case_detail(user: User, pk: int) -> Case:
    """The case with its events, measures and notices in a fixed number of queries."""
    case = case_get(user, pk)
    events = (
        CaseEvent.objects.filter(case=case)
        .select_related("actor")
        .prefetch_related(Prefetch("attachments", queryset=CaseAttachment.objects.order_by("pk")))
    )
    case._events = list(events)  # type: ignore[attr-defined]
    case._measures = list(Measure.objects.filter(case=case))  # type: ignore[attr-defined]
    notices = PublicNotice.objects.filter(case=case).prefetch_related(
        Prefetch("objections", queryset=Objection.objects.order_by("received_on"))
    )
    case._notices = list(notices)  # type: ignore[attr-defined]
    return case


@dataclass(frozen=True)
class CaseFilter:
    state: str = ""
    overdue: bool = False
    village: str = ""


def case_page(user: User, f: CaseFilter, today: dt.date, page: int = 1, per_page: int = 50) -> Page:
    qs = cases_visible(user).select_related("village", "household").order_by("due_on", "-pk")
    if f.state:
        qs = qs.filter(state=f.state)
    if f.village:
        qs = qs.filter(village__code__startswith=f.village)  # FK attname refuses startswith on Django 6.1
    if f.overdue:
        qs = qs.filter(state__in=[s.value for s in OPEN_STATES], due_on__lt=today)
    return Paginator(qs, per_page).get_page(page)


def case_caps(user: User, case: Case) -> frozenset[str]:
    """Which case capabilities the user holds for this case's village."""
    return frozenset(c.value for c in CASE_CAPS if scope_for(user, c).covers_code(case.village_id))


def steps_allowed(user: User, case: Case) -> list[Transition]:
    caps = case_caps(user, case)
    return [t for t in events_from(State(case.state)) if t.cap in caps]


def overdue_by_township(user: User, today: dt.date) -> list[dict[str, Any]]:
    """Overdue open steps per township (the first 9 digits of the village code), with names."""
    qs = cases_visible(user).filter(state__in=[s.value for s in OPEN_STATES], due_on__lt=today)
    counts: dict[str, int] = defaultdict(int)
    for code in qs.values_list("village__code", flat=True):
        counts[code[:9] + "000"] += 1
    rows = []
    for code, n in sorted(counts.items()):
        area = area_by_code(code)
        rows.append({"code": code, "name": area.name if area else code, "overdue": n})
    return rows


def notice_get(user: User, pk: int) -> PublicNotice:
    notice = (
        PublicNotice.objects.filter(case__in=cases_visible(user), pk=pk).select_related("case", "case__village").first()
    )
    if notice is None:
        raise NotFound()
    return notice


# --- grid work -------------------------------------------------------------------------------


@dataclass(frozen=True)
class HouseholdDue:
    household: Household
    monitored: bool
    standing: vdom.Standing | None  # None when no obligation is configured for its category
    last_visit: dt.date | None


def _standings(households: list[Household], today: dt.date) -> list[HouseholdDue]:
    """Fetch visits, absences and obligations for all the households at once, then compute."""
    ids = [h.pk for h in households]
    since = vdom.period_bounds("quarter", today)[0] - dt.timedelta(days=366)
    visits: dict[int, list[vdom.VisitFact]] = defaultdict(list)
    for hid, on, mode in Visit.objects.filter(household_id__in=ids, visited_on__gte=since).values_list(
        "household_id", "visited_on", "mode"
    ):
        visits[hid].append(vdom.VisitFact(on, mode))
    absent = set(Absence.objects.filter(household_id__in=ids).values_list("household_id", flat=True))
    obligations = obligations_for({h.village_id for h in households}, today)
    out: list[HouseholdDue] = []
    for h in households:
        monitored = bool(h.monitoring_type) and h.risk_eliminated_on is None
        category = vdom.category_of(monitored=monitored, absent=h.pk in absent)
        ob = obligations.get(h.village_id, {}).get(category)
        st = vdom.standing(ob, visits[h.pk], today) if ob else None
        last = max((v.on for v in visits[h.pk]), default=None)
        out.append(HouseholdDue(h, monitored, st, last))
    return out


def my_households(user: User, today: dt.date) -> list[HouseholdDue]:
    """The grid worker's households: monitored first, then those with visits still due, oldest visit first."""
    qs = households_visible(user, Cap.LOG_VISITS).filter(grid__worker=user).select_related("village", "grid")
    rows = _standings(list(qs.order_by("number")), today)
    return sorted(
        rows,
        key=lambda r: (
            not r.monitored,
            -(r.standing.remaining if r.standing else 0),
            r.last_visit or dt.date.min,
        ),
    )


def household_for_visit(user: User, pk: int) -> Household:
    h = households_visible(user, Cap.LOG_VISITS).select_related("village", "grid").filter(pk=pk).first()
    if h is None:
        raise NotFound()
    return h


def visits_of(user: User, household_id: int, limit: int = 20) -> list[Visit]:
    h = household_for_visit(user, household_id)
    return list(Visit.objects.filter(household=h).select_related("worker")[:limit])


@dataclass(frozen=True)
class ComplianceRow:
    key: str
    label: str
    households: int
    met: int

    @property
    def percent(self) -> str:
        return "—" if self.households == 0 else f"{100 * self.met / self.households:.0f}%"


def compliance_report(user: User, today: dt.date) -> dict[str, list[ComplianceRow]]:
    """Visit compliance this period per grid worker, village and township, within the user's areas."""
    qs = households_visible(user).filter(status="正常").select_related("village", "grid", "grid__worker")
    rows = _standings(list(qs), today)
    groups: dict[str, dict[tuple[str, str], list[vdom.Standing]]] = {
        "worker": defaultdict(list),
        "village": defaultdict(list),
        "township": defaultdict(list),
    }
    townships: dict[str, str] = {}
    for r in rows:
        if r.standing is None:
            continue
        h = r.household
        worker = h.grid.worker if h.grid and h.grid.worker else None
        groups["worker"][(str(worker.pk) if worker else "", str(worker) if worker else "（未分配网格员）")].append(
            r.standing
        )
        groups["village"][(h.village_id, h.village.name)].append(r.standing)
        tcode = h.village_id[:9] + "000"
        townships.setdefault(tcode, "")
        groups["township"][(tcode, tcode)].append(r.standing)
    out: dict[str, list[ComplianceRow]] = {}
    for level, table in groups.items():
        out[level] = []
        for (key, label), standings in sorted(table.items()):
            if level == "township":
                area = area_by_code(key)
                label = area.name if area else key
            c = vdom.compliance(standings)
            out[level].append(ComplianceRow(key, label, c.households, c.met))
    return out


def workload_by_grid(user: User) -> QuerySet[Any]:
    """Households per grid in the user's areas, for balancing."""
    return grids_visible(user).annotate(n=Count("households")).order_by("village_id", "code")


def villages_for_self_report(township: str = "") -> list[Any]:
    """Villages offered on the public self-report form: those under an area with parameters in force.

    Names of villages are public; the list says nothing about households. A QR code printed for
    one township passes its code, so its people see only their own villages.
    """
    today = dt.date.today()
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


# --- intake: opening cases by hand and the lead queue ----------------------------------------


def require_case_intake(user: User) -> None:
    """Only officers who accept cases (township, county) open them by hand and work the lead queue."""
    if scope_for(user, Cap.CASE_ACCEPT).empty:
        raise Forbidden(
            "只有乡镇、县级干部可以登记和受理线索", "Only township and county officers record and accept leads"
        )


def households_for_intake(user: User, text: str, limit: int = 20) -> list[Household]:
    """Households matching name, number or full ID within the areas where the user accepts cases."""
    scope = scope_for(user, Cap.CASE_ACCEPT)
    qs = household_search(user, HouseholdFilter(text=text)).filter(scope.q(village="village_id", grid=None))
    return list(qs.select_related("village", "village__parent").order_by("number")[:limit])


def household_for_intake(user: User, pk: int) -> Household:
    h = households_visible(user, Cap.CASE_ACCEPT).filter(pk=pk).first()
    if h is None:
        raise NotFound()
    return h


@dataclass(frozen=True)
class LeadRow:
    case: Case
    urgency: str  # "overdue", "today" (accept today), or "" (time left)


@dataclass(frozen=True)
class LeadGroup:
    code: str
    name: str
    rows: list[LeadRow]

    @property
    def overdue(self) -> int:
        return sum(r.urgency == "overdue" for r in self.rows)


def lead_queue(user: User, today: dt.date) -> list[LeadGroup]:
    """Leads waiting for acceptance, per township, the earliest deadline first (two queries)."""
    qs = (
        cases_visible(user, Cap.CASE_ACCEPT)
        .filter(state=State.LEAD.value)
        .select_related("village", "village__parent", "household")
        .order_by("due_on", "pk")
    )
    groups: dict[str, LeadGroup] = {}
    for case in qs:
        township = case.village.parent
        key = township.code if township else case.village_id
        group = groups.setdefault(key, LeadGroup(key, township.name if township else key, []))
        urgency = "" if case.due_on is None or case.due_on > today else "today"
        group.rows.append(LeadRow(case, "overdue" if case.due_on and case.due_on < today else urgency))
    return sorted(groups.values(), key=lambda g: g.code)


# --- grids: placement and hand-over ----------------------------------------------------------


@dataclass(frozen=True)
class VillageGrids:
    code: str
    name: str
    township: str
    households: int
    unplaced: int
    grids: int


def villages_for_grids(user: User) -> list[VillageGrids]:
    """Villages where the user may place households, with their household and grid counts (3 queries)."""
    villages = areas_visible(user, level=Level.VILLAGE, cap=Cap.EDIT_REGISTRY).select_related("parent")
    counts: dict[str, dict[str, int]] = {
        str(r["village_id"]): {"n": r["n"], "free": r["free"]}
        for r in households_visible(user, Cap.EDIT_REGISTRY)
        .filter(status="正常")
        .values("village_id")
        .annotate(n=Count("pk"), free=Count("pk", filter=Q(grid__isnull=True)))
    }
    grids = {
        str(code): n
        for code, n in grids_visible(user, cap=Cap.EDIT_REGISTRY)
        .values("village_id")
        .annotate(n=Count("pk"))
        .values_list("village_id", "n")
    }
    return [
        VillageGrids(
            v.code,
            v.name,
            v.parent.name if v.parent else "",
            counts.get(v.code, {}).get("n", 0),
            counts.get(v.code, {}).get("free", 0),
            grids.get(v.code, 0),
        )
        for v in villages
    ]


@dataclass(frozen=True)
class VillageGridDetail:
    village: Any
    grids: list[Any]  # each annotated with n (households) and its prefetched terms
    unplaced: int
    per_worker: int | None  # None when no parameters are configured for the village
    candidates: list[Any]  # grid workers of the village (or above) a grid may be handed to


def village_grids(user: User, code: str, today: dt.date) -> VillageGridDetail:
    village = area_get(user, code, cap=Cap.EDIT_REGISTRY)  # NotFound outside the officer's areas
    grids = list(
        grids_visible(user, cap=Cap.EDIT_REGISTRY)
        .filter(village__code=code)
        .annotate(n=Count("households"))
        .prefetch_related("terms__worker")
        .order_by("code")
    )
    unplaced = households_visible(user, Cap.EDIT_REGISTRY).filter(village__code=code, grid__isnull=True, status="正常")
    try:
        per_worker: int | None = params_for(code, today).households_per_worker
    except ApplicationError:
        per_worker = None
    workers = users_with_role(Role.GRID_WORKER, _ancestor_codes(code))
    return VillageGridDetail(village, grids, unplaced.count(), per_worker, workers)


def grid_for_handover(user: User, pk: int) -> Any:
    return grid_get(user, pk, cap=Cap.EDIT_REGISTRY)


def grid_worker_candidate(user: User, grid: Any, worker_id: int) -> Any:
    """A grid worker of the grid's village (or above) by id; a field problem for anyone else."""
    for w in users_with_role(Role.GRID_WORKER, _ancestor_codes(grid.village_id)):
        if w.pk == worker_id:
            return w
    raise ValidationFailed(
        [FieldProblem("worker", "请从本村网格员中选择接手人", "choose one of the village's grid workers")]
    )


# --- configuration pages ---------------------------------------------------------------------


@dataclass(frozen=True)
class ConfigOverview:
    areas: list[Any]  # areas the user configures (province, county, township levels)
    params: list[CaseParameters]  # versions of those areas and of the areas above them
    obligations: list[VisitObligation]
    days: list[CalendarDay]  # national rows and rows of those areas or above, this year and later


def config_overview(user: User, today: dt.date) -> ConfigOverview:
    """What the configuration pages show; NotFound for users who configure nothing (reveals nothing)."""
    areas = list(areas_visible(user, cap=Cap.CONFIGURE).exclude(level=Level.VILLAGE.value))
    if not areas:
        raise NotFound()
    related = {c for a in areas for c in _ancestor_codes(a.code)}
    return ConfigOverview(
        areas,
        list(CaseParameters.objects.filter(area_id__in=related).select_related("area")),
        list(VisitObligation.objects.filter(area_id__in=related).select_related("area")),
        list(
            CalendarDay.objects.filter(Q(area__isnull=True) | Q(area_id__in=related))
            .filter(date__gte=today.replace(month=1, day=1))
            .select_related("area")
        ),
    )


def params_in_force(area_code: str, on: dt.date) -> CaseParameters | None:
    """The row a new version starts from (its values prefill the form); None when none is configured."""
    try:
        return params_for(area_code, on)
    except ApplicationError:
        return None


# --- the household page --------------------------------------------------------------------------


def household_section(user: User, household_id: int) -> dict[str, object] | None:
    """Cases and the latest visits for the registry's household page (registry/sections.py calls this)."""
    try:
        h = household_get(user, household_id)
    except NotFound:
        return None
    cases = list(Case.objects.filter(household=h).order_by("-opened_on", "-pk")[:10])
    visits = list(Visit.objects.filter(household=h).select_related("worker").order_by("-visited_on", "-pk")[:10])
    return {
        "title": "监测案件与走访 Cases and visits",
        "template": "casework/_household_section.html",
        "context": {
            "cases": cases,
            "visits": visits,
            "household": h,
            "can_visit": has_cap(user, Cap.LOG_VISITS),
            "can_open": has_cap(user, Cap.CASE_ACCEPT),
        },
    }


# --- household history and ledgers (scoped) --------------------------------------------------


def case_events_of(user: User, household_id: int) -> list[CaseEvent]:
    """Every procedure step of the household's cases, oldest first (404 outside the user's areas)."""
    h = household_get(user, household_id)
    qs = CaseEvent.objects.filter(case__in=cases_visible(user).filter(household=h))
    return list(qs.select_related("case").order_by("on", "pk"))


def measures_visible(user: User, village_prefix: str = "") -> QuerySet[Measure]:
    """Assistance measures of the cases the user sees, optionally under an area code prefix."""
    cases = cases_visible(user)
    if village_prefix:
        cases = cases.filter(village__code__startswith=village_prefix)  # FK attname refuses startswith
    return Measure.objects.filter(case__in=cases).select_related("case", "case__household", "case__village")


# --- batch counts (for batch indicator jobs, never returned to a user) -------------------------


def _visit_count(period: str, as_of: dt.date, in_person_only: bool) -> Any:
    start, end = vdom.period_bounds(period, as_of)
    qs = Visit.objects.filter(household=OuterRef("pk"), visited_on__gte=start, visited_on__lte=end)
    if in_person_only:
        qs = qs.filter(mode="in_person")
    return Coalesce(Subquery(qs.values("household").annotate(n=Count("id")).values("n")[:1]), 0)


def _done(row: dict[str, Any], ob: vdom.Obligation) -> int:
    return int(row[f"{ob.period}_{'all' if ob.phone_counts else 'in'}"])


def village_counts(as_of: dt.date, *, prefix: str = "", by: str = "village") -> list[tuple[str, str, Decimal]]:
    """(village code or grid id, key, value): "cases.overdue" open steps past their due date, and
    "visits.due"/"visits.met" households with a visit obligation this period and those that met it
    (the same rule as compliance_report, counted in two grouped queries plus the obligations).

    by="grid" groups by the household's grid. For batch indicator jobs, never returned to a user.
    """
    out: list[tuple[str, str, Decimal]] = []
    column = "village_id" if by == "village" else "household__grid_id"
    cases = Case.objects.filter(state__in=[s.value for s in OPEN_STATES], due_on__lt=as_of)
    if prefix:
        cases = cases.filter(village_id__gte=prefix, village_id__lte=prefix + "9" * (12 - len(prefix)))
    for row in cases.exclude(**{f"{column}__isnull": True}).values(column).annotate(n=Count("id")).order_by():
        out.append((str(row[column]), "cases.overdue", Decimal(row["n"])))
    return out + _visit_counts(as_of, prefix, "village_id" if by == "village" else "grid_id")


def _batch_obligations(village_codes: set[str], on: dt.date) -> dict[str, dict[str, vdom.Obligation]]:
    """obligations_for with the ancestors taken from the code itself (12/9/6/4/2 leading digits)
    instead of walking the area tree, so a province costs one query, not one per village."""
    chains = {v: list(dict.fromkeys(v[:n].ljust(12, "0") for n in (12, 9, 6, 4, 2))) for v in village_codes}
    wanted = {c for chain in chains.values() for c in chain}
    rows = list(_in_force(VisitObligation.objects.filter(area_id__in=wanted), on).order_by("-effective_from"))
    by_area: dict[str, list[VisitObligation]] = defaultdict(list)
    for r in rows:
        by_area[r.area_id].append(r)
    out: dict[str, dict[str, vdom.Obligation]] = {}
    for village, chain in chains.items():
        found: dict[str, vdom.Obligation] = {}
        for code in reversed(chain):  # general first, specific overrides (as obligations_for)
            for r in by_area[code]:
                found[r.category] = vdom.Obligation(r.category, r.visits, r.period, r.phone_counts)
        out[village] = found
    return out


def _visit_counts(as_of: dt.date, prefix: str, column: str) -> list[tuple[str, str, Decimal]]:
    # Count only the (period, phone counts) combinations some obligation in force uses: each is a
    # correlated count per household, the costly part of the query.
    combos = sorted(set(_in_force(VisitObligation.objects.all(), as_of).values_list("period", "phone_counts")))
    if not combos:
        return []
    done = {f"{period}_{'all' if phone else 'in'}": _visit_count(period, as_of, not phone) for period, phone in combos}
    groups = (
        batch_households(prefix)
        .exclude(**{f"{column}__isnull": True})
        .annotate(
            is_monitored=Case_(
                When(Q(monitoring_type__gt="", risk_eliminated_on__isnull=True), then=True), default=False
            ),
            is_absent=Exists(Absence.objects.filter(household=OuterRef("pk"))),
            **done,
        )
        .values(column, "village_id", "is_monitored", "is_absent", *done)
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = list(groups)
    obligations = _batch_obligations({r["village_id"] for r in rows}, as_of)
    due: dict[str, int] = defaultdict(int)
    met: dict[str, int] = defaultdict(int)
    for r in rows:
        category = vdom.category_of(monitored=bool(r["is_monitored"]), absent=bool(r["is_absent"]))
        ob = obligations.get(r["village_id"], {}).get(category)
        if ob is None:  # no obligation configured for this category: not counted, as on the report
            continue
        unit = str(r[column])
        due[unit] += r["n"]
        met[unit] += r["n"] if _done(r, ob) >= ob.visits else 0
    return [(u, "visits.due", Decimal(n)) for u, n in due.items()] + [(u, "visits.met", Decimal(met[u])) for u in due]
