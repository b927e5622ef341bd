"""The relocation KPI: every relocated household with labour has at least one member employed.

A household counts only if it has a member of working age (configured bounds) with labour
capacity who is not a student; households with no such member (or flagged as having no labour
as a whole) are excluded from the denominator, not counted as failures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bangfu.employment.domain.months import age_on

# Labour capacities that count as labour (registry codes); 丧失劳动力/无劳动力 do not.
LABOUR_CODES = frozenset({"普通劳动力", "技能劳动力", "弱劳动力或半劳动力"})


@dataclass(frozen=True)
class MemberFacts:
    member_id: int
    birth_date: dt.date
    labour: str
    in_school: bool
    employed: bool  # open contract, welfare post, or registry employment status counting as work


@dataclass(frozen=True)
class HouseholdFacts:
    household_id: int
    no_labour_flag: bool
    members: tuple[MemberFacts, ...]


@dataclass(frozen=True)
class WorkingAge:
    minimum: int
    maximum: int  # inclusive


@dataclass(frozen=True)
class Verdict:
    household_id: int
    has_labour: bool
    employed_members: int
    met: bool  # only meaningful when has_labour


def is_labour(m: MemberFacts, on: dt.date, age: WorkingAge) -> bool:
    return not m.in_school and m.labour in LABOUR_CODES and age.minimum <= age_on(m.birth_date, on) <= age.maximum


def evaluate(h: HouseholdFacts, on: dt.date, age: WorkingAge) -> Verdict:
    has_labour = not h.no_labour_flag and any(is_labour(m, on, age) for m in h.members)
    employed = sum(1 for m in h.members if m.employed)
    return Verdict(h.household_id, has_labour, employed, has_labour and employed > 0)


@dataclass(frozen=True)
class Summary:
    households: int
    with_labour: int
    met: int

    @property
    def rate(self) -> float | None:
        """Share met among households with labour; None when no household has labour."""
        return self.met / self.with_labour if self.with_labour else None


def summarise(verdicts: list[Verdict]) -> Summary:
    return Summary(len(verdicts), sum(v.has_labour for v in verdicts), sum(v.met for v in verdicts))


def action_list(verdicts: list[Verdict]) -> list[int]:
    """Households officers must act on: with labour and nobody employed."""
    return [v.household_id for v in verdicts if v.has_labour and not v.met]
