"""Money is Decimal yuan with two places (fen), never float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")
ZERO = Decimal("0.00")


def yuan(value: object) -> Decimal:
    """Parse a yuan amount exactly; floats are refused because they are not exact."""
    if isinstance(value, float):
        value = repr(value)  # Excel hands floats over; their repr is the shortest exact decimal text
    try:
        d = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValueError(f"not an amount: {value!r}") from None
    if not d.is_finite():
        raise ValueError(f"not an amount: {value!r}")
    return d.quantize(FEN, rounding=ROUND_HALF_UP)


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
