"""Scoped reads of monitoring cases: the queue, one case with its steps, the steps a user may take,
overdue steps per township, notices, and a household's case history and measures."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import F, Prefetch, Q, QuerySet
from django.urls import reverse

from bangfu.accounts.domain.roles import Cap
from bangfu.areas.selectors import Place, area_by_code, scope_for
from bangfu.casework.domain import codes, stepper
from bangfu.casework.domain.procedure import OPEN_STATES, STATE_LABELS, TABLE, WHO_LABELS, Event, Facts, State
from bangfu.casework.models import Case, CaseAttachment, CaseEvent, Measure, Objection, PublicNotice, Visit
from bangfu.casework.selectors.facts import case_facts
from bangfu.core.domain.text import gettext_noop as _
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
    """What a case list narrows to: a place from the link, a search, a state, a source, overdue only."""

    place: Place | None = None
    q: str = ""
    state: str = ""
    source: str = ""
    overdue: bool = False


def cases_listed(user: User, f: CaseFilter, today: dt.date) -> QuerySet[Case]:
    """The cases of the user's areas narrowed by `f` (unsorted: the list kit sorts and pages)."""
    qs = cases_visible(user).select_related("village", "village__parent", "household")
    if f.place is not None:
        qs = qs.filter(f.place.q(village="village_id", grid="household__grid_id"))
    if f.state:
        qs = qs.filter(state=f.state)
    if f.source:
        qs = qs.filter(source=f.source)
    if f.overdue:
        qs = qs.filter(state__in=[s.value for s in OPEN_STATES], due_on__lt=today)
    if f.q:
        qs = qs.filter(_case_search(f.q))
    return qs


def case_page(user: User, f: CaseFilter, today: dt.date, page: int = 1, per_page: int = 50) -> Page[Case]:
    """One page of `cases_listed`, the earliest deadline first (the API's list)."""
    return Paginator(cases_listed(user, f, today).order_by("due_on", "-pk"), per_page).get_page(page)


def _case_search(text: str) -> Q:
    """A case number (#12 or 12), the head's or reporter's name, or the household number."""
    number = text.lstrip("#")
    q = Q(household__head_name__contains=text) | Q(reporter_name__contains=text) | Q(household__number=text)
    if number.isdigit() and len(number) < 10:
        q |= Q(pk=int(number))
    return q


def case_caps(user: User, case: Case) -> frozenset[str]:
    """Which case capabilities the user holds for this case's village."""
    return frozenset(c.value for c in CASE_CAPS if scope_for(user, c).covers_code(case.village_id))


def steps_allowed(user: User, case: Case, facts: Facts | None = None) -> list[Step[State, Event]]:
    """The steps of the user's role from the case's state; given today's facts, only those that can be
    taken now (a review waiting for the end of the notice is not offered)."""
    steps = TABLE.open_to(State(case.state), case_caps(user, case))
    return [s for s in steps if facts is None or stepper.can_take_now(s, facts)]


@dataclass(frozen=True)
class Progress:
    """The case page's stepper: each track's steps, the steps this user can take now, and what the
    case waits for (the notice period, the elimination conditions) with whose step it is."""

    tracks: list[tuple[str, list[stepper.StepView]]]
    offered: list[Step[State, Event]]
    waits: list[stepper.Reason]
    waiting_for: tuple[str, ...]  # msgids of the offices that take the next step


def case_progress(user: User, case: Case, today: dt.date) -> Progress:
    """Built from the case's events (`case_detail` fetched them) and today's facts."""
    state = State(case.state)
    facts = case_facts(case, today, elimination=True)  # read only where a step waits for them
    ahead = TABLE.from_state(state)
    waits = stepper.blocked_by([s for s in ahead if s.event != Event.OBJECT], facts)
    done = [
        stepper.Done(e.event, e.from_state, e.day, _actor_name(e), e.pk)
        for e in case._events
        if e.from_state  # the opening has no step to tick
    ]
    tracks = [
        (stepper.TRACK_LABELS[t], stepper.stepper(t, state, done, case.due_on, waits))
        for t in stepper.tracks_shown(state)
    ]
    who = tuple(WHO_LABELS[w][0] for w in sorted(TABLE.waiting_for(state)) if w in WHO_LABELS)
    return Progress(tracks, steps_allowed(user, case, facts), waits, who)


def _actor_name(e: CaseEvent) -> str:
    return str(e.actor) if e.actor is not None else ""


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


def photos_of_case(user: User, case: Case) -> list[Visit]:
    """The photos of the visits whose risk report led to the case (the case is the user's already)."""
    return list(Visit.objects.filter(lead=case).exclude(photo="").select_related("worker").order_by("visited_on", "pk"))


@dataclass(frozen=True)
class Source:
    """Where a case came from, in words: the channel, and the record behind it with its day and link."""

    channel: str  # msgid of the channel (codes.SOURCES)
    record: str  # msgid with {on}/{pk}, "" when there is no record to name
    on: dt.date | None
    pk: int | None
    url: str


SOURCE_RECORDS = {"visit": _("走访记录（{on}）"), "warning": _("预警 #{pk}")}


def case_source(case: Case) -> Source:
    """`visit:15` becomes 走访记录（2026-11-03）, linked to the visit on the household page; a
    warning its page. A reference of another kind is named by its channel only (never as a code)."""
    kind, _sep, ref = case.source_ref.partition(":")
    channel = codes.SOURCES.get(case.source, "")
    if not ref.isdigit() or kind not in SOURCE_RECORDS:
        return Source(channel, "", None, None, "")
    pk = int(ref)
    if kind == "visit":
        hid = case.household_id
        visit = Visit.objects.filter(pk=pk, household_id=hid).only("visited_on").first() if hid else None
        if visit is None or hid is None:
            return Source(channel, "", None, None, "")
        url = reverse("registry:household_detail", args=[hid]) + f"#visit-{pk}"
        return Source(channel, SOURCE_RECORDS[kind], visit.visited_on, pk, url)
    url = reverse("monitoring:warning_detail", args=[pk]) if kind == "warning" else ""
    return Source(channel, SOURCE_RECORDS[kind], None, pk, url)
