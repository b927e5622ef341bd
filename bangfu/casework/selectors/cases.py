"""Scoped reads of monitoring cases: the queue, one case with its steps, the steps a user may take,
overdue steps per township, notices, and a household's case history and measures."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import F, Prefetch, QuerySet

from bangfu.accounts.domain.roles import Cap
from bangfu.areas.selectors import area_by_code, scope_for
from bangfu.casework.domain.procedure import OPEN_STATES, STATE_LABELS, TABLE, Event, State
from bangfu.casework.models import Case, CaseAttachment, CaseEvent, Measure, Objection, PublicNotice
from bangfu.core.domain.workflow import Step
from bangfu.core.selectors import get_or_404
from bangfu.registry.selectors import household_get

if TYPE_CHECKING:
    from bangfu.accounts.models import User


CASE_CAPS = (Cap.CASE_ACCEPT, Cap.CASE_VILLAGE, Cap.CASE_APPROVE)


def cases_visible(user: User, cap: Cap = Cap.VIEW_PEOPLE) -> QuerySet[Case]:
    return Case.objects.filter(scope_for(user, cap).q(village="village_id", grid="household__grid_id"))


def case_get(user: User, pk: int) -> Case:
    case = get_or_404(cases_visible(user).select_related("household", "village"), pk)
    return case


def case_detail(user: User, pk: int) -> Case:
    """The case with its events, measures and notices in a fixed number of queries."""
    case = case_get(user, pk)
    events = (
        CaseEvent.objects.filter(case=case)
        .select_related("actor")
        .prefetch_related(Prefetch("attachments", queryset=CaseAttachment.objects.order_by("pk")))
    )
    case._events = list(events)
    case._measures = list(Measure.objects.filter(case=case))
    notices = PublicNotice.objects.filter(case=case).prefetch_related(
        Prefetch("objections", queryset=Objection.objects.order_by("received_on"))
    )
    case._notices = list(notices)
    return case


def attachment_get(user: User, pk: int) -> CaseAttachment:
    """An attachment of a case step, for those who see the case (404 otherwise)."""
    att = get_or_404(CaseAttachment.objects.filter(pk=pk, event__case__in=cases_visible(user)))
    return att


@dataclass(frozen=True)
class CaseFilter:
    state: str = ""
    overdue: bool = False
    village: str = ""


def case_page(user: User, f: CaseFilter, today: dt.date, page: int = 1, per_page: int = 50) -> Page[Case]:
    qs = cases_visible(user).select_related("village", "household").order_by("due_on", "-pk")
    if f.state:
        qs = qs.filter(state=f.state)
    if f.village:
        qs = qs.filter(village__code__startswith=f.village)  # FK attname refuses startswith on Django 6.1
    if f.overdue:
        qs = qs.filter(state__in=[s.value for s in OPEN_STATES], due_on__lt=today)
    return Paginator(qs, per_page).get_page(page)


def case_caps(user: User, case: Case) -> frozenset[str]:
    """Which case capabilities the user holds for this case's village."""
    return frozenset(c.value for c in CASE_CAPS if scope_for(user, c).covers_code(case.village_id))


def steps_allowed(user: User, case: Case) -> list[Step[State, Event]]:
    return TABLE.open_to(State(case.state), case_caps(user, case))


def overdue_by_township(user: User, today: dt.date) -> list[dict[str, Any]]:
    """Overdue open steps per township (the first 9 digits of the village code), with names."""
    qs = cases_visible(user).filter(state__in=[s.value for s in OPEN_STATES], due_on__lt=today)
    counts: dict[str, int] = defaultdict(int)
    for code in qs.values_list("village__code", flat=True):
        counts[code[:9] + "000"] += 1
    rows = []
    for code, n in sorted(counts.items()):
        area = area_by_code(code)
        rows.append({"code": code, "name": area.name if area else code, "overdue": n})
    return rows


def notice_get(user: User, pk: int) -> PublicNotice:
    notice = get_or_404(
        PublicNotice.objects.filter(case__in=cases_visible(user), pk=pk).select_related("case", "case__village")
    )
    return notice


def case_events_of(user: User, household_id: int) -> list[CaseEvent]:
    """Every procedure step of the household's cases, oldest first (404 outside the user's areas)."""
    h = household_get(user, household_id)
    qs = CaseEvent.objects.filter(case__in=cases_visible(user).filter(household=h))
    return list(qs.select_related("case").order_by("on", "pk"))


def measures_visible(user: User, village_prefix: str = "") -> QuerySet[Measure]:
    """Assistance measures of the cases the user sees, optionally under an area code prefix."""
    cases = cases_visible(user)
    if village_prefix:
        cases = cases.filter(village__code__startswith=village_prefix)  # FK attname refuses startswith
    return Measure.objects.filter(case__in=cases).select_related("case", "case__household", "case__village")


@dataclass(frozen=True)
class CaseTask:
    case: Case
    state_label: str
    overdue: bool
    can_act: bool  # the user may take its next step


def cases_waiting(user: User, today: dt.date, limit: int = 20) -> tuple[list[CaseTask], int]:
    """Reports and leads of the user's households still in the procedure (a lead waiting for the
    township, a case waiting for the village…), the earliest deadline first; and how many in all."""
    qs = cases_visible(user).filter(state__in=[s.value for s in OPEN_STATES])
    total = qs.count()
    rows = qs.select_related("household", "village").order_by(F("due_on").asc(nulls_last=True), "pk")[:limit]
    return [
        CaseTask(
            c,
            STATE_LABELS[State(c.state)],
            bool(c.due_on and c.due_on < today),
            bool(steps_allowed(user, c)),
        )
        for c in rows
    ], total
