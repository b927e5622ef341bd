"""Scoped reads for intake: who may open cases by hand, households to open one for, and the lead
queue per township."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bangfu.accounts.domain.roles import Cap
from bangfu.areas.selectors import scope_for
from bangfu.casework.domain.procedure import State
from bangfu.casework.models import Case
from bangfu.casework.selectors.cases import cases_visible
from bangfu.core.errors import Forbidden
from bangfu.core.selectors import get_or_404
from bangfu.registry.selectors import HouseholdFilter, household_search, households_visible

if TYPE_CHECKING:
    from bangfu.accounts.models import User
    from bangfu.registry.models import Household


def require_case_intake(user: User) -> None:
    """Only officers who accept cases (township, county) open them by hand and work the lead queue."""
    if scope_for(user, Cap.CASE_ACCEPT).empty:
        raise Forbidden(
            "只有乡镇、县级干部可以登记和受理线索", "Only township and county officers record and accept leads"
        )


def households_for_intake(user: User, text: str, limit: int = 20) -> list[Household]:
    """Households matching name, number or full ID within the areas where the user accepts cases."""
    scope = scope_for(user, Cap.CASE_ACCEPT)
    qs = household_search(user, HouseholdFilter(text=text)).filter(scope.q(village="village_id", grid=None))
    return list(qs.select_related("village", "village__parent").order_by("number")[:limit])


def household_for_intake(user: User, pk: int) -> Household:
    h = get_or_404(households_visible(user, Cap.CASE_ACCEPT), pk)
    return h


@dataclass(frozen=True)
class LeadRow:
    case: Case
    urgency: str  # "overdue", "today" (accept today), or "" (time left)


@dataclass(frozen=True)
class LeadGroup:
    code: str
    name: str
    rows: list[LeadRow]

    @property
    def overdue(self) -> int:
        return sum(r.urgency == "overdue" for r in self.rows)


def lead_queue(user: User, today: dt.date) -> list[LeadGroup]:
    """Leads waiting for acceptance, per township, the earliest deadline first (two queries)."""
    qs = (
        cases_visible(user, Cap.CASE_ACCEPT)
        .filter(state=State.LEAD.value)
        .select_related("village", "village__parent", "household")
        .order_by("due_on", "pk")
    )
    groups: dict[str, LeadGroup] = {}
    for case in qs:
        township = case.village.parent
        key = township.code if township else case.village_id
        group = groups.setdefault(key, LeadGroup(key, township.name if township else key, []))
        urgency = "" if case.due_on is None or case.due_on > today else "today"
        group.rows.append(LeadRow(case, "overdue" if case.due_on and case.due_on < today else urgency))
    return sorted(groups.values(), key=lambda g: g.code)
