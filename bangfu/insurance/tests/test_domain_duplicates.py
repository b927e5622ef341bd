"""What counts as the same bill claimed twice: pure rules, with hypothesis."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from bangfu.insurance.domain.duplicates import (
    DuplicateRules,
    Filed,
    Line,
    duplicates,
    lines_overlap,
    match,
    ranges_overlap,
    receipt_key,
)

EXACT = DuplicateRules()
dates = st.dates(min_value=dt.date(2018, 1, 1), max_value=dt.date(2030, 12, 31))
amounts = st.decimals(min_value=D("0.01"), max_value=D("500000"), places=2)


@st.composite
def lines(draw: st.DrawFn) -> Line:
    start = draw(st.none() | dates)
    end = None if start is None else draw(st.none() | st.integers(0, 200).map(lambda n: start + dt.timedelta(days=n)))
    return Line(draw(amounts), start, end, draw(st.sampled_from(["", "NO.0012", "0013"])))


def filed(claim_id: int | None, *ls: Line, member: int | None = 1, cause: str = "schooling", **kw) -> Filed:
    return Filed(claim_id, kw.pop("household", 10), member, cause, ls, **kw)


BILL = Line(D("19400.00"), dt.date(2026, 1, 10))


def test_the_story_b_bill_filed_again_is_a_repeat_of_the_paid_claim() -> None:
    paid = filed(7, BILL, status="paid")
    again = filed(None, BILL)
    [m] = duplicates(again, [paid], EXACT)
    assert (m.claim_id, m.line_pairs, m.kinds) == (7, ((0, 0),), ("expense",))


def test_same_bill_for_another_member_or_cause_is_not_a_repeat_but_a_shared_receipt_is() -> None:
    assert match(filed(None, BILL, member=2), filed(7, BILL), EXACT) is None
    assert match(filed(None, BILL, cause="illness"), filed(7, BILL), EXACT) is None
    r1, r2 = Line(D("100"), receipt_no="NO. 0012"), Line(D("999"), receipt_no="no-0012")
    m = match(filed(None, r1, household=11, member=5), filed(7, r2), EXACT)
    assert m is not None and m.kinds == ("receipt",) and m.receipts == ("NO0012",)


def test_same_file_hash_anywhere_is_a_repeat() -> None:
    m = match(filed(None, hashes=frozenset({"ab"}), household=99), filed(3, hashes=frozenset({"ab", "cd"})), EXACT)
    assert m is not None and m.kinds == ("file",)


def test_rejected_claims_block_only_when_configured() -> None:
    rejected = filed(7, BILL, status="rejected")
    assert match(filed(None, BILL), rejected, EXACT) is None
    assert match(filed(None, BILL), rejected, DuplicateRules(count_rejected=True)) is not None


def test_tolerances_are_the_configured_ones() -> None:
    later = Line(D("19400.50"), dt.date(2026, 1, 13))
    assert not lines_overlap(BILL, later, EXACT)
    assert not lines_overlap(BILL, later, DuplicateRules(amount_tolerance=D("1")))  # 3 days apart
    assert lines_overlap(BILL, later, DuplicateRules(amount_tolerance=D("1"), date_slack_days=3))
    term = Line(D("19400.00"), dt.date(2025, 9, 1), dt.date(2026, 1, 31))
    assert lines_overlap(BILL, term, EXACT)  # a single date inside a term's range


@given(lines(), lines(), st.integers(0, 30), st.decimals(min_value=0, max_value=100, places=2))
def test_overlap_is_symmetric(a: Line, b: Line, slack: int, tol: D) -> None:
    rules = DuplicateRules(amount_tolerance=tol, date_slack_days=slack)
    assert lines_overlap(a, b, rules) == lines_overlap(b, a, rules)


@given(lines())
def test_a_line_always_overlaps_itself(a: Line) -> None:
    assert lines_overlap(a, a, EXACT)


@given(dates, st.integers(0, 100), st.integers(1, 100), st.integers(0, 30))
def test_ranges_further_apart_than_the_slack_never_overlap(start: dt.date, length: int, gap: int, slack: int) -> None:
    end = start + dt.timedelta(days=length)
    other = end + dt.timedelta(days=slack + gap)
    assert not ranges_overlap(start, end, other, other + dt.timedelta(days=3), slack)
    assert ranges_overlap(start, end, end + dt.timedelta(days=slack), None, slack)


@given(st.text(max_size=30))
def test_receipt_key_is_idempotent(no: str) -> None:
    assert receipt_key(receipt_key(no)) == receipt_key(no)


@given(st.lists(lines(), min_size=1, max_size=4))
def test_a_claim_never_repeats_itself(ls: list[Line]) -> None:
    c = filed(5, *ls, hashes=frozenset({"x"}))
    assert duplicates(c, [c], EXACT) == []
