"""The national working-day calendar (国务院办公厅 holiday arrangements) as data, from `chinesecalendar`.

The package lists every public holiday (放假) and every make-up working day (调休上班) the State
Council announced, one year at a time; it is shipped as rows of casework's calendar table (a data
migration, and `bangfu calendar_national` after the package is upgraded for a new year). A
province or county adds its own days on top; this module only reads the package.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from chinese_calendar import constants

FESTIVALS = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


@dataclass(frozen=True)
class NationalDay:
    date: dt.date
    working: bool  # True: a weekend day worked in lieu (调休上班)
    name: str


def _zh(name: object) -> str:
    text = str(getattr(name, "value", name))
    return FESTIVALS.get(text, text)


def covered_years() -> range:
    """The years the installed package has arrangements for."""
    years = [d.year for d in constants.holidays]
    return range(min(years), max(years) + 1)


def national_days(years: Iterable[int] | None = None) -> list[NationalDay]:
    """Every national holiday and make-up working day of `years` (None: every year covered), by date."""
    wanted = set(covered_years() if years is None else years)
    out = [NationalDay(d, False, _zh(n)) for d, n in constants.holidays.items() if d.year in wanted]
    out += [NationalDay(d, True, f"{_zh(n)}调休上班") for d, n in constants.workdays.items() if d.year in wanted]
    return sorted(out, key=lambda x: x.date)
