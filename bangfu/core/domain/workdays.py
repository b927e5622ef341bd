"""Working-day arithmetic for procedure deadlines. Holidays are data passed in by the caller."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection


def is_working_day(day: dt.date, holidays: Collection[dt.date] = (), workdays: Collection[dt.date] = ()) -> bool:
    """Weekends are off unless listed as make-up working days (调休); holidays are off."""
    if day in workdays:
        return True
    return day.weekday() < 5 and day not in holidays


def add_working_days(
    start: dt.date, days: int, holidays: Collection[dt.date] = (), workdays: Collection[dt.date] = ()
) -> dt.date:
    """The date that is `days` working days after `start` (start itself not counted)."""
    current = start
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if is_working_day(current, holidays, workdays):
            remaining -= 1
    return current


def working_days_between(
    start: dt.date, end: dt.date, holidays: Collection[dt.date] = (), workdays: Collection[dt.date] = ()
) -> int:
    """Working days after start up to and including end (0 when end <= start)."""
    n = 0
    current = start
    while current < end:
        current += dt.timedelta(days=1)
        if is_working_day(current, holidays, workdays):
            n += 1
    return n
