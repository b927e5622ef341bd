"""Configuration pages for the county administrator (Cap.CONFIGURE): casework parameters with
effective dates per area, visit rules, and the working-day calendar (holidays, make-up days)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.casework import selectors, services
from bangfu.casework.domain import codes
from bangfu.casework.models import CaseParameters
from bangfu.casework.views._common import date_or_none, page_on_get, today
from bangfu.core.errors import ApplicationError, FieldProblem, ValidationFailed, invalid
from bangfu.core.views import field_errors, reraise_access

# The editable fields, in the model's order: labels come from the model, so the page never drifts.
PARAM_FIELDS = [
    f for f in CaseParameters._meta.fields if f.name not in {"id", "area", "effective_from", "effective_to"}
]


def _page(request: AuthedHttpRequest, status: int = 200, **extra: Any) -> HttpResponse:
    overview = selectors.config_overview(request.user, today())
    area = request.POST.get("area") or request.GET.get("area") or overview.areas[0].code
    base = selectors.params_in_force(area, today())
    fields = [
        (f.name, str(f.verbose_name), f.get_internal_type(), getattr(base, f.name, f.get_default()))
        for f in PARAM_FIELDS
    ]
    ctx = {
        "o": overview,
        "area": area,
        "fields": fields,
        "today": today(),
        "categories": codes.VISIT_CATEGORIES,
        "periods": codes.VISIT_PERIODS,
        "errors": {},
        "error": None,
        "posted": request.POST,
        **extra,
    }
    return render(request, "casework/config.html", ctx, status=status)


@login_required
def config(request: AuthedHttpRequest) -> HttpResponse:
    return _page(request)


def _submit(request: AuthedHttpRequest, write: Any, done: str) -> HttpResponse:
    selectors.config_overview(request.user, today())  # 404 for users who configure nothing
    try:
        write(request.POST)
    except ApplicationError as exc:
        reraise_access(exc)
        return _page(request, exc.status, error=exc, errors=field_errors(exc), form=request.POST.get("form"))
    messages.success(request, done)
    return redirect("casework:config")


def _param_values(post: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    problems: list[FieldProblem] = []
    for f in PARAM_FIELDS:
        raw = post.get(f.name, "")
        if f.get_internal_type() == "BooleanField":
            values[f.name] = raw == "1"
        elif raw.strip().isdigit():
            values[f.name] = int(raw)
        else:
            with translation.override("zh-hans"):
                zh = f"“{f.verbose_name}”须为整数"
            with translation.override("en"):
                en = f"“{f.verbose_name}” must be a whole number"
            problems.append(FieldProblem(f.name, zh, en))
    if problems:
        raise ValidationFailed(problems)
    return values


def _required_date(post: Any, field: str) -> Any:
    day = date_or_none(post.get(field))
    if day is None:
        raise invalid(field, "请填写日期(YYYY-MM-DD)", "give the date as YYYY-MM-DD")
    return day


@login_required
@page_on_get("casework:config")
@writes(Cap.CONFIGURE)
def params_add(request: AuthedHttpRequest) -> HttpResponse:
    def write(p: Any) -> None:
        services.params_new_version(
            actor=request.user,
            area_code=p.get("area", ""),
            effective_from=_required_date(p, "effective_from"),
            values=_param_values(p),
        )

    return _submit(request, write, _("已保存新版本参数"))


@login_required
@page_on_get("casework:config")
@writes(Cap.CONFIGURE)
def obligation_add(request: AuthedHttpRequest) -> HttpResponse:
    def write(p: Any) -> None:
        visits = p.get("visits", "")
        services.obligation_new_version(
            actor=request.user,
            area_code=p.get("area", ""),
            category=p.get("category", ""),
            visits=int(visits) if visits.isdigit() else 0,
            period=p.get("period", ""),
            phone_counts=p.get("phone_counts") == "1",
            effective_from=_required_date(p, "effective_from"),
        )

    return _submit(request, write, _("已保存走访要求"))


@login_required
@page_on_get("casework:config")
@writes(Cap.CONFIGURE)
def calendar_add(request: AuthedHttpRequest) -> HttpResponse:
    def write(p: Any) -> None:
        name = p.get("name", "").strip()
        if not name:
            raise invalid("name", "请填写名称，如“春节”", "name the day, e.g. Spring Festival")
        services.calendar_day_set(
            actor=request.user,
            date=_required_date(p, "date"),
            name=name,
            working=p.get("working") == "1",
            area_code=p.get("area", ""),
        )

    return _submit(request, write, _("已保存日历"))


@login_required
@require_POST
@writes(Cap.CONFIGURE)
def calendar_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    def write(_: Any) -> None:
        services.calendar_day_delete(actor=request.user, pk=pk)

    return _submit(request, write, _("已删除日历"))
