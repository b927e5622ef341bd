"""The tiered payout as a pure function: story B's figure and the properties of any tier table."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from bangfu.insurance.domain.payout import Band, Tiers, tier_problems, tiered_payout

STORY_B = Tiers(
    deductible=D("8000"),
    bands=(Band(D("8000"), D("18000"), D("0.70")), Band(D("18000"), None, D("0.80"))),
    annual_cap=D("30000"),
)


def test_story_b_schooling_claim_pays_8120_with_one_line_per_band() -> None:
    p = tiered_payout(D("19400"), STORY_B)
    assert p.amount == D("8120.00")
    assert [(ln.portion, ln.amount) for ln in p.lines] == [
        (D("10000.00"), D("7000.00")),
        (D("1400.00"), D("1120.00")),
    ]
    assert p.cap_applied == ""
    assert "10,000.00 × 70% = 7,000.00" in p.lines[0].text


def test_annual_cap_counts_what_was_paid_earlier_in_the_year() -> None:
    p = tiered_payout(D("19400"), STORY_B, paid_this_year=D("25000"))
    assert p.amount == D("5000.00") and p.cap_applied == "annual"
    assert tiered_payout(D("19400"), STORY_B, paid_this_year=D("30000")).amount == D("0.00")


def test_per_claim_cap() -> None:
    t = Tiers(D("0"), (Band(D("0"), None, D("1")),), per_claim_cap=D("100"))
    assert tiered_payout(D("250"), t).amount == D("100") and tiered_payout(D("250"), t).cap_applied == "per_claim"


def test_tier_problems_find_gaps_open_middle_bands_and_bad_rates() -> None:
    bad = Tiers(D("8000"), (Band(D("9000"), None, D("0.7")), Band(D("20000"), D("10000"), D("1.5"))))
    fields = {f for f, _, _ in tier_problems(bad)}
    assert {"bands[1].lower", "bands[1].upper", "bands[2].upper", "bands[2].rate"} <= fields
    assert tier_problems(STORY_B) == []


# ---- properties over arbitrary sound tier tables

money = st.decimals(min_value=D("0"), max_value=D("500000"), places=2, allow_nan=False, allow_infinity=False)
rates = st.decimals(min_value=D("0"), max_value=D("1"), places=2)


@st.composite
def tier_tables(draw: st.DrawFn) -> Tiers:
    deductible = draw(st.decimals(min_value=D("0"), max_value=D("50000"), places=2))
    widths = draw(st.lists(st.decimals(min_value=D("0.01"), max_value=D("50000"), places=2), min_size=0, max_size=4))
    bands, lower = [], deductible
    for w in widths:
        bands.append(Band(lower, lower + w, draw(rates)))
        lower += w
    bands.append(Band(lower, draw(st.one_of(st.none(), st.just(lower + D("10000")))), draw(rates)))
    caps = st.one_of(st.none(), money)
    return Tiers(deductible, tuple(bands), draw(caps), draw(caps))


@given(tier_tables(), money, money)
def test_never_decreasing_in_the_expense(t: Tiers, a: D, b: D) -> None:
    lo, hi = sorted((a, b))
    assert tiered_payout(lo, t).amount <= tiered_payout(hi, t).amount


@given(tier_tables(), money, money)
def test_never_above_the_caps(t: Tiers, expense: D, paid: D) -> None:
    amount = tiered_payout(expense, t, paid_this_year=paid).amount
    if t.per_claim_cap is not None:
        assert amount <= t.per_claim_cap
    if t.annual_cap is not None:
        assert amount <= max(D("0"), t.annual_cap - paid)
    assert amount >= 0


@given(tier_tables(), st.decimals(min_value=D("0"), max_value=D("1"), places=2))
def test_zero_at_or_below_the_deductible(t: Tiers, fraction: D) -> None:
    assert tiered_payout(t.deductible * fraction, t).amount == 0


@given(tier_tables())
def test_band_boundaries_are_exact(t: Tiers) -> None:
    for i, band in enumerate(t.bands):
        if band.upper is None:
            continue
        p = tiered_payout(band.upper, t)
        assert p.lines[i].portion == band.upper - band.lower  # the band is exactly full
        assert all(ln.portion == 0 for ln in p.lines[i + 1 :])  # nothing spills into the next band
        assert p.gross == sum(ln.amount for ln in p.lines)


@given(tier_tables(), money)
def test_uncapped_amount_is_the_sum_of_the_explained_lines(t: Tiers, expense: D) -> None:
    p = tiered_payout(expense, Tiers(t.deductible, t.bands))
    assert p.amount == sum((ln.amount for ln in p.lines), D("0")) == p.gross
