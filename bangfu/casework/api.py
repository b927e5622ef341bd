"""JSON API of casework, mounted at /api/v1/casework/ by bangfu/api.py. Scoped like the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from ninja import Router, Schema, Status

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.areas.domain.codes import SIGNIFICANT, level_of
from bangfu.casework import selectors, services
from bangfu.casework.domain import codes
from bangfu.casework.inputs import PARAM_FIELDS, param_values
from bangfu.core.idempotency import idempotent
from bangfu.core.replicas import replica_ok
from bangfu.core.selectors import get_or_404
from bangfu.registry.selectors import household_get

if TYPE_CHECKING:
    pass

router = Router(tags=["casework"])


class CaseOut(Schema):
    id: int
    village: str
    household_id: int | None
    source: str
    source_ref: str
    state: str
    state_label: str
    due_on: dt.date | None
    opened_on: dt.date
    monitoring_type: str
    risk_codes: list[str]


class CaseEventOut(Schema):
    event: str
    label: str
    on: dt.date
    actor: str
    from_state: str
    to_state: str
    note: str


class CaseDetailOut(CaseOut):
    events: list[CaseEventOut]
    steps_allowed: list[str]


def _case(c: Any) -> dict[str, Any]:
    return {
        "id": c.pk,
        "village": c.village_id,
        "household_id": c.household_id,
        "source": c.source,
        "source_ref": c.source_ref,
        "state": c.state,
        "state_label": c.state_label,
        "due_on": c.due_on,
        "opened_on": c.opened_on,
        "monitoring_type": c.monitoring_type,
        "risk_codes": c.risk_codes,
    }


@router.get("/cases", response=list[CaseOut])
@replica_ok
def list_cases(
    request: AuthedHttpRequest, state: str = "", overdue: bool = False, page: int = 1
) -> list[dict[str, Any]]:
    f = selectors.CaseFilter(state=state, overdue=overdue)
    return [_case(c) for c in selectors.case_page(request.user, f, timezone.localdate(), page).object_list]


@router.get("/cases/{case_id}", response=CaseDetailOut)
def get_case(request: AuthedHttpRequest, case_id: int) -> dict[str, Any]:
    user = request.user
    c = selectors.case_detail(user, case_id)
    events = [
        {
            "event": e.event,
            "label": e.label,
            "on": e.on,
            "actor": str(e.actor or "系统"),
            "from_state": e.from_state,
            "to_state": e.to_state,
            "note": e.note,
        }
        for e in c._events
    ]
    facts = selectors.case_facts(c, timezone.localdate())  # the same steps as the page: none waiting for a date
    allowed = [t.event.value for t in selectors.steps_allowed(user, c, facts)]
    return {**_case(c), "events": events, "steps_allowed": allowed}


class CaseIn(Schema):
    household_id: int
    source: str
    summary: str
    source_ref: str = ""


@router.post("/cases", response={201: CaseOut})
@writes(Cap.LOG_VISITS, Cap.HANDLE_WARNINGS)
def open_case(request: AuthedHttpRequest, body: CaseIn) -> Status[Any]:
    user = request.user
    h = household_get(user, body.household_id)
    c = services.case_open(
        actor=user, household=h, source=body.source, summary=body.summary, source_ref=body.source_ref
    )
    return Status(201, _case(c))


class StepIn(Schema):
    event: str
    on: dt.date | None = None
    note: str = ""
    data: dict[str, Any] = {}


@router.post("/cases/{case_id}/steps", response=CaseOut)
@writes(Cap.CASE_ACCEPT, Cap.CASE_VILLAGE, Cap.CASE_APPROVE)
def take_step(request: AuthedHttpRequest, case_id: int, body: StepIn) -> dict[str, Any]:
    user = request.user
    c = selectors.case_get(user, case_id)
    return _case(services.case_step(actor=user, case=c, event=body.event, on=body.on, note=body.note, data=body.data))


class MeasureIn(Schema):
    category: str
    title: str
    responsible: str
    starts_on: dt.date
    ends_on: dt.date | None = None
    amount: Decimal = Decimal("0")
    status: str = "planned"
    responsible_unit: str = ""


class MeasureOut(Schema):
    id: int
    category: str
    title: str
    amount: Decimal
    status: str


@router.post("/cases/{case_id}/measures", response={201: MeasureOut})
@writes(Cap.CASE_VILLAGE)
def add_measure(request: AuthedHttpRequest, case_id: int, body: MeasureIn) -> Status[Any]:
    user = request.user
    c = selectors.case_get(user, case_id)
    return Status(201, services.measure_add(actor=user, case=c, **body.dict()))


class VisitIn(Schema):
    household_id: int
    visited_on: dt.date
    mode: str
    checks: list[str] = []
    note: str = ""
    report_risk: bool = False


class VisitOut(Schema):
    id: int
    household_id: int
    visited_on: dt.date
    mode: str
    checks: list[str]
    lead_id: int | None


@router.post("/visits", response={201: VisitOut})
@idempotent
@writes(Cap.LOG_VISITS)
def log_visit(request: AuthedHttpRequest, body: VisitIn) -> Status[Any]:
    """Idempotency-Key accepted (docs/offline.md); 409 `moved_away` when the household left the grid."""
    user = request.user
    h = selectors.household_for_visit(user, body.household_id)
    v = services.visit_log(
        actor=user,
        household=h,
        visited_on=body.visited_on,
        mode=body.mode,
        checks=body.checks,
        note=body.note,
        report_risk=body.report_risk,
    )
    return Status(201, v)


class DueOut(Schema):
    household_id: int
    head_name: str
    monitored: bool
    required: int | None
    done: int | None
    last_visit: dt.date | None


@router.get("/my-households", response=list[DueOut])
@replica_ok
def my_households(request: AuthedHttpRequest) -> list[dict[str, Any]]:
    rows = selectors.my_households(request.user, timezone.localdate())
    return [
        {
            "household_id": r.household.pk,
            "head_name": r.household.head_name,
            "monitored": r.monitored,
            "required": r.standing.required if r.standing else None,
            "done": r.standing.done if r.standing else None,
            "last_visit": r.last_visit,
        }
        for r in rows
    ]


class OverdueOut(Schema):
    code: str
    name: str
    overdue: int


@router.get("/overdue", response=list[OverdueOut])
@replica_ok
def overdue(request: AuthedHttpRequest) -> list[dict[str, Any]]:
    return selectors.overdue_by_township(request.user, timezone.localdate())


# --- assistance measures: list and status (the case page's services) --------------------------------


class MeasureRowOut(Schema):
    id: int
    case_id: int
    household_id: int | None
    village: str
    category: str
    category_label: str
    title: str
    responsible: str
    responsible_unit: str
    starts_on: dt.date
    ends_on: dt.date | None
    amount: Decimal
    status: str
    status_label: str


class MeasureStatusIn(Schema):
    status: str  # planned, in_progress, done, cancelled
    note: str = ""


def _measure(m: Any) -> dict[str, Any]:
    return {
        "id": m.pk,
        "case_id": m.case_id,
        "household_id": m.case.household_id,
        "village": m.case.village_id,
        "category": m.category,
        "category_label": m.category_label,
        "title": m.title,
        "responsible": m.responsible,
        "responsible_unit": m.responsible_unit,
        "starts_on": m.starts_on,
        "ends_on": m.ends_on,
        "amount": m.amount,
        "status": m.status,
        "status_label": codes.MEASURE_STATUS.get(m.status, m.status),
    }


@router.get("/measures", response=list[MeasureRowOut], summary="帮扶措施 Assistance measures in your areas")
@replica_ok
def measure_list(request: AuthedHttpRequest, area: str = "", status: str = "", page: int = 1) -> list[dict[str, Any]]:
    """Measures of the cases the caller sees (200 a page), optionally under an area code and by status."""
    level = level_of(area) if area else None
    qs = selectors.measures_visible(request.user, area[: SIGNIFICANT[level]] if level else area)
    if status:
        qs = qs.filter(status=status)
    start = (max(page, 1) - 1) * 200
    return [_measure(m) for m in qs.order_by("case_id", "starts_on", "pk")[start : start + 200]]


@router.get("/cases/{case_id}/measures", response=list[MeasureRowOut], summary="案件的帮扶措施 Measures of a case")
def case_measures(request: AuthedHttpRequest, case_id: int) -> list[dict[str, Any]]:
    c = selectors.case_get(request.user, case_id)
    return [_measure(m) for m in selectors.measures_visible(request.user).filter(case=c)]


@router.post(
    "/cases/{case_id}/measures/{measure_id}/status", response=MeasureRowOut, summary="更新措施状态 Measure status"
)
@writes(Cap.CASE_VILLAGE)
def measure_status(request: AuthedHttpRequest, case_id: int, measure_id: int, body: MeasureStatusIn) -> dict[str, Any]:
    user = request.user
    m = get_or_404(selectors.measures_visible(user), case_id=case_id, pk=measure_id)
    return _measure(services.measure_set_status(actor=user, measure=m, status=body.status, note=body.note))


# --- parameters, visit rules and the working-day calendar (the configuration page's services) ---------


class ConfigAreaOut(Schema):
    code: str
    name: str
    level: str


class ParamsOut(Schema):
    id: int
    area: str
    effective_from: dt.date
    effective_to: dt.date | None
    values: dict[str, int | bool]


class ObligationOut(Schema):
    id: int
    area: str
    category: str
    visits: int
    period: str
    phone_counts: bool
    effective_from: dt.date
    effective_to: dt.date | None


class CalendarDayOut(Schema):
    id: int
    date: dt.date
    name: str
    working: bool
    area: str | None
    removable: bool


class ConfigOut(Schema):
    areas: list[ConfigAreaOut]
    params: list[ParamsOut]
    obligations: list[ObligationOut]
    calendar: list[CalendarDayOut]
    missing_year: int | None


class ParamsIn(Schema):
    area: str
    effective_from: dt.date
    values: dict[str, int | bool]


class ObligationIn(Schema):
    area: str
    category: str
    visits: int
    period: str
    phone_counts: bool = False
    effective_from: dt.date


class CalendarDayIn(Schema):
    date: dt.date
    name: str
    working: bool = False
    area: str = ""


def _params(p: Any) -> dict[str, Any]:
    values = {f.name: getattr(p, f.name) for f in PARAM_FIELDS}
    return {
        "id": p.pk,
        "area": p.area_id,
        "effective_from": p.effective_from,
        "effective_to": p.effective_to,
        "values": values,
    }


def _obligation(o: Any) -> dict[str, Any]:
    return {
        "id": o.pk,
        "area": o.area_id,
        "category": o.category,
        "visits": o.visits,
        "period": o.period,
        "phone_counts": o.phone_counts,
        "effective_from": o.effective_from,
        "effective_to": o.effective_to,
    }


def _day(d: Any, removable: bool) -> dict[str, Any]:
    return {"id": d.pk, "date": d.date, "name": d.name, "working": d.working, "area": d.area_id, "removable": removable}


@router.get("/config", response=ConfigOut, summary="监测参数 Parameters, visit rules and calendar you configure")
def config(request: AuthedHttpRequest) -> dict[str, Any]:
    o = selectors.config_overview(request.user, timezone.localdate())
    return {
        "areas": [{"code": a.code, "name": a.name, "level": a.level} for a in o.areas],
        "params": [_params(p) for p in o.params],
        "obligations": [_obligation(x) for x in o.obligations],
        "calendar": [_day(d, d.pk in o.removable) for d in o.days],
        "missing_year": o.missing_year,
    }


@router.post("/config/params", response={201: ParamsOut}, summary="新版本参数 Parameters from a date on")
@writes(Cap.CONFIGURE)
def config_params(request: AuthedHttpRequest, body: ParamsIn) -> Status[Any]:
    values = param_values(body.values)
    row = services.params_new_version(
        actor=request.user, area_code=body.area, effective_from=body.effective_from, values=values
    )
    return Status(201, _params(row))


@router.post("/config/obligations", response={201: ObligationOut}, summary="走访要求 A visit rule from a date on")
@writes(Cap.CONFIGURE)
def config_obligation(request: AuthedHttpRequest, body: ObligationIn) -> Status[Any]:
    row = services.obligation_new_version(actor=request.user, area_code=body.area, **body.dict(exclude={"area"}))
    return Status(201, _obligation(row))


@router.post("/config/calendar", response={201: CalendarDayOut}, summary="工作日历 A holiday or make-up working day")
@writes(Cap.CONFIGURE)
def config_calendar_set(request: AuthedHttpRequest, body: CalendarDayIn) -> Status[Any]:
    row = services.calendar_day_set(
        actor=request.user, date=body.date, name=body.name, working=body.working, area_code=body.area or None
    )
    return Status(201, _day(row, True))


@router.delete("/config/calendar/{day_id}", response={204: None}, summary="删除日历日 Remove a calendar day")
@writes(Cap.CONFIGURE)
def config_calendar_delete(request: AuthedHttpRequest, day_id: int) -> Status[Any]:
    selectors.config_overview(request.user, timezone.localdate())  # 404 for users who configure nothing
    services.calendar_day_delete(actor=request.user, pk=day_id)
    return Status(204, None)


# --- grids: placing households and handing a grid over (the grid pages' services) ---------------------


class GridVillageOut(Schema):
    code: str
    name: str
    township: str
    households: int
    unplaced: int
    grids: int


class GridRowOut(Schema):
    id: int
    code: str
    name: str
    households: int
    worker_id: int | None
    worker: str | None


class GridVillageDetailOut(Schema):
    code: str
    name: str
    unplaced: int
    per_worker: int | None
    grids: list[GridRowOut]
    candidates: list[dict[str, Any]]


class PlacedOut(Schema):
    placed: int
    new_grids: int


class HandoverIn(Schema):
    worker_id: int | None = None  # None leaves the grid vacant
    reason: str


def _village_detail(user: Any, code: str) -> dict[str, Any]:
    d = selectors.village_grids(user, code, timezone.localdate())
    grids = [
        {
            "id": g.pk,
            "code": g.code,
            "name": g.name,
            "households": g.n,
            "worker_id": g.worker_id,
            "worker": str(g.worker) if g.worker_id else None,
        }
        for g in d.grids
    ]
    return {
        "code": d.village.code,
        "name": d.village.name,
        "unplaced": d.unplaced,
        "per_worker": d.per_worker,
        "grids": grids,
        "candidates": [{"id": w.pk, "name": str(w)} for w in d.candidates],
    }


@router.get("/grids", response=list[GridVillageOut], summary="网格划分 Villages where you place households")
@replica_ok
def grid_villages(request: AuthedHttpRequest) -> list[Any]:
    return list(selectors.villages_for_grids(request.user))


@router.get("/grids/{code}", response=GridVillageDetailOut, summary="村的网格 A village's grids")
def grid_village(request: AuthedHttpRequest, code: str) -> dict[str, Any]:
    return _village_detail(request.user, code)


@router.post("/grids/{code}/place", response=PlacedOut, summary="划入网格 Place unplaced households into grids")
@writes(Cap.EDIT_REGISTRY)
def grid_place(request: AuthedHttpRequest, code: str) -> dict[str, int]:
    selectors.village_grids(request.user, code, timezone.localdate())  # 404 before anything is written
    return services.grid_place_households(actor=request.user, village_code=code)


@router.post("/grids/handover/{grid_id}", response=GridRowOut, summary="网格交接 Hand a grid to another worker")
@writes(Cap.EDIT_REGISTRY)
def grid_handover(request: AuthedHttpRequest, grid_id: int, body: HandoverIn) -> dict[str, Any]:
    user = request.user
    grid = selectors.grid_for_handover(user, grid_id)
    worker = selectors.grid_worker_candidate(user, grid, body.worker_id) if body.worker_id else None
    g = services.grid_worker_replace(actor=user, grid=grid, worker=worker, reason=body.reason)
    return {
        "id": g.pk,
        "code": g.code,
        "name": g.name,
        "households": g.households.count(),
        "worker_id": g.worker_id,
        "worker": str(g.worker) if g.worker_id else None,
    }
