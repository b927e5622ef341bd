"""Collective assets: the village's income-earning assets, each with its split rule and the yearly
distributions (rent → collective part + dividends to eligible households)."""

from __future__ import annotations

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
from bangfu.core.errors import ApplicationError
from bangfu.core.replicas import replica_ok
from bangfu.employment import selectors, services
from bangfu.employment.domain.dividends import BASIS_LABELS, Basis
from bangfu.employment.models import CollectiveAsset, DividendRule
from bangfu.employment.views._forms import failed, officers_only, posted


def _list(request: HttpRequest, extra: dict[str, Any], status: int = 200) -> HttpResponse:
    user: Any = request.user
    context = {
        "assets": selectors.assets_visible(user).order_by("village_id", "name"),
        "villages": [(v.code, v.name) for v in areas.areas_visible(user, level=Level.VILLAGE, cap=Cap.EMPLOYMENT_EDIT)],
        "workshops": [(w.pk, w.name) for w in selectors.workshops_visible(user, edit=True).order_by("name")],
        "kinds": CollectiveAsset.KINDS,
        "values": {"kind": "land"},
    }
    return render(request, "employment/asset_list.html", context | extra, status=status)


@login_required
@writes(Cap.EMPLOYMENT_EDIT)
@replica_ok
def asset_list(request: HttpRequest) -> HttpResponse:
    officers_only(request.user)
    if request.method != "POST":
        return _list(request, {})
    values = posted(request, ["village", "name", "kind", "workshop", "annual_rent"])
    try:
        a = services.asset_create(actor=request.user, values=values)  # type: ignore[arg-type]
    except ApplicationError as exc:
        return _list(request, failed(exc, values=values), exc.status)
    messages.success(request, f"已登记集体资产：{a.name} Asset recorded")
    return redirect("employment:asset_detail", pk=a.pk)


def _detail(request: HttpRequest, pk: int, extra: dict[str, Any], status: int = 200) -> HttpResponse:
    user: Any = request.user
    asset = selectors.asset_get(user, pk)
    today = timezone.localdate()
    context = {
        "a": asset,
        "rules": list(asset.rules.all()),
        "incomes": selectors.asset_incomes(user, pk),
        "bases": [(b.value, BASIS_LABELS[b]) for b in Basis],
        "eligibility": DividendRule.ELIGIBILITY,
        "today": today,
        "rule_values": {"basis": "household", "eligibility": "relocated_poor"},
        "income_values": {"year": today.year - 1, "amount": asset.annual_rent, "received_on": today.isoformat()},
    }
    return render(request, "employment/asset_detail.html", context | extra, status=status)


@login_required
def asset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    officers_only(request.user)
    return _detail(request, pk, {})


@login_required
@require_POST
@writes(Cap.EMPLOYMENT_EDIT)
def rule_set(request: HttpRequest, pk: int) -> HttpResponse:
    """A new split rule from a date; the rule it replaces ends the day before."""
    user: Any = request.user
    officers_only(user)
    values = posted(request, ["effective_from", "collective_share", "basis", "eligibility"])
    try:
        services.dividend_rule_set(actor=user, asset=selectors.asset_get(user, pk), **values)
    except ApplicationError as exc:
        return _detail(request, pk, failed(exc, rule_values=values, form="rule"), exc.status)
    messages.success(request, "收益分配规则已保存 Split rule saved")
    return redirect("employment:asset_detail", pk=pk)


@login_required
@require_POST
@writes(Cap.EMPLOYMENT_EDIT)
def income_distribute(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a year's income and distribute it at once to the collective and the eligible households."""
    user: Any = request.user
    officers_only(user)
    values = posted(request, ["year", "amount", "received_on"])
    try:
        income = services.asset_income_distribute(actor=user, asset=selectors.asset_get(user, pk), **values)
    except ApplicationError as exc:
        return _detail(request, pk, failed(exc, income_values=values, form="income"), exc.status)
    messages.success(request, f"{income.year}年收益已分配：分红 {income.dividend_amount} 元 Distributed")
    return redirect("employment:asset_detail", pk=pk)
