"""One bill is paid once: what counts as the same expense claimed again (重复报案).

A new claim repeats an earlier one when
- it is for the same person (the same member, or the same household when either claim names no member)
  and the same cause, and one of its expense lines overlaps an earlier line: amounts equal within the
  configured tolerance, and date ranges meeting within the configured slack (an undated line is
  compared on its amount alone); or
- it carries a receipt number already on an earlier claim (any household, scheme or year); or
- one of its documents has the same SHA-256 as an earlier claim's document.

The thresholds are county configuration (`Scheme.dup_*`), passed in as `DuplicateRules`.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class DuplicateRules:
    amount_tolerance: Decimal = Decimal("0")  # yuan; amounts this close are the same bill
    date_slack_days: int = 0  # ranges this many days apart still overlap
    count_rejected: bool = False  # whether a rejected claim's bills block a new claim


@dataclass(frozen=True)
class Line:
    amount: Decimal
    start: dt.date | None = None
    end: dt.date | None = None  # None: a single date
    receipt_no: str = ""

    @property
    def last(self) -> dt.date | None:
        return self.end or self.start


@dataclass(frozen=True)
class Filed:
    """A claim as duplicate detection sees it."""

    claim_id: int | None
    household_id: int
    member_id: int | None
    cause: str
    lines: tuple[Line, ...] = ()
    hashes: frozenset[str] = frozenset()
    status: str = ""


@dataclass(frozen=True)
class Match:
    claim_id: int
    line_pairs: tuple[tuple[int, int], ...] = ()  # (new line index, earlier line index), 0-based
    receipts: tuple[str, ...] = ()
    hashes: tuple[str, ...] = field(default=())

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(
            k for k, v in (("expense", self.line_pairs), ("receipt", self.receipts), ("file", self.hashes)) if v
        )


def receipt_key(no: str) -> str:
    """Receipt numbers compare without case, spaces, dashes or full-width forms ('NO. 0012' = 'no0012')."""
    text = unicodedata.normalize("NFKC", no).upper()
    return "".join(ch for ch in text if ch.isalnum())


def ranges_overlap(
    a_start: dt.date | None, a_end: dt.date | None, b_start: dt.date | None, b_end: dt.date | None, slack: int
) -> bool:
    if a_start is None or b_start is None:
        return True  # an undated line cannot be told apart by date
    a_end, b_end = a_end or a_start, b_end or b_start
    gap = dt.timedelta(days=slack)
    return a_start <= b_end + gap and b_start <= a_end + gap


def lines_overlap(a: Line, b: Line, rules: DuplicateRules) -> bool:
    return abs(a.amount - b.amount) <= rules.amount_tolerance and ranges_overlap(
        a.start, a.last, b.start, b.last, rules.date_slack_days
    )


def same_person(a: Filed, b: Filed) -> bool:
    if a.member_id is not None and b.member_id is not None:
        return a.member_id == b.member_id
    return a.household_id == b.household_id


def match(new: Filed, earlier: Filed, rules: DuplicateRules) -> Match | None:
    """How `new` repeats `earlier`, or None."""
    if earlier.claim_id is None or earlier.claim_id == new.claim_id:
        return None
    if earlier.status == "rejected" and not rules.count_rejected:
        return None
    pairs: tuple[tuple[int, int], ...] = ()
    if new.cause == earlier.cause and same_person(new, earlier):
        pairs = tuple(
            (i, j) for i, a in enumerate(new.lines) for j, b in enumerate(earlier.lines) if lines_overlap(a, b, rules)
        )
    mine = {receipt_key(ln.receipt_no) for ln in new.lines} - {""}
    theirs = {receipt_key(ln.receipt_no) for ln in earlier.lines} - {""}
    receipts = tuple(sorted(mine & theirs))
    hashes = tuple(sorted(new.hashes & earlier.hashes))
    if not (pairs or receipts or hashes):
        return None
    return Match(earlier.claim_id, pairs, receipts, hashes)


def duplicates(new: Filed, earlier: Iterable[Filed], rules: DuplicateRules) -> list[Match]:
    """Every earlier claim that `new` repeats, in the order given."""
    return [m for e in earlier if (m := match(new, e, rules)) is not None]
