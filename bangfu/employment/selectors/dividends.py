"""Collective assets, their income and the dividend shares (officers only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet

from bangfu.core.selectors import get_or_404
from bangfu.employment import access
from bangfu.employment.models import AssetIncome, CollectiveAsset, DividendShare

if TYPE_CHECKING:
    from bangfu.accounts.models import User


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
