"""Collective assets: the village's income-earning assets, each with its split rule and the yearly
distributions (rent → collective part + dividends to eligible households)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.areas import selectors as areas
from bangfu.areas.domain.codes import Level
from bangfu.core import inputs
from bangfu.core.replicas import replica_ok
from bangfu.core.views import form_post, page_on_get
from bangfu.employment import inputs as employment_inputs
from bangfu.employment import selectors, services
from bangfu.employment.domain.dividends import BASIS_LABELS, Basis
from bangfu.employment.models import CollectiveAsset, DividendRule
from bangfu.employment.views._forms import officers_only, translated


def _list_context(request: AuthedHttpRequest) -> dict[str, Any]:
    user: Any = request.user
    return {
        "assets": selectors.assets_visible(user).order_by("village_id", "name"),
        "villages": [(v.code, v.name) for v in areas.areas_visible(user, level=Level.VILLAGE, cap=Cap.EMPLOYMENT_EDIT)],
        "workshops": [(w.pk, w.name) for w in selectors.workshops_visible(user, edit=True).order_by("name")],
        "kinds": translated(CollectiveAsset.KINDS),
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
        run=lambda v: services.asset_create(actor=user, asset=employment_inputs.asset_input(v)),
        done=lambda a: _("已登记集体资产：%(name)s") % {"name": a.name},
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
        "bases": [(b.value, _(BASIS_LABELS[b])) for b in Basis],
        "eligibility": translated(DividendRule.ELIGIBILITY),
        "today": today,
        "rule_values": {"basis": "household", "eligibility": "relocated_poor"},
        "income_values": {"year": today.year - 1, "amount": asset.annual_rent, "received_on": today.isoformat()},
    }


@login_required
def asset_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    officers_only(request.user)
    return render(request, "employment/asset_detail.html", _detail_context(request, pk))


def _on_detail[T](
    request: AuthedHttpRequest,
    pk: int,
    form: str,
    *,
    fields: list[str],
    run: Callable[[dict[str, str]], T],
    done: str | Callable[[T], str],
    then: Callable[[T], HttpResponse] | None = None,
) -> HttpResponse:
    """One of the asset page's two forms (`form`: the rule or the income), kept as `<form>_values` and
    shown again beside its fields; done, back to the asset page (or `then`)."""
    officers_only(request.user)
    back = then or (lambda _result: redirect("employment:asset_detail", pk=pk))
    page = "employment/asset_detail.html"
    kept = f"{form}_values"
    return form_post(
        request,
        template=page,
        context=lambda: _detail_context(request, pk),
        fields=fields,
        run=run,
        done=done,
        then=back,
        keep_as=kept,
        form=form,
    )


def _rule_set(request: AuthedHttpRequest, pk: int, v: dict[str, str]) -> DividendRule:
    asset = selectors.asset_get(request.user, pk)
    start, share = employment_inputs.dividend_rule_input(v)
    return services.dividend_rule_set(
        actor=request.user,
        asset=asset,
        effective_from=start,
        collective_share=share,
        basis=v["basis"],
        eligibility=v["eligibility"],
    )


@login_required
@page_on_get("employment:asset_detail")
@writes(Cap.EMPLOYMENT_EDIT)
def rule_set(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """A new split rule from a date; the rule it replaces ends the day before."""
    return _on_detail(
        request,
        pk,
        "rule",
        fields=["effective_from", "collective_share", "basis", "eligibility"],
        run=lambda v: _rule_set(request, pk, v),
        done=_("收益分配规则已保存"),
    )


@login_required
@page_on_get("employment:asset_detail")
@writes(Cap.EMPLOYMENT_EDIT)
def income_distribute(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """A year's income, distributed in two steps: the preview (the collective's part and every household's
    dividend, nothing written), then, confirmed from the preview, the distribution itself (irreversible:
    a year is distributed once)."""
    user: Any = request.user
    officers_only(user)
    confirmed = request.POST.get("confirm") == "1"

    def run(v: dict[str, str]) -> Any:
        with inputs.Problems() as p:
            year = p.whole(v["year"], "year", low=2000, high=timezone.localdate().year, zh="收益年度", en="year")
            amount = p.money(v["amount"], "amount", positive=True, zh="收益金额", en="amount")
            received = p.date(v["received_on"], "received_on", zh="到账日期", en="date received")
        assert year is not None and amount is not None and received is not None  # Problems raised otherwise
        asset = selectors.asset_get(user, pk, edit=True)
        if not confirmed:
            return selectors.dividend_plan(user, asset, year=year, amount=amount, received_on=received)
        return services.asset_income_distribute(actor=user, asset=asset, year=year, amount=amount, received_on=received)

    def then(result: Any) -> HttpResponse:
        if isinstance(result, selectors.DividendPlan):
            return render(request, "employment/asset_detail.html", _detail_context(request, pk) | {"plan": result})
        return redirect("employment:asset_detail", pk=pk)

    return _on_detail(
        request,
        pk,
        "income",
        fields=["year", "amount", "received_on"],
        run=run,
        done=lambda r: "" if isinstance(r, selectors.DividendPlan) else _distributed(r),
        then=then,
    )


def _distributed(income: Any) -> str:
    return _("%(year)s年收益已分配：集体留存 %(kept)s 元，分红 %(amount)s 元") % {
        "year": income.year,
        "kept": f"{income.collective_amount:,.2f}",
        "amount": f"{income.dividend_amount:,.2f}",
    }
