"""JSON API of employment, mounted at /api/v1/employment/ by bangfu/api.py.

Amounts travel as strings ("3000.00") so no float ever touches money. Every call is scoped to the
caller: records outside the caller's areas (or operator) answer 404.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from ninja import Router, Schema, Status

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.core import inputs, params
from bangfu.core.replicas import replica_ok
from bangfu.employment import inputs as employment_inputs
from bangfu.employment import selectors, services
from bangfu.employment.models import Contract, EmploymentPolicy, Payslip, PayslipCorrection, WelfarePost, Workshop

router = Router(tags=["employment"])


class WorkshopIn(Schema):
    name: str
    kind: str
    village: str
    land_village: str = ""
    site: int | None = None
    site_distance: str = ""
    started_on: dt.date
    operator_name: str
    operator_credit_code: str
    operator_contact: str = ""
    operator_phone: str = ""
    insurance_per_worker_month: str = "0"


class WorkshopPatch(Schema):
    """Only the fields sent are changed; village and operator stay (they decide who may see it)."""

    name: str | None = None
    kind: str | None = None
    land_village: str | None = None
    site: int | None = None
    site_distance: str | None = None
    started_on: dt.date | None = None
    insurance_per_worker_month: str | None = None
    reason: str = ""


class RevenueIn(Schema):
    amount: str
    note: str = ""


class FundingIn(Schema):
    kind: str
    amount: str
    year: int
    partner_province: str = ""
    note: str = ""


class WorkshopTransitionIn(Schema):
    event: str
    reason: str = ""


class WageRuleIn(Schema):
    code: str
    name: str
    effective_from: dt.date
    kind: str
    base: str = "0"
    piece_rate: str = "0"
    day_rate: str = "0"
    fixed: str = "0"
    cap: str | None = None


class ContractIn(Schema):
    member_id: int | None = None
    id_number: str | None = None
    job: str
    start: dt.date
    term_months: int
    probation_months: int = 0
    probation_pay: str = "0"
    wage_code: str


class PayslipIn(Schema):
    month: str  # "2025-01"
    scheduled_days: int
    days_worked: int
    pieces: int = 0
    reason: str = ""  # required when the month is already entered: a correction keeps the first entry


class EndIn(Schema):
    """Ending a contract or a post: `reason` is a code of the coded list (domain/endings.py)."""

    end: dt.date
    reason: str
    note: str = ""


class CourseIn(Schema):
    village: str = ""
    workshop: int | None = None
    provider: str
    place: str
    province: str
    skill: str
    start: dt.date
    end: dt.date
    hours: int
    order_based: bool = False
    certificate: str = ""


class TraineeIn(Schema):
    member_id: int | None = None
    id_number: str | None = None
    completed: bool = True
    certificate_no: str = ""


class PostIn(Schema):
    member_id: int | None = None
    id_number: str | None = None
    post_type: str
    level: str
    start: dt.date
    end: dt.date | None = None
    monthly_pay: str


class MonthsIn(Schema):
    months_served: int


class PolicyIn(Schema):
    area: str
    effective_from: dt.date
    min_poor_workers: int
    min_insurance_per_worker_month: str
    upgrade_min_months_running: int
    upgrade_min_long_contract_workers: int
    upgrade_min_contract_months: int
    upgrade_min_average_annual_pay: str
    upgrade_min_annual_revenue: str
    welfare_posts_per_household: int | None = None
    welfare_max_age: int
    working_age_min: int
    working_age_max: int
    probation_day_count: str = "calendar"  # or "legal_21_75": how a month in which probation ends is split
    probation_end_day_included: bool = False  # the day probation expires is still a probation day
    note: str = ""


class AssetIn(Schema):
    village: str
    name: str
    kind: str
    workshop: int | None = None
    annual_rent: str = "0"


class RuleIn(Schema):
    effective_from: dt.date
    collective_share: str
    basis: str
    eligibility: str


class IncomeIn(Schema):
    year: int
    amount: str
    received_on: dt.date


def _workshop(w: Workshop) -> dict[str, Any]:
    return {
        "id": w.pk,
        "name": w.name,
        "kind": w.kind,
        "status": w.status,
        "village": w.village_id,
        "land_village": w.land_village_id,
        "site": w.site_id,
        "started_on": w.started_on,
        "operator": {"name": w.operator.name, "credit_code": w.operator.credit_code},
        "insurance_per_worker_month": str(w.insurance_per_worker_month),
    }


def _contract(c: Contract) -> dict[str, Any]:
    return {
        "id": c.pk,
        "workshop": c.workshop_id,
        "member": c.member_id,
        "name": c.member.name,
        "household": c.household_id,
        "job": c.job,
        "start": c.start,
        "term_months": c.term_months,
        "probation_months": c.probation_months,
        "probation_pay": str(c.probation_pay),
        "wage_code": c.wage_code,
        "end": c.end,
        "end_code": c.end_code,
        "end_reason": c.end_reason,
    }


def _post(p: WelfarePost) -> dict[str, Any]:
    return {
        "id": p.pk,
        "household": p.household_id,
        "year": p.year,
        "start": p.start,
        "end": p.end,
        "monthly_pay": str(p.monthly_pay),
        "months_served": p.months_served,
        "end_code": p.end_code,
        "ended_reason": p.ended_reason,
    }


def _policy(p: EmploymentPolicy) -> dict[str, Any]:
    values = {f: getattr(p, f) for f in services.POLICY_FIELDS}
    money = {f: str(v) for f, v in values.items() if isinstance(v, Decimal)}
    return {"area": p.area_id, "effective_from": p.effective_from, "effective_to": p.effective_to} | values | money


def _payslip(p: Payslip) -> dict[str, Any]:
    return {
        "id": p.pk,
        "contract": p.contract_id,
        "month": f"{p.month:%Y-%m}",
        "days_worked": p.days_worked,
        "scheduled_days": p.scheduled_days,
        "pieces": p.pieces,
        "in_probation": p.in_probation,
        "monthly_part": str(p.monthly_part),
        "piece_part": str(p.piece_part),
        "day_part": str(p.day_part),
        "capped": p.capped,
        "gross": str(p.gross),
        "probation_part": str(p.probation_part),
        "probation_days": p.probation_days,
        "regular_days": p.regular_days,
    }


def _correction(k: PayslipCorrection) -> dict[str, Any]:
    return {
        "previous_gross": str(k.previous_gross),
        "gross": str(k.gross),
        "reason": k.reason,
        "corrected_by": str(k.corrected_by or ""),
        "corrected_at": k.corrected_at,
        "before": k.before,
        "after": k.after,
    }


@router.get("/workshops", summary="Workshops visible to the caller")
@replica_ok
def workshop_list(request: AuthedHttpRequest) -> list[dict[str, Any]]:
    return [_workshop(w) for w in selectors.workshops_visible(request.user).order_by("name")]


@router.post("/workshops", response={201: dict}, summary="Register a workshop (status applied)")
@writes(Cap.EMPLOYMENT_EDIT)
def workshop_create(request: AuthedHttpRequest, payload: WorkshopIn) -> Status[Any]:
    w = services.workshop_create(actor=request.user, workshop=employment_inputs.workshop_input(payload.model_dump()))
    return Status(201, _workshop(w))


@router.get("/workshops/{pk}", summary="A workshop with funding, criteria and status history")
def workshop_detail(request: AuthedHttpRequest, pk: int) -> dict[str, Any]:
    w = selectors.workshop_get(request.user, pk)
    checks = selectors.workshop_checks(w, timezone.localdate())
    return _workshop(w) | {
        "funding": [
            {"kind": f.kind, "amount": str(f.amount), "partner_province": f.partner_province, "year": f.year}
            for f in w.funding.all()
        ],
        "revenues": [{"year": r.year, "amount": str(r.amount), "note": r.note} for r in w.revenues.all()],
        "recognition": [c.__dict__ for c in checks.recognition],
        "upgrade": [c.__dict__ for c in checks.upgrade],
        "events": [
            {"event": e.event, "from": e.from_state, "to": e.to_state, "at": e.at, "reason": e.note}
            for e in w.events.all()
        ],
    }


@router.patch("/workshops/{pk}", summary="Change a workshop's own facts")
@writes(Cap.EMPLOYMENT_EDIT)
def workshop_update(request: AuthedHttpRequest, pk: int, payload: WorkshopPatch) -> dict[str, Any]:
    w = selectors.workshop_get(request.user, pk)
    sent = payload.model_dump(exclude_unset=True)
    facts, fields = employment_inputs.workshop_changes(sent, w)
    w = services.workshop_update(actor=request.user, workshop=w, facts=facts, fields=fields, reason=payload.reason)
    return _workshop(w)


@router.put("/workshops/{pk}/revenues/{year}", summary="Revenue of a finished calendar year")
@writes(Cap.EMPLOYMENT_EDIT)
def workshop_revenue_set(request: AuthedHttpRequest, pk: int, year: int, payload: RevenueIn) -> dict[str, Any]:
    w = selectors.workshop_get(request.user, pk)
    amount = inputs.money(payload.amount, "amount")
    r = services.workshop_revenue_set(actor=request.user, workshop=w, year=year, amount=amount, note=payload.note)
    return {"year": r.year, "amount": str(r.amount), "note": r.note}


@router.post("/workshops/{pk}/funding", response={201: dict})
@writes(Cap.EMPLOYMENT_EDIT)
def funding_add(request: AuthedHttpRequest, pk: int, payload: FundingIn) -> Status[Any]:
    w = selectors.workshop_get(request.user, pk)
    values = payload.model_dump() | {"amount": inputs.money(payload.amount, "amount")}
    f = services.funding_add(actor=request.user, workshop=w, **values)
    return Status(201, {"id": f.pk, "kind": f.kind, "amount": str(f.amount), "partner_province": f.partner_province})


@router.post("/workshops/{pk}/transitions", summary="recognise / upgrade / suspend / resume / revoke")
@writes(Cap.EMPLOYMENT_EDIT)
def workshop_transition(request: AuthedHttpRequest, pk: int, payload: WorkshopTransitionIn) -> dict[str, Any]:
    w = selectors.workshop_get(request.user, pk)
    return _workshop(services.workshop_transition(actor=request.user, workshop=w, **payload.model_dump()))


@router.post("/workshops/{pk}/wage-rules", response={201: dict})
@writes(Cap.EMPLOYMENT_EDIT)
def wage_rule_set(request: AuthedHttpRequest, pk: int, payload: WageRuleIn) -> Status[Any]:
    w = selectors.workshop_get(request.user, pk)
    rule = services.wage_rule_set(
        actor=request.user, workshop=w, rule=employment_inputs.wage_rule_input(payload.model_dump())
    )
    return Status(201, {"id": rule.pk, "code": rule.code, "effective_from": rule.effective_from})


@router.get("/workshops/{pk}/workers", summary="Contracts of the workshop")
@replica_ok
def workers(request: AuthedHttpRequest, pk: int) -> list[dict[str, Any]]:
    return [_contract(c) for c in selectors.workers_of(request.user, pk)]


@router.post("/workshops/{pk}/contracts", response={201: dict})
@writes(Cap.EMPLOYMENT_EDIT)
def contract_create(request: AuthedHttpRequest, pk: int, payload: ContractIn) -> Status[Any]:
    w = selectors.workshop_get(request.user, pk)
    contract = employment_inputs.contract_input(payload.model_dump())
    return Status(201, _contract(services.contract_create(actor=request.user, workshop=w, contract=contract)))


@router.post("/contracts/{pk}/end")
@writes(Cap.EMPLOYMENT_EDIT)
def contract_end(request: AuthedHttpRequest, pk: int, payload: EndIn) -> dict[str, Any]:
    c = selectors.contract_get(request.user, pk)
    return _contract(services.contract_end(actor=request.user, contract=c, **payload.model_dump()))


@router.post("/contracts/{pk}/payslips", response={201: dict}, summary="Enter a month; pay is computed")
@writes(Cap.EMPLOYMENT_EDIT)
def payslip_record(request: AuthedHttpRequest, pk: int, payload: PayslipIn) -> Status[Any]:
    c = selectors.contract_get(request.user, pk)
    values = payload.model_dump() | {"month": inputs.month(payload.month, "month")}
    return Status(201, _payslip(services.payslip_record(actor=request.user, contract=c, **values)))


@router.get("/payslips/{pk}", summary="A payslip with its corrections (each: before, after, who, when, why)")
def payslip_detail(request: AuthedHttpRequest, pk: int) -> dict[str, Any]:
    p = selectors.payslip_get(request.user, pk)
    return _payslip(p) | {"corrections": [_correction(k) for k in selectors.corrections_of(p)]}


@router.get("/workshops/{pk}/payroll", summary="A month's payroll sheet (month=YYYY-MM)")
@replica_ok
def payroll(request: AuthedHttpRequest, pk: int, month: str) -> list[dict[str, Any]]:
    first = params.month_text(month)
    return [
        {"contract": _contract(line.contract), "payslip": _payslip(line.payslip) if line.payslip else None}
        for line in selectors.payroll_sheet(request.user, pk, first)
    ]


@router.post("/courses", response={201: dict})
@writes(Cap.EMPLOYMENT_EDIT)
def course_create(request: AuthedHttpRequest, payload: CourseIn) -> Status[Any]:
    c = services.course_create(actor=request.user, course=employment_inputs.course_input(payload.model_dump()))
    return Status(201, {"id": c.pk, "skill": c.skill, "province": c.province, "order_based": c.order_based})


@router.post("/courses/{pk}/trainees", response={201: dict})
@writes(Cap.EMPLOYMENT_EDIT)
def trainee_add(request: AuthedHttpRequest, pk: int, payload: TraineeIn) -> Status[Any]:
    course = selectors.course_get(request.user, pk)
    r = services.trainee_add(actor=request.user, course=course, **payload.model_dump())
    return Status(201, {"id": r.pk, "course": r.course_id, "member": r.member_id})


@router.post("/welfare-posts", response={201: dict})
@writes(Cap.EMPLOYMENT_EDIT)
def post_create(request: AuthedHttpRequest, payload: PostIn) -> Status[Any]:
    p = services.welfare_post_create(actor=request.user, post=employment_inputs.post_input(payload.model_dump()))
    return Status(201, {"id": p.pk, "household": p.household_id, "year": p.year, "monthly_pay": str(p.monthly_pay)})


@router.post("/welfare-posts/{pk}/months")
@writes(Cap.EMPLOYMENT_EDIT)
def post_months(request: AuthedHttpRequest, pk: int, payload: MonthsIn) -> dict[str, Any]:
    p = services.welfare_post_months(
        actor=request.user, post=selectors.post_get(request.user, pk), months_served=payload.months_served
    )
    return {"id": p.pk, "months_served": p.months_served}


@router.post("/welfare-posts/{pk}/end", summary="Leave a post (退岗): last day served and a coded reason")
@writes(Cap.EMPLOYMENT_EDIT)
def post_end(request: AuthedHttpRequest, pk: int, payload: EndIn) -> dict[str, Any]:
    p = services.welfare_post_end(actor=request.user, post=selectors.post_get(request.user, pk), **payload.model_dump())
    return _post(p)


@router.get("/policies", summary="Employment parameters of an area: in force on a date, and the history")
@replica_ok
def policies(request: AuthedHttpRequest, area: str, on: dt.date | None = None) -> dict[str, Any]:
    o = selectors.policy_overview(request.user, area, on or timezone.localdate())
    return {
        "area": o.area.code,
        "on": o.on,
        "in_force": _policy(o.current) if o.current else None,
        "history": [_policy(p) for p in o.history],
    }


@router.post("/policies", response={201: dict}, summary="New parameters of an area from a date (county admin)")
@writes(Cap.CONFIGURE)
def policy_set(request: AuthedHttpRequest, payload: PolicyIn) -> Status[Any]:
    policy = employment_inputs.policy_input(payload.model_dump())
    p = services.policy_set(actor=request.user, area_code=payload.area, policy=policy)
    return Status(201, _policy(p))


@router.post("/assets", response={201: dict})
@writes(Cap.EMPLOYMENT_EDIT)
def asset_create(request: AuthedHttpRequest, payload: AssetIn) -> Status[Any]:
    a = services.asset_create(actor=request.user, asset=employment_inputs.asset_input(payload.model_dump()))
    return Status(201, {"id": a.pk, "name": a.name, "village": a.village_id})


@router.post("/assets/{pk}/rules", response={201: dict})
@writes(Cap.EMPLOYMENT_EDIT)
def dividend_rule_set(request: AuthedHttpRequest, pk: int, payload: RuleIn) -> Status[Any]:
    a = selectors.asset_get(request.user, pk)
    start, share = employment_inputs.dividend_rule_input(payload.model_dump())
    r = services.dividend_rule_set(
        actor=request.user,
        asset=a,
        effective_from=start,
        collective_share=share,
        basis=payload.basis,
        eligibility=payload.eligibility,
    )
    return Status(201, {"id": r.pk, "collective_share": str(r.collective_share), "basis": r.basis})


@router.post("/assets/{pk}/incomes", response={201: dict}, summary="Record and distribute a year's income")
@writes(Cap.EMPLOYMENT_EDIT)
def asset_income(request: AuthedHttpRequest, pk: int, payload: IncomeIn) -> Status[Any]:
    a = selectors.asset_get(request.user, pk)
    amount = inputs.money(payload.amount, "amount", positive=True)
    i = services.asset_income_distribute(
        actor=request.user, asset=a, year=payload.year, amount=amount, received_on=payload.received_on
    )
    return Status(
        201,
        {
            "id": i.pk,
            "amount": str(i.amount),
            "collective": str(i.collective_amount),
            "dividends": str(i.dividend_amount),
            "shares": [{"household": s.household_id, "amount": str(s.amount)} for s in i.shares.all()],
        },
    )


@router.get("/sites/{pk}/kpi", summary="Relocation KPI of a site, with the action list")
def site_kpi(request: AuthedHttpRequest, pk: int, on: dt.date | None = None) -> dict[str, Any]:
    k = selectors.site_kpi(request.user, pk, on or timezone.localdate())
    return {
        "site": k.site.pk,
        "on": k.on,
        "households": k.summary.households,
        "with_labour": k.summary.with_labour,
        "met": k.summary.met,
        "action_list": [
            {"household": r.household.pk, "number": r.household.number, "head": r.household.head_name}
            for r in k.action_rows
        ],
    }
