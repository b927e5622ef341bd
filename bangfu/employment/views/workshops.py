"""Workshop pages: site overview with the relocation indicator, workshop page (workers, training,
payroll entry; for officers also funding, revenue, wage rules and status), the workshop form, payslips.
Officers and operator users share the workshop page; what each sees comes from the scoped selectors,
what each may do from the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.areas import selectors as areas
from bangfu.areas.domain.codes import Level
from bangfu.core import inputs
from bangfu.core.errors import NotFound
from bangfu.core.replicas import replica_ok
from bangfu.core.views import form_post, int_or_none
from bangfu.employment import access, selectors, services
from bangfu.employment.domain.months import add_months, month_start
from bangfu.employment.domain.transitions import STATE_LABELS, TABLE, State
from bangfu.employment.domain.wages import WAGE_KIND_LABELS, WageKind
from bangfu.employment.models import FundingSource, Workshop
from bangfu.employment.views._forms import officers_only
from bangfu.registry import selectors as registry


def _month(raw: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(f"{raw}-01") if raw else add_months(month_start(timezone.localdate()), -1)
    except ValueError:
        return add_months(month_start(timezone.localdate()), -1)


@login_required
@replica_ok
def index(request: AuthedHttpRequest) -> HttpResponse:
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
def site_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    kpi = selectors.site_kpi(user, pk, timezone.localdate())
    return render(
        request, "employment/site_detail.html", {"k": kpi, "workshops": selectors.workshops_for_site(user, pk)}
    )


def _workshop_context(request: AuthedHttpRequest, pk: int, month: dt.date) -> dict[str, Any]:
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
def workshop_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    month = _month(request.GET.get("month"))
    return render(request, "employment/workshop_detail.html", _workshop_context(request, pk, month))


def _back(pk: int, month: str | None = None) -> HttpResponse:
    response = redirect("employment:workshop_detail", pk=pk)
    if month:
        response["Location"] += f"?month={month}"
    return response


def _on_page[T](
    request: AuthedHttpRequest,
    pk: int,
    *,
    form: str,
    keep: str,
    run: Callable[[dict[str, str]], T],
    done: str | Callable[[T], str],
    then: Callable[[T], HttpResponse] | None = None,
) -> HttpResponse:
    """One of the workshop page's forms: on a problem the page is shown again with the problems next to
    the fields of the form that was sent (`fe[form]`: several forms share field names, year, name …)."""
    return form_post(
        request,
        template="employment/workshop_detail.html",
        context=lambda: _workshop_context(request, pk, _month(request.POST.get("month") or request.GET.get("month"))),
        run=run,
        done=done,
        then=then or (lambda _: _back(pk)),
        keep_as=keep,
        form=form,
    )


@login_required
@require_POST
@writes(Cap.EMPLOYMENT_EDIT)
def payroll_enter(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """One payroll row: the month's attendance and pieces of one contract."""
    user: Any = request.user

    def run(v: dict[str, str]) -> Any:
        contract = selectors.contract_get(user, int_or_none(v.get("contract")) or 0)
        if contract.workshop_id != pk:
            raise NotFound()
        with inputs.Problems() as p:
            month = p.month(v.get("month"), "month")
            scheduled = p.whole(v.get("scheduled_days"), "scheduled_days", zh="应出勤天数", en="scheduled days")
            worked = p.whole(v.get("days_worked"), "days_worked", zh="实际出勤天数", en="days worked")
            pieces = p.whole(v.get("pieces") or "0", "pieces", zh="计件数", en="pieces")
        return services.payslip_record(
            actor=user,
            contract=contract,
            month=month,
            scheduled_days=scheduled,
            days_worked=worked,
            pieces=pieces,
            reason=v.get("reason", ""),
        )

    return _on_page(
        request,
        pk,
        form="payroll",
        keep="pay",
        run=run,
        done=lambda slip: f"{slip.contract.member.name} {slip.month:%Y-%m} 应发 {slip.gross} 元 已保存 Saved",
        then=lambda slip: _back(pk, f"{slip.month:%Y-%m}"),
    )


@login_required
@require_POST
@writes(Cap.EMPLOYMENT_EDIT)
def contract_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    fields = ["id_number", "job", "start", "term_months", "probation_months", "probation_pay", "wage_code"]
    return _on_page(
        request,
        pk,
        form="hire",
        keep="hire",
        run=lambda v: services.contract_create(
            actor=user, workshop=selectors.workshop_get(user, pk), values={f: v.get(f, "") for f in fields}
        ),
        done=lambda c: f"已签订劳动合同：{c.member.name} Contract recorded",
    )


@login_required
@require_POST
@writes(Cap.EMPLOYMENT_EDIT)
def transition(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    return _on_page(
        request,
        pk,
        form="transition",
        keep="sent",
        run=lambda v: services.workshop_transition(
            actor=user, workshop=selectors.workshop_get(user, pk), event=v.get("event", ""), reason=v.get("reason", "")
        ),
        done="车间状态已更新 Status updated",
    )


@login_required
@require_POST
@writes(Cap.EMPLOYMENT_EDIT)
def funding_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user

    def run(v: dict[str, str]) -> Any:
        w = selectors.workshop_get(user, pk)
        with inputs.Problems() as p:
            amount = p.money(v.get("amount"), "amount", positive=True)
            year = p.whole(v.get("year"), "year", low=2000, high=2100, zh="年度", en="year")
        return services.funding_add(
            actor=user,
            workshop=w,
            kind=v.get("kind", ""),
            amount=amount,
            year=year,
            partner_province=v.get("partner_province", ""),
            note=v.get("note", ""),
        )

    return _on_page(request, pk, form="funding", keep="fund", run=run, done="资金来源已登记 Funding recorded")


@login_required
@require_POST
@writes(Cap.EMPLOYMENT_EDIT)
def trainee_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Enrol one of the workshop's workers in one of its courses."""
    user: Any = request.user

    def run(v: dict[str, str]) -> Any:
        course = selectors.course_get(user, int_or_none(v.get("course")) or 0)
        if course.workshop_id != pk:
            raise NotFound()
        return services.trainee_add(
            actor=user,
            course=course,
            member_id=int_or_none(v.get("member")),
            certificate_no=v.get("certificate_no", ""),
        )

    return _on_page(request, pk, form="trainee", keep="sent", run=run, done="已加入培训名单 Trainee added")


@login_required
def payslip_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    p = selectors.payslip_get(request.user, pk)
    return render(request, "employment/payslip.html", {"p": p, "corrections": selectors.corrections_of(p)})


@login_required
@require_POST
@writes(Cap.EMPLOYMENT_EDIT)
def revenue_set(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user

    def run(v: dict[str, str]) -> Any:
        w = selectors.workshop_get(user, pk)
        with inputs.Problems() as p:
            year = p.whole(v.get("year"), "year", low=2000, high=timezone.localdate().year - 1, zh="年度", en="year")
            amount = p.money(v.get("amount"), "amount")
        return services.workshop_revenue_set(actor=user, workshop=w, year=year, amount=amount, note=v.get("note", ""))

    return _on_page(
        request, pk, form="revenue", keep="rev", run=run, done=lambda r: f"{r.year}年营业收入已登记 Revenue recorded"
    )


_WAGE_FIELDS = ["kind", "base", "piece_rate", "day_rate", "fixed", "cap"]


@login_required
@require_POST
@writes(Cap.EMPLOYMENT_EDIT)
def wage_rule_set(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user

    def run(v: dict[str, str]) -> Any:
        w = selectors.workshop_get(user, pk)
        head = {f: v.get(f, "") for f in ("code", "name", "effective_from")}
        return services.wage_rule_set(actor=user, workshop=w, values={f: v.get(f, "") for f in _WAGE_FIELDS}, **head)

    return _on_page(
        request, pk, form="wage", keep="rule", run=run, done=lambda r: f"工资规则{r.code}已保存 Wage rule saved"
    )


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
def workshop_new(request: AuthedHttpRequest) -> HttpResponse:
    """Register a workshop with its operator (found by credit code or created)."""
    user: Any = request.user
    officers_only(user)
    return form_post(
        request,
        template="employment/workshop_form.html",
        context=lambda: {"creating": True} | _form_choices(user),
        initial={"kind": "factory", "insurance_per_worker_month": "15"},
        fields=_WORKSHOP_FIELDS,
        run=lambda v: services.workshop_create(actor=user, values=v),
        done=lambda w: f"已登记车间：{w.name} Workshop registered",
        then=lambda w: redirect("employment:workshop_detail", pk=w.pk),
    )


@login_required
@writes(Cap.EMPLOYMENT_EDIT)
def workshop_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The workshop's own facts; its village and operator stay, as they decide who may see it."""
    user: Any = request.user
    officers_only(user)
    w = selectors.workshop_get(user, pk, edit=True)
    values = {f: getattr(w, f) for f in ("name", "kind", "site_distance", "insurance_per_worker_month")}
    values |= {"land_village": w.land_village_id, "site": w.site_id, "started_on": w.started_on.isoformat()}
    return form_post(
        request,
        template="employment/workshop_form.html",
        context=lambda: {"w": w} | _form_choices(user),
        initial=values,
        fields=[*services.WORKSHOP_EDITABLE, "reason"],
        run=lambda v: services.workshop_update(
            actor=user, workshop=w, values={k: v[k] for k in services.WORKSHOP_EDITABLE}, reason=v["reason"]
        ),
        done="车间信息已更新 Workshop updated",
        then=lambda _: redirect("employment:workshop_detail", pk=w.pk),
    )
