"""Pages of employment: site overview with the relocation indicator, workshop page (workers,
training, payroll entry), payslips. Officers and operator users share the workshop page; what each
sees comes from the scoped selectors, what each may do from the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bangfu.core.errors import ApplicationError, NotFound
from bangfu.core.views import field_errors, int_or_none
from bangfu.employment import access, selectors, services
from bangfu.employment.domain.months import add_months, month_start
from bangfu.employment.domain.transitions import STATE_LABELS, State, events_from
from bangfu.employment.models import FundingSource

EVENT_LABELS = {
    "recognise": "认定",
    "upgrade": "升级为乡村就业工厂",
    "suspend": "暂停",
    "resume": "恢复",
    "revoke": "撤销",
}


def _month(raw: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(f"{raw}-01") if raw else add_months(month_start(timezone.localdate()), -1)
    except ValueError:
        return add_months(month_start(timezone.localdate()), -1)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    on = timezone.localdate()
    sites = [] if access.is_operator_user(user) else selectors.sites_overview(user, on)
    workshops = selectors.workshops_visible(user).order_by("name")
    return render(
        request,
        "employment/index.html",
        {"sites": sites, "workshops": workshops, "on": on, "operator_user": access.is_operator_user(user)},
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
        "events": list(w.events.select_related("actor")),
        "status_label": STATE_LABELS[State(w.status)],
        "next_events": [(e.value, EVENT_LABELS[e.value]) for e in events_from(State(w.status))],
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


def _fail(request: HttpRequest, pk: int, exc: ApplicationError, **ctx: Any) -> HttpResponse:
    if isinstance(exc, NotFound):
        raise exc
    context = _workshop_context(request, pk, _month(request.POST.get("month") or request.GET.get("month")))
    context.update(ctx, errors=field_errors(exc), error=exc)
    return render(request, "employment/workshop_detail.html", context, status=exc.status)


@login_required
@require_POST
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
        )
    except ApplicationError as exc:
        return _fail(request, pk, exc)
    messages.success(request, f"{contract.member.name} {month} 应发 {slip.gross} 元 已保存 Saved")
    return _back(pk, month)


@login_required
@require_POST
def contract_create(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    fields = ["id_number", "job", "start", "term_months", "probation_months", "probation_pay", "wage_code"]
    values = {f: request.POST.get(f, "").strip() for f in fields}
    try:
        w = selectors.workshop_get(user, pk)
        c = services.contract_create(actor=user, workshop=w, values=values)
    except ApplicationError as exc:
        return _fail(request, pk, exc, hire=values)
    messages.success(request, f"已签订劳动合同：{c.member.name} Contract recorded")
    return _back(pk)


@login_required
@require_POST
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    try:
        w = selectors.workshop_get(user, pk)
        services.workshop_transition(
            actor=user, workshop=w, event=request.POST.get("event", ""), reason=request.POST.get("reason", "")
        )
    except ApplicationError as exc:
        return _fail(request, pk, exc)
    messages.success(request, "车间状态已更新 Status updated")
    return _back(pk)


@login_required
@require_POST
def funding_add(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    try:
        w = selectors.workshop_get(user, pk)
        services.funding_add(
            actor=user,
            workshop=w,
            kind=request.POST.get("kind", ""),
            amount=request.POST.get("amount", ""),
            year=request.POST.get("year", ""),
            partner_province=request.POST.get("partner_province", ""),
            note=request.POST.get("note", ""),
        )
    except ApplicationError as exc:
        return _fail(request, pk, exc)
    messages.success(request, "资金来源已登记 Funding recorded")
    return _back(pk)


@login_required
@require_POST
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
        return _fail(request, pk, exc)
    messages.success(request, "已加入培训名单 Trainee added")
    return _back(pk)


@login_required
def payslip_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "employment/payslip.html", {"p": selectors.payslip_get(request.user, pk)})  # type: ignore[arg-type]
