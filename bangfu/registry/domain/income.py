"""Household income per the national categories (shared/domain.md §6.4), exact in Decimal."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from bangfu.core.domain.money import ZERO, q
from bangfu.registry.domain.codes import ITEM_CATEGORY


@dataclass(frozen=True, slots=True)
class IncomeTotals:
    wage: Decimal
    business_income: Decimal
    business_cost: Decimal
    property_income: Decimal
    transfer: Decimal
    out_of_pocket: Decimal  # 合规自付支出
    claims: Decimal  # 理赔收入, part of transfer
    size: int

    @property
    def net_income(self) -> Decimal:
        """net = wage + (business income − business cost) + property + transfer."""
        return q(self.wage + self.business_income - self.business_cost + self.property_income + self.transfer)

    @property
    def per_capita(self) -> Decimal:
        return q(self.net_income / self.size) if self.size > 0 else ZERO


def totals(items: Iterable[tuple[str, Decimal]], size: int) -> IncomeTotals:
    """Sum (item code, amount) pairs into the national categories."""
    sums = {"wage": ZERO, "business": ZERO, "cost": ZERO, "property": ZERO, "transfer": ZERO, "expense": ZERO}
    claims = ZERO
    for code, amount in items:
        sums[ITEM_CATEGORY[code]] += amount
        if code == "transfer.insurance_claim":
            claims += amount
    return IncomeTotals(
        wage=sums["wage"],
        business_income=sums["business"],
        business_cost=sums["cost"],
        property_income=sums["property"],
        transfer=sums["transfer"],
        out_of_pocket=sums["expense"],
        claims=claims,
        size=size,
    )
