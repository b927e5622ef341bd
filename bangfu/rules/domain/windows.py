"""Which dates and which income year a screening at `as_of` looks at (the domain brief §1.3)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bangfu.registry.domain.income import Purpose, income_year


@dataclass(frozen=True)
class Window:
    start: dt.date  # first day counted (inclusive)
    end: dt.date  # last day counted (inclusive)
    income_year: int  # the latest complete statement year; its line is the one compared


def window_for(kind: str, as_of: dt.date) -> Window:
    """Department amounts (medical, school, disaster…) are summed over the window; income is yearly.

    Income statements are kept per calendar year, so both windows compare the statement that
    `registry.domain.income.income_year` names for screening (the last complete year) with that
    year's monitoring line; the window decides which bills count:
    the current year to date, or the rolling 12 months ending on `as_of` (Anhui practice).
    """
    rolling = _minus_months(as_of, 12) + dt.timedelta(days=1)
    start = dt.date(as_of.year, 1, 1) if kind == "calendar_year" else rolling
    return Window(start=start, end=as_of, income_year=income_year(Purpose.SCREENING, as_of))


def _minus_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.year * 12 + d.month - 1 - months, 12)
    last_day = [31, 29 if y % 4 == 0 and (y % 100 or y % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return dt.date(y, m + 1, min(d.day, last_day[m]))
