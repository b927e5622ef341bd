"""Writes about collective assets: the asset, its split rule, and distributing its income.

Distribution: the income is split by the rule in force on the day it was received into the
collective's part and dividends; dividends go to the eligible households of the owning village
(domain/dividends.py, exact to the fen) and flow into their property income (property.dividend).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from bangfu.accounts.domain.roles import Cap
from bangfu.areas import selectors as areas
from bangfu.core import inputs
from bangfu.core.domain.money import ZERO
from bangfu.core.errors import Conflict, invalid
from bangfu.core.selectors import get_or_404
from bangfu.core.services import audit_record
from bangfu.employment import selectors
from bangfu.employment.domain import dividends
from bangfu.employment.models import AssetIncome, CollectiveAsset, DividendRule, DividendShare
from bangfu.employment.services._common import end_current_version
from bangfu.employment.services.workshops import _village
from bangfu.registry import services as registry_services

if TYPE_CHECKING:
    from bangfu.accounts.models import User


@dataclass(frozen=True)
class AssetInput:
    """A collective asset as typed on the assets page or sent to the API (`employment.inputs.asset_input`)."""

    village: str
    name: str
    kind: str
    workshop_id: int | None = None
    annual_rent: Decimal = ZERO


@transaction.atomic
def asset_create(*, actor: User, asset: AssetInput) -> CollectiveAsset:
    """A collective asset of a village."""
    owner = _village("village", asset.village)
    areas.require(actor, Cap.EMPLOYMENT_EDIT, owner.code)
    workshop = get_or_404(selectors.workshops_visible(actor), asset.workshop_id) if asset.workshop_id else None
    made = CollectiveAsset.objects.create(
        village=owner, name=asset.name, kind=asset.kind, workshop=workshop, annual_rent=asset.annual_rent
    )
    audit_record(actor=actor, action="asset_create", obj=made, area_code=owner.code)
    return made


@transaction.atomic
def dividend_rule_set(
    *,
    actor: User,
    asset: CollectiveAsset,
    effective_from: dt.date,
    collective_share: Decimal,
    basis: str,
    eligibility: str,
) -> DividendRule:
    """A split rule from a date (typed values: `employment.inputs.dividend_rule_input` parses the form)."""
    a = selectors.asset_get(actor, asset.pk, edit=True)
    start = effective_from
    if basis not in {b.value for b in dividends.Basis}:
        raise invalid("basis", "请选择分红方式：按户或按人", "choose per household or per member")
    if eligibility not in dict(DividendRule.ELIGIBILITY):
        raise invalid("eligibility", "请选择分红对象", "choose who receives dividends")
    end_current_version(
        DividendRule.objects.filter(asset=a),
        start,
        lambda since: Conflict(
            f"已有{since}起生效的分配规则，新规则生效日期须更晚",
            f"A rule already applies from {since}; choose a later date",
        ),
    )
    rule = DividendRule.objects.create(
        asset=a,
        effective_from=start,
        collective_share=collective_share,
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


@transaction.atomic
def asset_income_distribute(
    *, actor: User, asset: CollectiveAsset, year: int, amount: Decimal, received_on: dt.date
) -> AssetIncome:
    """Record a year's income of the asset and distribute it at once (a year is distributed once), as
    `selectors.dividend_plan` computed it for the officer to confirm. Typed values: the page and the API
    parse them with `core.inputs`."""
    a = selectors.asset_get(actor, asset.pk, edit=True)
    areas.require(actor, Cap.EMPLOYMENT_EDIT, a.village_id)
    if not 2000 <= year <= timezone.localdate().year:
        raise invalid("year", "收益年度不能晚于今年", "The year cannot be after this year")
    AssetIncome.objects.select_for_update().filter(asset=a, year=year).exists()  # two officers at once: one waits
    plan = selectors.dividend_plan(
        actor,
        a,
        year=year,
        amount=inputs.money(amount, "amount", positive=True),
        received_on=inputs.date(received_on, "received_on", future=True),
    )
    income = AssetIncome.objects.create(asset=a, distributed_at=timezone.now(), **plan.income_fields())
    for line in plan.shares:
        row = DividendShare.objects.create(
            income=income, household_id=line.household.pk, members=line.members, amount=line.amount
        )
        registry_services.income_record(
            household_id=line.household.pk,
            year=year,
            item="property.dividend",
            amount=line.amount,
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
        data={"total": str(plan.amount), "collective": str(plan.collective), "households": len(plan.shares)},
    )
    return income
