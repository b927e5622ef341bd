"""The tiered payout (分段补偿): a pure function of the eligible expense and the configured tiers.

payout = min(caps, Σ rate_i × max(0, min(E, upper_i) − lower_i)), the first band starting at the
deductible (domain brief §6.4). Each band's amount is rounded to the fen on its own so the explanation
lines add up exactly to the total a household sees on paper.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from bangfu.core.domain.money import ZERO
from bangfu.core.domain.money import q as _fen


@dataclass(frozen=True)
class Band:
    lower: Decimal
    upper: Decimal | None  # None: open-ended top band
    rate: Decimal  # 0.70 for 70%


@dataclass(frozen=True)
class Tiers:
    deductible: Decimal
    bands: tuple[Band, ...]
    per_claim_cap: Decimal | None = None
    annual_cap: Decimal | None = None


@dataclass(frozen=True)
class BandLine:
    lower: Decimal
    upper: Decimal | None
    rate: Decimal
    portion: Decimal  # the part of the expense inside this band
    amount: Decimal

    @property
    def text(self) -> str:
        top = f"{self.upper:,.2f}" if self.upper is not None else "以上"
        return f"{self.lower:,.2f}–{top}：{self.portion:,.2f} × {self.rate * 100:.0f}% = {self.amount:,.2f}"


@dataclass(frozen=True)
class Payout:
    expense: Decimal
    lines: tuple[BandLine, ...]
    gross: Decimal  # Σ band amounts before caps
    amount: Decimal  # what is paid
    cap_applied: str = ""  # "", "per_claim" or "annual"


def tier_problems(t: Tiers) -> list[tuple[str, str, str]]:
    """(field, zh, en) for every reason these tiers cannot be used; empty when they are sound."""
    out: list[tuple[str, str, str]] = []
    if t.deductible < 0:
        out.append(("deductible", "起付线不能为负数", "The deductible cannot be negative"))
    if not t.bands:
        out.append(("bands", "至少需要一个赔付分段", "Add at least one band"))
        return out
    expected = t.deductible
    for i, b in enumerate(t.bands, start=1):
        if b.lower != expected:
            out.append(
                (
                    f"bands[{i}].lower",
                    f"第{i}段下限应为{expected:,.2f}（分段须从起付线起首尾相接）",
                    f"Band {i} must start at {expected:,.2f}: bands start at the deductible and touch",
                )
            )
        if b.upper is not None and b.upper <= b.lower:
            out.append(
                (
                    f"bands[{i}].upper",
                    f"第{i}段上限须大于下限",
                    f"Band {i}: the upper bound must exceed the lower",
                )
            )
        if b.upper is None and i != len(t.bands):
            out.append((f"bands[{i}].upper", "只有最后一段可以不设上限", "Only the last band may be open-ended"))
        if not Decimal(0) <= b.rate <= Decimal(1):
            out.append((f"bands[{i}].rate", f"第{i}段赔付比例须在0%到100%之间", f"Band {i}: the rate must be 0–100%"))
        expected = b.upper if b.upper is not None else b.lower
    for name, cap in (("per_claim_cap", t.per_claim_cap), ("annual_cap", t.annual_cap)):
        if cap is not None and cap < 0:
            out.append((name, "封顶金额不能为负数", "A cap cannot be negative"))
    return out


def tiered_payout(expense: Decimal, tiers: Tiers, paid_this_year: Decimal = ZERO) -> Payout:
    """Payout for one claim; `paid_this_year` is what the same insured already received (annual cap)."""
    lines: list[BandLine] = []
    for b in tiers.bands:
        top = expense if b.upper is None else min(expense, b.upper)
        portion = max(ZERO, _fen(top - b.lower))
        lines.append(BandLine(b.lower, b.upper, b.rate, portion, _fen(portion * b.rate)))
    gross = sum((ln.amount for ln in lines), ZERO)
    amount, cap = gross, ""
    if tiers.per_claim_cap is not None and amount > tiers.per_claim_cap:
        amount, cap = tiers.per_claim_cap, "per_claim"
    if tiers.annual_cap is not None:
        room = max(ZERO, tiers.annual_cap - paid_this_year)
        if amount > room:
            amount, cap = room, "annual"
    return Payout(expense=_fen(expense), lines=tuple(lines), gross=gross, amount=_fen(amount), cap_applied=cap)
