"""Workshop pages: site overview with the relocation indicator, workshop page (workers, training,
payroll entry; for officers also funding, revenue, wage rules and status), the workshop form, payslips.
Officers and operator users share the workshop page; what each sees comes from the scoped selectors,
what each may do from the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.areas import selectors as areas
from bangfu.areas.domain.codes import Level
from bangfu.core.errors import ApplicationError, NotFound
from bangfu.core.replicas import replica_ok
from bangfu.core.views import int_or_none
from bangfu.employment import access, selectors, services
from bangfu.employment.domain.months import add_months, month_start
from bangfu.employment.domain.transitions import STATE_LABELS, TABLE, State
from bangfu.employment.domain.wages import WAGE_KIND_LABELS, WageKind
from bangfu.employment.models import FundingSource, Workshop
from bangfu.employment.views._forms import failed, officers_only, posted
from bangfu.registry import selectors as registry


def _month(raw: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(f"{raw}-01") if raw else add_months(month_start(timezone.localdate()), -1)
    except ValueError:
        return add_months(month_start(timezone.localdate()), -1)


@login_required
@replica_ok
def index(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    on = timezone.localdate()
    sites = [] if access.is_operator_user(user) else selectors.sites_overview(user, on)
    workshops = selectors.workshops_visible(user).order_by("name")
    return render(
        request,
        "employment/index.html",
        {
            "sites": sites,
            "workshops": workshops,
            "on": on,
            "operator_user": access.is_operator_user(user),
            "may_configure": access.may_configure(user),
        },
    )


@login_required
def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    kpi = selectors.site_kpi(user, pk, timezone.localdate())
    return render(
        request, "employment/site_detail.html", {"k": kpi, "workshops": selectors.workshops_for_site(user, pk)}
    )


def _workshop_context(request: HttpRequest, pk: int, month: dt.date) -> dict[str, Any]:
    user: Any = request.user
    w = selectors.workshop_get(user, pk)
    workers = selectors.workers_of(user, pk)
    operator = access.is_operator_user(user)
    return {
        "w": w,
        "workers": workers,
        "month": month,
        "operator_user": operator,
        "sheet": selectors.payroll_sheet(user, pk, month),
        "history": selectors.training_history(user, [c.member_id for c in workers]),
        "courses": selectors.courses_visible(user).filter(workshop=w).prefetch_related("records__member"),
        "checks": None if operator else selectors.workshop_checks(w, timezone.localdate()),
        "funding": list(w.funding.all()),
        "funding_kinds": FundingSource.KINDS,
        "revenues": list(w.revenues.all()),
        "wage_rules": list(w.wage_rules.all()),
        "wage_kinds": [(k.value, WAGE_KIND_LABELS[k]) for k in WageKind],
        "last_year": timezone.localdate().year - 1,
        "events": list(w.events.select_related("actor")),
        "status_label": STATE_LABELS[State(w.status)],
        "next_events": [(s.event.value, s.zh) for s in TABLE.from_state(State(w.status))],
        "prev_month": f"{add_months(month, -1):%Y-%m}",
        "next_month": f"{add_months(month, 1):%Y-%m}",
    }


@login_required
def workshop_detail(request: HttpRequest, pk: int) -> HttpResponse:
    month = _month(request.GET.get("month"))
    return render(request, "employment/workshop_detail.html", _workshop_context(request, pk, month))


def _back(pk: int, month: str | None = None) -> HttpResponse:
    response = redirect("employment:workshop_detail", pk=pk)
    if month:
        response["Location"] += f"?month={month}"
    return response


def _fail(request: HttpRequest, pk: int, exc: ApplicationError, form: str, **ctx: Any) -> HttpResponse:
    """Re-render the workshop page with the problems next to the fields of the form that was sent."""
    context = failed(exc, form=form, **ctx)
    context["fe"] = {form: context.pop("errors")}  # several forms share field names (year, name …)
    context["errors"] = context["fe"][form]
    month = _month(request.POST.get("month") or request.GET.get("month"))
    context |= _workshop_context(request, pk, month)
    return render(request, "employment/workshop_detail.html", context, status=exc.status)


@login_required
@require_POST
@writes(Cap.EMPLOYMENT_EDIT)
def payroll_enter(request: HttpRequest, pk: int) -> HttpResponse:
    """One payroll row: the month's attendance and pieces of one contract."""
    user: Any = request.user
    month = request.POST.get("month", "")
    try:
        contract = selectors.contract_get(user, int_or_none(request.POST.get("contract")) or 0)
        if contract.workshop_id != pk:
            raise NotFound()
        slip = services.payslip_record(
            actor=user,
            contract=contract,
            month=month,
            scheduled_days=request.POST.get("scheduled_days", ""),
            days_worked=request.POST.get("days_worked", ""),
            pieces=request.POST.get("pieces") or 0,
            reason=request.POST.get("reason", ""),
        )
    except ApplicationError as exc:
        return _fail(request, pk, exc, "payroll", pay=request.POST)
    messages.success(request, f"{contract.member.name} {month} 应发 {slip.gross} 元 已保存 Saved")
    return _back(pk, month)


@login_required
@require_POST
@writes(Cap.EMPLOYMENT_EDIT)
def contract_create(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    fields = ["id_number", "job", "start", "term_months", "probation_months", "probation_pay", "wage_code"]
    values = {f: request.POST.get(f, "").strip() for f in fields}
    try:
        w = selectors.workshop_get(user, pk)
        c = services.contract_create(actor=user, workshop=w, values=values)
    except ApplicationError as exc:
        return _fail(request, pk, exc, "hire", hire=values)
    messages.success(request, f"已签订劳动合同：{c.member.name} Contract recorded")
    return _back(pk)


@login_required
@require_POST
@writes(Cap.EMPLOYMENT_EDIT)
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    try:
        w = selectors.workshop_get(user, pk)
        services.workshop_transition(
            actor=user, workshop=w, event=request.POST.get("event", ""), reason=request.POST.get("reason", "")
        )
    except ApplicationError as exc:
        return _fail(request, pk, exc, "transition")
    messages.success(request, "车间状态已更新 Status updated")
    return _back(pk)


@login_required
@require_POST
@writes(Cap.EMPLOYMENT_EDIT)
def funding_add(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    try:
        w = selectors.workshop_get(user, pk)
        values = posted(request, ["kind", "amount", "year", "partner_province", "note"])
        services.funding_add(actor=user, workshop=w, **values)
    except ApplicationError as exc:
        return _fail(request, pk, exc, "funding", fund=request.POST)
    messages.success(request, "资金来源已登记 Funding recorded")
    return _back(pk)


@login_required
@require_POST
@writes(Cap.EMPLOYMENT_EDIT)
def trainee_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Enrol one of the workshop's workers in one of its courses."""
    user: Any = request.user
    try:
        course = selectors.course_get(user, int_or_none(request.POST.get("course")) or 0)
        if course.workshop_id != pk:
            raise NotFound()
        services.trainee_add(
            actor=user,
            course=course,
            member_id=int_or_none(request.POST.get("member")),
            certificate_no=request.POST.get("certificate_no", ""),
        )
    except ApplicationError as exc:
        return _fail(request, pk, exc, "trainee")
    messages.success(request, "已加入培训名单 Trainee added")
    return _back(pk)


@login_required
def payslip_detail(request: HttpRequest, pk: int) -> HttpResponse:
    p = selectors.payslip_get(request.user, pk)  # type: ignore[arg-type]
    return render(request, "employment/payslip.html", {"p": p, "corrections": selectors.corrections_of(p)})


@login_required
@require_POST
@writes(Cap.EMPLOYMENT_EDIT)
def revenue_set(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    try:
        w = selectors.workshop_get(user, pk)
        r = services.workshop_revenue_set(actor=user, workshop=w, **posted(request, ["year", "amount", "note"]))
    except ApplicationError as exc:
        return _fail(request, pk, exc, "revenue", rev=request.POST)
    messages.success(request, f"{r.year}年营业收入已登记 Revenue recorded")
    return _back(pk)


_WAGE_FIELDS = ["kind", "base", "piece_rate", "day_rate", "fixed", "cap"]


@login_required
@require_POST
@writes(Cap.EMPLOYMENT_EDIT)
def wage_rule_set(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    head = posted(request, ["code", "name", "effective_from"])
    try:
        w = selectors.workshop_get(user, pk)
        services.wage_rule_set(actor=user, workshop=w, values=posted(request, _WAGE_FIELDS), **head)
    except ApplicationError as exc:
        return _fail(request, pk, exc, "wage", rule=request.POST)
    messages.success(request, f"工资规则{head['code']}已保存 Wage rule saved")
    return _back(pk)


_WORKSHOP_FIELDS = [
    "name",
    "kind",
    "village",
    "land_village",
    "site",
    "site_distance",
    "started_on",
    "insurance_per_worker_month",
    "operator_name",
    "operator_credit_code",
    "operator_contact",
    "operator_phone",
]


def _form_choices(user: Any) -> dict[str, Any]:
    villages = areas.areas_visible(user, level=Level.VILLAGE, cap=Cap.EMPLOYMENT_EDIT)
    return {
        "villages": [(v.code, v.name) for v in villages],
        "sites": [(s.pk, s.name) for s in registry.sites_visible(user).order_by("name")],
        "kinds": Workshop.KINDS,
    }


@login_required
@writes(Cap.EMPLOYMENT_EDIT)
def workshop_new(request: HttpRequest) -> HttpResponse:
    """Register a workshop with its operator (found by credit code or created)."""
    user: Any = request.user
    officers_only(user)
    context: dict[str, Any] = {"values": {"kind": "factory", "insurance_per_worker_month": "15"}, "creating": True}
    if request.method == "POST":
        values = posted(request, _WORKSHOP_FIELDS)
        try:
            w = services.workshop_create(actor=user, values=values)
        except ApplicationError as exc:
            context = failed(exc, values=values, creating=True)
        else:
            messages.success(request, f"已登记车间：{w.name} Workshop registered")
            return redirect("employment:workshop_detail", pk=w.pk)
    return render(request, "employment/workshop_form.html", context | _form_choices(user), status=_status(context))


def _status(context: dict[str, Any]) -> int:
    error = context.get("error")
    return error.status if error is not None else 200


@login_required
@writes(Cap.EMPLOYMENT_EDIT)
def workshop_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The workshop's own facts; its village and operator stay, as they decide who may see it."""
    user: Any = request.user
    officers_only(user)
    w = selectors.workshop_get(user, pk, edit=True)
    values = {f: getattr(w, f) for f in ("name", "kind", "site_distance", "insurance_per_worker_month")}
    values |= {"land_village": w.land_village_id, "site": w.site_id, "started_on": w.started_on.isoformat()}
    context: dict[str, Any] = {"values": values, "w": w}
    if request.method == "POST":
        values = posted(request, [*services.WORKSHOP_EDITABLE, "reason"])
        reason = values.pop("reason")
        try:
            services.workshop_update(actor=user, workshop=w, values=values, reason=reason)
        except ApplicationError as exc:
            context = failed(exc, values=values | {"reason": reason}, w=w)
        else:
            messages.success(request, "车间信息已更新 Workshop updated")
            return redirect("employment:workshop_detail", pk=w.pk)
    return render(request, "employment/workshop_form.html", context | _form_choices(user), status=_status(context))
