"""Household income per the national categories (the domain brief §6.4), exact in Decimal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from bangfu.core.domain.money import ZERO, q
from bangfu.registry.domain.codes import ITEM_CATEGORY


class Purpose(StrEnum):
    """What the household's income is read for. Each purpose names which statement counts."""

    SCREENING = "screening"  # the nightly early-warning rules
    ELIMINATION = "elimination"  # the risk-elimination guard (风险消除: income above the line)
    CLAIM = "claim"  # the insurance scheme's income condition (防贫保: income at or below its line)


def income_year(purpose: Purpose, on: dt.date) -> int:
    """The statement year that is "the household's income" for `purpose` on day `on`.

    Statements are kept per calendar year and fill up during it: the current year's statement holds
    only what has been paid so far (an insurance payout in April, a dividend), so it is never the
    household's income. Every purpose reads the last complete year, and its per-capita income is
    compared with that year's monitoring line. This is the one place that says so: the screening
    window, the elimination guard and the claim survey all ask here.
    """
    return {Purpose.SCREENING: on.year - 1, Purpose.ELIMINATION: on.year - 1, Purpose.CLAIM: on.year - 1}[purpose]


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
