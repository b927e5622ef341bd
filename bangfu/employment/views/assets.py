"""Collective assets: the village's income-earning assets, each with its split rule and the yearly
distributions (rent → collective part + dividends to eligible households)."""

from __future__ import annotations

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
from bangfu.core.replicas import replica_ok
from bangfu.core.views import form_post
from bangfu.employment import selectors, services
from bangfu.employment.domain.dividends import BASIS_LABELS, Basis
from bangfu.employment.models import CollectiveAsset, DividendRule
from bangfu.employment.views._forms import officers_only


def _list_context(request: AuthedHttpRequest) -> dict[str, Any]:
    user: Any = request.user
    return {
        "assets": selectors.assets_visible(user).order_by("village_id", "name"),
        "villages": [(v.code, v.name) for v in areas.areas_visible(user, level=Level.VILLAGE, cap=Cap.EMPLOYMENT_EDIT)],
        "workshops": [(w.pk, w.name) for w in selectors.workshops_visible(user, edit=True).order_by("name")],
        "kinds": CollectiveAsset.KINDS,
    }


@login_required
@writes(Cap.EMPLOYMENT_EDIT)
@replica_ok
def asset_list(request: AuthedHttpRequest) -> HttpResponse:
    user: Any = request.user
    officers_only(user)
    return form_post(
        request,
        template="employment/asset_list.html",
        context=lambda: _list_context(request),
        initial={"kind": "land"},
        fields=["village", "name", "kind", "workshop", "annual_rent"],
        run=lambda v: services.asset_create(actor=user, values=v),
        done=lambda a: f"已登记集体资产：{a.name} Asset recorded",
        then=lambda a: redirect("employment:asset_detail", pk=a.pk),
    )


def _detail_context(request: AuthedHttpRequest, pk: int) -> dict[str, Any]:
    user: Any = request.user
    asset = selectors.asset_get(user, pk)
    today = timezone.localdate()
    return {
        "a": asset,
        "rules": list(asset.rules.all()),
        "incomes": selectors.asset_incomes(user, pk),
        "bases": [(b.value, BASIS_LABELS[b]) for b in Basis],
        "eligibility": DividendRule.ELIGIBILITY,
        "today": today,
        "rule_values": {"basis": "household", "eligibility": "relocated_poor"},
        "income_values": {"year": today.year - 1, "amount": asset.annual_rent, "received_on": today.isoformat()},
    }


@login_required
def asset_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    officers_only(request.user)
    return render(request, "employment/asset_detail.html", _detail_context(request, pk))


@login_required
@require_POST
@writes(Cap.EMPLOYMENT_EDIT)
def rule_set(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """A new split rule from a date; the rule it replaces ends the day before."""
    user: Any = request.user
    officers_only(user)
    return form_post(
        request,
        template="employment/asset_detail.html",
        context=lambda: _detail_context(request, pk),
        fields=["effective_from", "collective_share", "basis", "eligibility"],
        run=lambda v: services.dividend_rule_set(actor=user, asset=selectors.asset_get(user, pk), **v),
        done="收益分配规则已保存 Split rule saved",
        then=lambda _: redirect("employment:asset_detail", pk=pk),
        keep_as="rule_values",
        form="rule",
    )


@login_required
@require_POST
@writes(Cap.EMPLOYMENT_EDIT)
def income_distribute(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Record a year's income and distribute it at once to the collective and the eligible households."""
    user: Any = request.user
    officers_only(user)
    return form_post(
        request,
        template="employment/asset_detail.html",
        context=lambda: _detail_context(request, pk),
        fields=["year", "amount", "received_on"],
        run=lambda v: services.asset_income_distribute(actor=user, asset=selectors.asset_get(user, pk), **v),
        done=lambda income: f"{income.year}年收益已分配：分红 {income.dividend_amount} 元 Distributed",
        then=lambda _: redirect("employment:asset_detail", pk=pk),
        keep_as="income_values",
        form="income",
    )
