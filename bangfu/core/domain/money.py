"""Money is Decimal yuan with two places (fen), never float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from bangfu.core.domain import inputs
from bangfu.core.errors import ValidationFailed

FEN = Decimal("0.01")
LIMIT = Decimal("9999999999.99")  # what a DECIMAL(12, 2) column holds
ZERO = Decimal("0.00")


def yuan(value: object) -> Decimal:
    """Parse a yuan amount exactly (ValueError otherwise): at most two decimals, never rounded.

    Range checks with a field name and a bilingual message are `core.domain.inputs.amount`, which
    services use; this is the plain parser (no sign or size policy beyond what a column can hold).
    """
    try:
        return inputs.amount(value, low=-LIMIT, high=LIMIT)
    except ValidationFailed as exc:
        raise ValueError(f"not an amount: {str(value)[:40]!r} ({exc.en})") from None


def q(d: Decimal) -> Decimal:
    return d.quantize(FEN, rounding=ROUND_HALF_UP)


def split_exact(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Split total into shares proportional to weights, in fen, summing exactly to total.

    Largest-remainder method: every share is floored to the fen, then the leftover fen go to the
    largest remainders (ties to the earlier share), so nobody can lose or gain more than one fen.
    """
    if not weights:
        return []
    wsum = sum(weights, Decimal(0))
    if wsum <= 0:
        raise ValueError("weights must add up to more than zero")
    total_fen = int((total / FEN).to_integral_value())
    raw = [Decimal(total_fen) * w / wsum for w in weights]
    floors = [int(r) for r in raw]
    left = total_fen - sum(floors)
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [Decimal(f) * FEN for f in floors]
