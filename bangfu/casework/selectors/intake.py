"""Scoped reads for intake: who may open cases by hand, households to open one for, and the lead
queue per township."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from bangfu.accounts.domain.roles import Cap
from bangfu.areas.selectors import Place, area_names, scope_for
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


def leads_listed(user: User, place: Place | None = None, q: str = "") -> QuerySet[Case]:
    """Leads waiting for acceptance in the areas where the user accepts cases, narrowed to the place
    of the link and a search (unsorted: the list kit sorts and pages)."""
    qs = (
        cases_visible(user, Cap.CASE_ACCEPT)
        .filter(state=State.LEAD.value)
        .select_related("village", "village__parent", "household")
    )
    if place is not None:
        qs = qs.filter(place.q(village="village_id", grid="household__grid_id"))
    if q:
        qs = qs.filter(Q(household__head_name__contains=q) | Q(reporter_name__contains=q) | Q(household__number=q))
    return qs


@dataclass(frozen=True)
class LeadCount:
    code: str
    name: str
    waiting: int
    overdue: int


def leads_by_township(user: User, today: dt.date) -> list[LeadCount]:
    """Leads waiting and overdue per township of the user's areas (one grouped query and the names)."""
    counts: dict[str, list[int]] = {}
    for code, due in (
        cases_visible(user, Cap.CASE_ACCEPT).filter(state=State.LEAD.value).values_list("village_id", "due_on")
    ):
        row = counts.setdefault(str(code)[:9] + "000", [0, 0])
        row[0] += 1
        row[1] += bool(due and due < today)
    names = area_names(set(counts))
    return [LeadCount(code, names.get(code, code), n, late) for code, (n, late) in sorted(counts.items())]
