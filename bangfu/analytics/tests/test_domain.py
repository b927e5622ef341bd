"""Pure rules of analytics, without the database."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from bangfu.analytics.domain.indicators import ancestor_codes, merge, rate, roll_up
from bangfu.analytics.domain.periods import month_ends
from bangfu.analytics.domain.timeline import Event, ordered
from bangfu.areas.domain.codes import level_of, prefix

villages = st.builds(
    lambda p, f, c, t, v: f"{p:02d}{f:02d}{c:02d}{t:03d}{v:03d}",
    st.integers(11, 12),
    st.integers(1, 2),
    st.integers(1, 2),
    st.integers(1, 3),
    st.integers(1, 4),
)
figures = st.dictionaries(
    villages,
    st.dictionaries(
        st.sampled_from([("households", "2025-03"), ("monitored", "2025-03")]),
        st.integers(0, 10_000).map(Decimal),
        min_size=1,
    ),
)


def test_ancestors_of_a_village():
    assert ancestor_codes("511133100201") == ["510000000000", "511100000000", "511133000000", "511133100000"]


@given(figures)
def test_every_level_sums_its_villages(by_village):
    rolled = roll_up(by_village)
    for code, cells in rolled.items():
        level = level_of(code)
        assert level is not None
        for cell, value in cells.items():
            under = [v for v in by_village if v.startswith(prefix(code, level))]
            assert value == sum((by_village[v].get(cell, Decimal(0)) for v in under), Decimal(0))


@given(figures)
def test_each_province_total_is_the_grand_total_of_its_villages(by_village):
    rolled = roll_up(by_village)
    grand = sum((c.get(("households", "2025-03"), Decimal(0)) for c in by_village.values()), Decimal(0))
    provinces = [code for code in rolled if code.endswith("0000000000")]
    assert sum((rolled[p].get(("households", "2025-03"), Decimal(0)) for p in provinces), Decimal(0)) == grand


def test_merge_keeps_every_source_key():
    merged = merge([{"511133100201": {("a", "2025"): Decimal(1)}}, {"511133100201": {("b", "2025"): Decimal(2)}}])
    assert merged == {"511133100201": {("a", "2025"): Decimal(1), ("b", "2025"): Decimal(2)}}


@given(st.integers(0, 10_000), st.integers(1, 10_000))
def test_rate_is_a_percentage_of_the_denominator(n, d):
    r = rate(Decimal(n), Decimal(d))
    assert r is not None and abs(r - Decimal(n) * 100 / Decimal(d)) <= Decimal("0.05")


def test_rate_without_denominator_is_none():
    assert rate(Decimal(3), Decimal(0)) is None


def test_month_ends_read_the_current_month_on_the_day():
    ends = month_ends(dt.date(2025, 3, 14), 3)
    assert ends == [
        ("2025-01", dt.date(2025, 1, 31)),
        ("2025-02", dt.date(2025, 2, 28)),
        ("2025-03", dt.date(2025, 3, 14)),
    ]


@given(st.dates(dt.date(2001, 1, 1), dt.date(2099, 12, 31)), st.integers(1, 30))
def test_month_ends_are_consecutive_and_end_on_as_of(as_of, n):
    ends = month_ends(as_of, n)
    assert len(ends) == n and ends[-1][1] == as_of
    for (_, a), (_, b) in itertools.pairwise(ends):
        assert (b.replace(day=1) - a).days == 1


def test_timeline_is_newest_first_and_stable_within_a_day():
    a = Event(on=dt.date(2025, 1, 5), kind="warning", title="预警")
    b = Event(on=dt.date(2025, 4, 2), kind="claim", title="理赔")
    c = Event(on=dt.date(2025, 1, 5), kind="visit", title="走访")
    assert ordered([a, b, c]) == [b, a, c]
