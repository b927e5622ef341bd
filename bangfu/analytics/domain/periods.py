"""Periods of cached indicators: "2025" for a year's flows, "2025-03" for a month's state."""

from __future__ import annotations

import datetime as dt


def year_of(day: dt.date) -> str:
    return f"{day.year:04d}"


def month_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_ends(as_of: dt.date, months: int) -> list[tuple[str, dt.date]]:
    """The last `months` months up to `as_of`, oldest first, each with the day its state is read.

    The current month is read on `as_of` itself (its end has not come yet).
    """
    out: list[tuple[str, dt.date]] = []
    year, month = as_of.year, as_of.month
    for _ in range(months):
        first_next = dt.date(year + (month == 12), month % 12 + 1, 1)
        out.append((f"{year:04d}-{month:02d}", min(as_of, first_next - dt.timedelta(days=1))))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(out))
