"""Configuration pages for the county administrator (Cap.CONFIGURE): casework parameters with
effective dates per area, visit rules, and the working-day calendar (holidays, make-up days)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.casework import selectors, services
from bangfu.casework.domain import codes
from bangfu.casework.inputs import PARAM_FIELDS, param_values
from bangfu.casework.views._common import date_or_none, today
from bangfu.core.errors import invalid
from bangfu.core.views import form_post, page_on_get


def _context(request: AuthedHttpRequest) -> dict[str, Any]:
    overview = selectors.config_overview(request.user, today())
    area = request.POST.get("area") or request.GET.get("area") or overview.areas[0].code
    base = selectors.params_in_force(area, today())
    fields = [
        (f.name, str(f.verbose_name), f.get_internal_type(), getattr(base, f.name, f.get_default()))
        for f in PARAM_FIELDS
    ]
    return {
        "o": overview,
        "area": area,
        "fields": fields,
        "today": today(),
        "categories": codes.VISIT_CATEGORIES,
        "periods": codes.VISIT_PERIODS,
        "errors": {},
        "error": None,
        "posted": request.POST,
    }


@login_required
def config(request: AuthedHttpRequest) -> HttpResponse:
    return render(request, "casework/config.html", _context(request))


def _submit(request: AuthedHttpRequest, write: Callable[[dict[str, str]], object], done: str) -> HttpResponse:
    """One of the settings page's forms: saved, or the page again with the problems beside that form."""
    selectors.config_overview(request.user, today())  # 404 for users who configure nothing
    return form_post(
        request,
        template="casework/config.html",
        context=lambda: _context(request),
        run=write,
        done=done,
        then="casework:config",
        keep_as="posted",
        form=request.POST.get("form"),
    )


def _required_date(post: dict[str, str], field: str) -> dt.date:
    day = date_or_none(post.get(field))
    if day is None:
        raise invalid(field, "请填写日期(YYYY-MM-DD)", "give the date as YYYY-MM-DD")
    return day


@login_required
@page_on_get("casework:config")
@writes(Cap.CONFIGURE)
def params_add(request: AuthedHttpRequest) -> HttpResponse:
    def write(p: dict[str, str]) -> None:
        services.params_new_version(
            actor=request.user,
            area_code=p.get("area", ""),
            effective_from=_required_date(p, "effective_from"),
            values=param_values({f.name: p.get(f.name, "") for f in PARAM_FIELDS}),
        )

    return _submit(request, write, _("已保存新版本参数"))


@login_required
@page_on_get("casework:config")
@writes(Cap.CONFIGURE)
def obligation_add(request: AuthedHttpRequest) -> HttpResponse:
    def write(p: dict[str, str]) -> None:
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
    def write(p: dict[str, str]) -> None:
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


def _calendar_day_seen(request: AuthedHttpRequest, pk: int) -> dict[str, str]:
    selectors.calendar_day_get(request.user, pk)  # another county's day, or one removed: 404
    return {}


@login_required
@page_on_get("casework:config", to=_calendar_day_seen)
@writes(Cap.CONFIGURE)
def calendar_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    def write(_: dict[str, str]) -> None:
        services.calendar_day_delete(actor=request.user, pk=pk)

    return _submit(request, write, _("已删除日历"))
