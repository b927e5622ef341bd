"""Visit obligations and compliance (网格走访), pure: which households still need a visit this period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Obligation:
    category: str  # monitored / ordinary / absent
    visits: int  # required contacts per period
    period: str  # month / quarter
    phone_counts: bool  # whether a phone call counts as a contact


@dataclass(frozen=True)
class VisitFact:
    on: dt.date
    mode: str  # in_person / phone


@dataclass(frozen=True)
class Standing:
    category: str
    required: int
    done: int
    period_start: dt.date
    period_end: dt.date

    @property
    def remaining(self) -> int:
        return max(self.required - self.done, 0)

    @property
    def met(self) -> bool:
        return self.done >= self.required


def period_bounds(period: str, on: dt.date) -> tuple[dt.date, dt.date]:
    if period == "quarter":
        first_month = (on.month - 1) // 3 * 3 + 1
        start = on.replace(month=first_month, day=1)
        months = 3
    else:
        start = on.replace(day=1)
        months = 1
    year, month = divmod(start.month - 1 + months, 12)
    end = dt.date(start.year + year, month + 1, 1) - dt.timedelta(days=1)
    return start, end


def category_of(*, monitored: bool, absent: bool) -> str:
    """Monitored households are visited as monitored even when away: their risk comes first."""
    if monitored:
        return "monitored"
    return "absent" if absent else "ordinary"


def standing(obligation: Obligation, visits: Iterable[VisitFact], on: dt.date) -> Standing:
    start, end = period_bounds(obligation.period, on)
    done = sum(1 for v in visits if start <= v.on <= end and (obligation.phone_counts or v.mode == "in_person"))
    return Standing(obligation.category, obligation.visits, done, start, end)


@dataclass(frozen=True)
class Compliance:
    households: int
    met: int

    @property
    def rate(self) -> float | None:
        """Share of households whose obligation is met; display only, never stored."""
        return None if self.households == 0 else self.met / self.households


def compliance(standings: Iterable[Standing]) -> Compliance:
    rows = list(standings)
    return Compliance(len(rows), sum(1 for s in rows if s.met))
