"""The scheme's fund (防贫基金): balance, loss ratio, premiums due, and the year-end settlement.

balance = carried in + premiums + top-ups − payouts − service fees (domain brief §6.4); at year end a
surplus is carried over and a deficit topped up by the county, when the scheme says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from bangfu.core.domain.money import FEN, ZERO


@dataclass(frozen=True)
class FundFigures:
    carried_in: Decimal = ZERO
    premiums: Decimal = ZERO
    topups: Decimal = ZERO
    payouts: Decimal = ZERO
    fees: Decimal = ZERO
    carried_out: Decimal = ZERO

    @property
    def balance(self) -> Decimal:
        return self.carried_in + self.premiums + self.topups - self.payouts - self.fees - self.carried_out

    @property
    def loss_ratio(self) -> Decimal | None:
        """Payouts over premiums (赔付率), 4 places; None before any premium is in."""
        if self.premiums <= 0:
            return None
        return (self.payouts / self.premiums).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)

    @property
    def cost_ratio(self) -> Decimal | None:
        """(Payouts + service fees) over premiums: what the county really spent per yuan of premium."""
        if self.premiums <= 0:
            return None
        return ((self.payouts + self.fees) / self.premiums).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def service_fee(payout: Decimal, fee_rate: Decimal) -> Decimal:
    """The insurer's fee on one payout (舞阳: 15% of actual payouts), to the fen."""
    return (payout * fee_rate).quantize(FEN, rounding=ROUND_HALF_UP)


def premium_due(persons: int, per_person: Decimal) -> Decimal:
    return (Decimal(persons) * per_person).quantize(FEN, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Settlement:
    carry_over: Decimal  # to next year's fund
    topup: Decimal  # paid in by the county to close a deficit


def settle(figures: FundFigures, *, carry_over: bool, deficit_topup: bool) -> Settlement:
    b = figures.balance
    return Settlement(
        carry_over=b if b > 0 and carry_over else ZERO,
        topup=-b if b < 0 and deficit_topup else ZERO,
    )
