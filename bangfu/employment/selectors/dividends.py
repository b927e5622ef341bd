"""Collective assets, their income and the dividend shares (officers only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, QuerySet

from bangfu.core.errors import Conflict, invalid
from bangfu.core.selectors import get_or_404
from bangfu.employment import access
from bangfu.employment.domain import dividends
from bangfu.employment.models import AssetIncome, CollectiveAsset, DividendRule, DividendShare
from bangfu.employment.selectors.parameters import dividend_rule_in_force
from bangfu.registry import selectors as registry

if TYPE_CHECKING:
    from bangfu.accounts.models import User
    from bangfu.registry.models import Household


def assets_visible(user: User, *, edit: bool = False) -> QuerySet[CollectiveAsset]:
    return CollectiveAsset.objects.filter(access.officer_q(user, "village_id", edit=edit)).select_related(
        "village", "workshop"
    )


def asset_get(user: User, pk: int, *, edit: bool = False) -> CollectiveAsset:
    a = get_or_404(assets_visible(user, edit=edit), pk)
    return a


def asset_incomes(user: User, asset_id: int) -> list[AssetIncome]:
    a = asset_get(user, asset_id)
    shares = Prefetch("shares", queryset=DividendShare.objects.select_related("household"))
    return list(AssetIncome.objects.filter(asset=a).select_related("rule").prefetch_related(shares))


_ELIGIBLE = {
    "relocated_poor": {"relocated": True, "poverty_exited": True},
    "relocated": {"relocated": True},
    "poverty_exited": {"poverty_exited": True},
}


@dataclass(frozen=True)
class ShareLine:
    household: Household
    members: int
    amount: Decimal


@dataclass(frozen=True)
class DividendPlan:
    """What distributing a year's income would do, computed and not yet written: shown to the officer
    for confirmation, then written by `services.asset_income_distribute` from the same computation."""

    asset: CollectiveAsset
    year: int
    amount: Decimal
    received_on: dt.date
    rule: DividendRule
    collective: Decimal
    dividends: Decimal
    shares: list[ShareLine]

    def income_fields(self) -> dict[str, Any]:
        """The AssetIncome row this plan records (the service adds the asset and the time)."""
        return {
            "year": self.year,
            "amount": self.amount,
            "received_on": self.received_on,
            "rule": self.rule,
            "collective_amount": self.collective,
            "dividend_amount": self.dividends,
        }


def dividend_plan(
    user: User, asset: CollectiveAsset, *, year: int, amount: Decimal, received_on: dt.date
) -> DividendPlan:
    """The split of `amount` by the rule in force on `received_on` over the village's eligible
    households (exact to the fen, domain/dividends.py); a year already distributed is refused."""
    a = asset_get(user, asset.pk, edit=True)
    if AssetIncome.objects.filter(asset=a, year=year).exists():
        raise Conflict(
            f"{a.name}{year}年度收益已分配，不能重复分配", f"{a.name}: the {year} income was already distributed"
        )
    rule = dividend_rule_in_force(a.pk, received_on)
    if rule is None:
        raise invalid(
            "received_on",
            f"{received_on}没有生效的收益分配规则，请先设置集体留存比例和分红方式",
            f"No split rule is in force on {received_on}; set the collective share and basis first",
        )
    households = list(
        registry.households_visible(user)
        .filter(village__code=a.village_id, status="正常", **_ELIGIBLE[rule.eligibility])
        .prefetch_related(registry.prefetch_members())
        .order_by("number")
    )
    recipients = [dividends.Recipient(h.pk, len(h.members.all())) for h in households]
    try:
        split = dividends.split(amount, rule.collective_share, dividends.Basis(rule.basis), recipients)
    except dividends.SplitError:
        raise invalid(
            "amount",
            "本村没有符合分红条件的农户，请检查分配规则的分红对象",
            "No household of the village is eligible; check the rule's recipients",
        ) from None
    by_id = {h.pk: h for h in households}
    members = {r.household_id: r.members for r in recipients}
    lines = [ShareLine(by_id[hid], members[hid], share) for hid, share in split.shares]
    return DividendPlan(a, year, amount, received_on, rule, split.collective, split.dividends, lines)
