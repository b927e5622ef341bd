"""Writes about collective assets: the asset, its split rule, and distributing its income.

Distribution: the income is split by the rule in force on the day it was received into the
collective's part and dividends; dividends go to the eligible households of the owning village
(domain/dividends.py, exact to the fen) and flow into their property income (property.dividend).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from bangfu.accounts.domain.roles import Cap
from bangfu.areas import selectors as areas
from bangfu.core.errors import Conflict, invalid
from bangfu.core.selectors import get_or_404
from bangfu.core.services import audit_record
from bangfu.employment import selectors
from bangfu.employment.domain import dividends
from bangfu.employment.models import AssetIncome, CollectiveAsset, DividendRule, DividendShare
from bangfu.employment.services._common import date, money, text, whole
from bangfu.employment.services.workshops import _village
from bangfu.registry import selectors as registry
from bangfu.registry import services as registry_services

if TYPE_CHECKING:
    from bangfu.accounts.models import User

_ELIGIBLE = {
    "relocated_poor": {"relocated": True, "poverty_exited": True},
    "relocated": {"relocated": True},
    "poverty_exited": {"poverty_exited": True},
}


@transaction.atomic
def asset_create(*, actor: User, values: dict[str, Any]) -> CollectiveAsset:
    village = _village("village", str(values.get("village", "")))
    areas.require(actor, Cap.EMPLOYMENT_EDIT, village.code)
    if values.get("kind") not in dict(CollectiveAsset.KINDS):
        raise invalid("kind", "请选择资产类型", "choose the asset type")
    workshop = None
    if values.get("workshop"):
        workshop = get_or_404(selectors.workshops_visible(actor), values["workshop"])
    asset = CollectiveAsset.objects.create(
        village=village,
        name=text("name", values.get("name"), "资产名称", "asset name"),
        kind=values["kind"],
        workshop=workshop,
        annual_rent=money("annual_rent", values.get("annual_rent") or 0),
    )
    audit_record(actor=actor, action="asset_create", obj=asset, area_code=village.code)
    return asset


def _share(value: Any) -> Decimal:
    """The collective's share, typed as a percentage (40 or 40%) or a fraction (0.4)."""
    raw = str(value).strip().rstrip("%")
    try:
        d = Decimal(raw)
    except InvalidOperation:
        raise invalid(
            "collective_share",
            "集体留存比例请填写0到100之间的百分数，如 40",
            "enter the collective's share as a percentage from 0 to 100, e.g. 40",
        ) from None
    d = d / 100 if d > 1 or str(value).strip().endswith("%") else d
    if not 0 <= d <= 1:
        raise invalid("collective_share", "集体留存比例须在0%到100%之间", "the collective's share must be 0–100%")
    return d.quantize(Decimal("0.0001"))


@transaction.atomic
def dividend_rule_set(
    *,
    actor: User,
    asset: CollectiveAsset,
    effective_from: Any,
    collective_share: Any,
    basis: str,
    eligibility: str,
) -> DividendRule:
    a = selectors.asset_get(actor, asset.pk, edit=True)
    start = date("effective_from", effective_from)
    if basis not in {b.value for b in dividends.Basis}:
        raise invalid("basis", "请选择分红方式：按户或按人", "choose per household or per member")
    if eligibility not in _ELIGIBLE:
        raise invalid("eligibility", "请选择分红对象", "choose who receives dividends")
    for row in DividendRule.objects.select_for_update().filter(asset=a, effective_to__isnull=True):
        if row.effective_from >= start:
            raise Conflict(
                f"已有{row.effective_from}起生效的分配规则，新规则生效日期须更晚",
                f"A rule already applies from {row.effective_from}; choose a later date",
            )
        row.effective_to = start - dt.timedelta(days=1)
        row.save(update_fields=["effective_to"])
    rule = DividendRule.objects.create(
        asset=a,
        effective_from=start,
        collective_share=_share(collective_share),
        basis=basis,
        eligibility=eligibility,
    )
    audit_record(
        actor=actor,
        action="dividend_rule_set",
        obj=rule,
        area_code=a.village_id,
        data={"share": str(rule.collective_share), "basis": basis},
    )
    return rule


def _recipients(actor: User, asset: CollectiveAsset, eligibility: str) -> list[dividends.Recipient]:
    households = (
        registry.households_visible(actor)
        .filter(village__code=asset.village_id, status="正常", **_ELIGIBLE[eligibility])
        .prefetch_related(registry.prefetch_members())
        .order_by("number")
    )
    return [dividends.Recipient(h.pk, len(h.members.all())) for h in households]


@transaction.atomic
def asset_income_distribute(
    *, actor: User, asset: CollectiveAsset, year: Any, amount: Any, received_on: Any
) -> AssetIncome:
    """Record a year's income of the asset and distribute it at once (a year is distributed once)."""
    a = selectors.asset_get(actor, asset.pk, edit=True)
    areas.require(actor, Cap.EMPLOYMENT_EDIT, a.village_id)
    y = whole("year", year, low=2000, high=timezone.localdate().year)
    total = money("amount", amount, allow_zero=False)
    received = date("received_on", received_on)
    if AssetIncome.objects.select_for_update().filter(asset=a, year=y).exists():
        raise Conflict(f"{a.name}{y}年度收益已分配，不能重复分配", f"{a.name}: the {y} income was already distributed")
    rule = selectors.dividend_rule_in_force(a.pk, received)
    if rule is None:
        raise invalid(
            "received_on",
            f"{received}没有生效的收益分配规则，请先设置集体留存比例和分红方式",
            f"No split rule is in force on {received}; set the collective share and basis first",
        )
    recipients = _recipients(actor, a, rule.eligibility)
    try:
        split = dividends.split(total, rule.collective_share, dividends.Basis(rule.basis), recipients)
    except dividends.SplitError:
        raise invalid(
            "amount",
            "本村没有符合分红条件的农户，请检查分配规则的分红对象",
            "No household of the village is eligible; check the rule's recipients",
        ) from None
    income = AssetIncome.objects.create(
        asset=a,
        year=y,
        amount=total,
        received_on=received,
        rule=rule,
        collective_amount=split.collective,
        dividend_amount=split.dividends,
        distributed_at=timezone.now(),
    )
    members = {r.household_id: r.members for r in recipients}
    for household_id, share in split.shares:
        row = DividendShare.objects.create(
            income=income, household_id=household_id, members=members[household_id], amount=share
        )
        registry_services.income_record(
            household_id=household_id,
            year=y,
            item="property.dividend",
            amount=share,
            source="employment",
            source_ref=f"dividend:{row.pk}",
            note=f"{a.name}收益分红",
            actor=actor,
        )
    audit_record(
        actor=actor,
        action="asset_income_distribute",
        obj=income,
        area_code=a.village_id,
        data={"total": str(total), "collective": str(split.collective), "households": len(split.shares)},
    )
    return income
