"""JSON API of casework, mounted at /api/v1/casework/ by bangfu/api.py. Scoped like the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status

from bangfu.casework import selectors, services
from bangfu.registry.selectors import household_get

if TYPE_CHECKING:
    from bangfu.accounts.models import User

router = Router(tags=["casework"])


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]  # the API's auth set it


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
def list_cases(request: HttpRequest, state: str = "", overdue: bool = False, page: int = 1) -> list[dict[str, Any]]:
    f = selectors.CaseFilter(state=state, overdue=overdue)
    return [_case(c) for c in selectors.case_page(_user(request), f, timezone.localdate(), page).object_list]


@router.get("/cases/{case_id}", response=CaseDetailOut)
def get_case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    user = _user(request)
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
        for e in c._events  # type: ignore[attr-defined]
    ]
    return {**_case(c), "events": events, "steps_allowed": [t.event.value for t in selectors.steps_allowed(user, c)]}


class CaseIn(Schema):
    household_id: int
    source: str
    summary: str
    source_ref: str = ""


@router.post("/cases", response={201: CaseOut})
def open_case(request: HttpRequest, body: CaseIn) -> Status:
    user = _user(request)
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
def take_step(request: HttpRequest, case_id: int, body: StepIn) -> dict[str, Any]:
    user = _user(request)
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
def add_measure(request: HttpRequest, case_id: int, body: MeasureIn) -> Status:
    user = _user(request)
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
def log_visit(request: HttpRequest, body: VisitIn) -> Status:
    user = _user(request)
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
def my_households(request: HttpRequest) -> list[dict[str, Any]]:
    rows = selectors.my_households(_user(request), timezone.localdate())
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
def overdue(request: HttpRequest) -> list[dict[str, Any]]:
    return selectors.overdue_by_township(_user(request), timezone.localdate())
