"""The coded reasons for ending a contract or a post, and the months a shortened post covers."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bangfu.employment.domain import endings

D = dt.date


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (D(2025, 1, 1), D(2025, 12, 31), 12),
        (D(2025, 1, 1), D(2025, 2, 28), 2),
        (D(2025, 1, 15), D(2025, 1, 15), 1),  # a single day still falls in a month of service
        (D(2025, 1, 15), D(2025, 3, 10), 3),
        (D(2025, 11, 1), D(2026, 1, 31), 3),
    ],
)
def test_months_covered_counts_calendar_months_touched(start: dt.date, end: dt.date, months: int) -> None:
    assert endings.months_covered(start, end) == months


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2040, 1, 1)), st.integers(min_value=0, max_value=400))
def test_a_later_end_never_covers_fewer_months(start: dt.date, days: int) -> None:
    end = start + dt.timedelta(days=days)
    assert 1 <= endings.months_covered(start, end) <= endings.months_covered(start, end + dt.timedelta(days=31))


def test_reason_lists_are_coded_with_both_languages_and_other_needs_a_note() -> None:
    for reasons in (endings.CONTRACT_END_REASONS, endings.POST_END_REASONS):
        codes = [r.code for r in reasons]
        assert len(set(codes)) == len(codes) and all(len(c) <= 20 for c in codes)  # fits the model field
        assert [r.code for r in reasons if r.needs_note] == ["other"]
        zh, en = endings.listed(reasons)
        assert all(r.zh in zh and r.code in en for r in reasons)
    assert endings.find(endings.CONTRACT_END_REASONS, "workshop_closed") is not None
    assert endings.find(endings.CONTRACT_END_REASONS, "assessment_failed") is None  # a post's, not a contract's
