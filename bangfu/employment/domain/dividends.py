"""Collective asset income: the split between the village collective and household dividends.

The split is configured per asset (DividendRule rows with effective dates); no national ratio
exists (domain brief §3.2). Dividends are shared per household or per member with split_exact,
so the fen always add up to exactly the amount distributed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from bangfu.core.domain.money import q, split_exact
from bangfu.core.domain.text import gettext_noop


class Basis(StrEnum):
    HOUSEHOLD = "household"  # equal share per eligible household
    MEMBER = "member"  # share in proportion to the household's members


BASIS_LABELS = {Basis.HOUSEHOLD: gettext_noop("按户"), Basis.MEMBER: gettext_noop("按人")}


@dataclass(frozen=True)
class Recipient:
    household_id: int
    members: int


@dataclass(frozen=True)
class Split:
    collective: Decimal
    dividends: Decimal
    shares: tuple[tuple[int, Decimal], ...]  # (household id, amount)


class SplitError(ValueError):
    pass


def split(total: Decimal, collective_share: Decimal, basis: Basis, recipients: list[Recipient]) -> Split:
    """collective_share is the collective's fraction (0–1); the rest is paid out as dividends."""
    if total <= 0:
        raise SplitError("total must be positive")
    if not Decimal(0) <= collective_share <= Decimal(1):
        raise SplitError("collective share must be between 0 and 1")
    collective = q(total * collective_share)
    dividends = total - collective
    if dividends > 0 and not recipients:
        raise SplitError("no eligible households")
    if dividends == 0:
        return Split(collective, dividends, ())
    weights = [Decimal(1) if basis is Basis.HOUSEHOLD else Decimal(max(r.members, 0)) for r in recipients]
    amounts = split_exact(dividends, weights)
    return Split(collective, dividends, tuple((r.household_id, a) for r, a in zip(recipients, amounts, strict=True)))
