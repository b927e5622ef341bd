"""Scoped reads of grid work: a grid worker's households and what is due, visits of a household,
and visit compliance this period per grid worker, village and township."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from bangfu.accounts.domain.roles import Cap
from bangfu.areas.selectors import Place, area_by_code, area_names
from bangfu.casework.domain import visits as vdom
from bangfu.casework.domain.procedure import STATE_LABELS, STATE_LABELS_EN, State
from bangfu.casework.models import Absence, Visit
from bangfu.casework.selectors.config import obligations_for
from bangfu.core.errors import MovedAway, NotFound
from bangfu.core.i18n import in_language
from bangfu.core.selectors import get_or_404
from bangfu.registry.selectors import household_left, households_visible

if TYPE_CHECKING:
    from bangfu.accounts.models import User
    from bangfu.registry.models import Household


@dataclass(frozen=True)
class HouseholdDue:
    household: Household
    monitored: bool
    standing: vdom.Standing | None  # None when no obligation is configured for its category
    last_visit: dt.date | None
    obligation: vdom.Obligation | None = None
    previous: vdom.Standing | None = None  # the period before this one

    @property
    def overdue(self) -> bool:
        """Behind: the last period's visits were not all made, and this period's are not done either."""
        return bool(self.standing and self.standing.remaining and self.previous and self.previous.remaining)

    def due_within(self, today: dt.date, days: int) -> bool:
        return bool(self.standing and self.standing.remaining and (self.standing.period_end - today).days < days)


def _standings(households: list[Household], today: dt.date) -> list[HouseholdDue]:
    """Fetch visits, absences and obligations for all the households at once, then compute."""
    ids = [h.pk for h in households]
    since = vdom.period_bounds("quarter", today)[0] - dt.timedelta(days=366)
    visits: dict[int, list[vdom.VisitFact]] = defaultdict(list)
    for hid, on, mode in Visit.objects.filter(household_id__in=ids, visited_on__gte=since).values_list(
        "household_id", "visited_on", "mode"
    ):
        visits[hid].append(vdom.VisitFact(on, mode))
    absent = set(Absence.objects.filter(household_id__in=ids).values_list("household_id", flat=True))
    obligations = obligations_for({h.village_id for h in households}, today)
    out: list[HouseholdDue] = []
    for h in households:
        monitored = bool(h.monitoring_type) and h.risk_eliminated_on is None
        category = vdom.category_of(monitored=monitored, absent=h.pk in absent)
        ob = obligations.get(h.village_id, {}).get(category)
        st = vdom.standing(ob, visits[h.pk], today) if ob else None
        prev = vdom.standing(ob, visits[h.pk], st.period_start - dt.timedelta(days=1)) if ob and st else None
        last = max((v.on for v in visits[h.pk]), default=None)
        out.append(HouseholdDue(h, monitored, st, last, ob, prev))
    return out


def my_households(user: User, today: dt.date) -> list[HouseholdDue]:
    """The grid worker's households: monitored first, then those with visits still due, oldest visit first."""
    qs = households_visible(user, Cap.LOG_VISITS).filter(grid__worker=user).select_related("village", "grid")
    rows = _standings(list(qs.order_by("number")), today)
    return sorted(
        rows,
        key=lambda r: (
            not r.monitored,
            -(r.standing.remaining if r.standing else 0),
            r.last_visit or dt.date.min,
        ),
    )


def household_for_visit(user: User, pk: int) -> Household:
    """The household the user may log a visit for; `moved_away` (409) when it was theirs and was moved
    to another grid or village meanwhile (a visit queued offline), 404 otherwise."""
    h = households_visible(user, Cap.LOG_VISITS).select_related("village", "grid").filter(pk=pk).first()
    if h is None:
        if household_left(user, pk):
            raise MovedAway("这次走访", "the visit")
        raise NotFound()
    return h


def household_due(household: Household, today: dt.date) -> HouseholdDue:
    """One household's visit rule and standing today (after a visit: what it counted towards)."""
    return _standings([household], today)[0]


def visits_of(user: User, household_id: int, limit: int = 20) -> list[Visit]:
    h = household_for_visit(user, household_id)
    return list(Visit.objects.filter(household=h).select_related("worker")[:limit])


def visit_with_photo(user: User, pk: int) -> Visit:
    """A visit whose photo the user may open: the household must be visible to them (404 otherwise)."""
    v = get_or_404(Visit.objects.filter(pk=pk, household__in=households_visible(user)).exclude(photo=""))
    return v


@dataclass(frozen=True)
class ComplianceRow:
    key: str
    label: str
    households: int
    met: int

    @property
    def rate(self) -> float:
        """Share met, for sorting (a row without households sorts first)."""
        return -1.0 if self.households == 0 else self.met / self.households

    @property
    def percent(self) -> str:
        return "—" if self.households == 0 else f"{100 * self.met / self.households:.0f}%"


UNASSIGNED = "（未分配网格员）"


def compliance_report(user: User, today: dt.date, place: Place | None = None) -> dict[str, list[ComplianceRow]]:
    """Visit compliance this period per grid worker, village and township, within the user's areas
    (narrowed to `place`, the area or grid of the link). A fixed number of queries whatever the size:
    the households, their visits, absences and obligations, the townships' names."""
    qs = households_visible(user).filter(status="正常").select_related("village", "grid", "grid__worker")
    if place is not None:
        qs = qs.filter(place.q(village="village_id", grid="grid_id"))
    rows = _standings(list(qs), today)
    groups: dict[str, dict[tuple[str, str], list[vdom.Standing]]] = {
        "worker": defaultdict(list),
        "village": defaultdict(list),
        "township": defaultdict(list),
    }
    for r in rows:
        if r.standing is None:
            continue
        h = r.household
        worker = h.grid.worker if h.grid and h.grid.worker else None
        groups["worker"][(str(worker.pk) if worker else "", str(worker) if worker else UNASSIGNED)].append(r.standing)
        groups["village"][(h.village_id, h.village.name)].append(r.standing)
        tcode = h.village_id[:9] + "000"
        groups["township"][(tcode, tcode)].append(r.standing)
    names = area_names({key for key, _label in groups["township"]})
    out: dict[str, list[ComplianceRow]] = {}
    for level, table in groups.items():
        out[level] = []
        for (key, label), standings in sorted(table.items()):
            c = vdom.compliance(standings)
            shown = names.get(key, key) if level == "township" else label
            out[level].append(ComplianceRow(key, shown, c.households, c.met))
    return out


@dataclass(frozen=True)
class VisitOutcome:
    """The feedback after a visit: what it counted towards, what is still due, the lead it opened."""

    message_zh: str
    message_en: str
    data: dict[str, Any]


def visit_outcome(visit: Visit, household: Household, today: dt.date) -> VisitOutcome:
    """Read right after `services.visit_log` in the same request (the visit is the actor's own)."""
    due = household_due(household, today)
    effect = vdom.visit_effect(due.obligation, visit.mode, visit.visited_on, due.standing)
    parts_zh = [f"已记录对{household.head_name}户的走访"]
    parts_en = [f"Visit to {household.head_name}'s household saved"]
    if effect.counted:
        cat = vdom.CATEGORY_NAMES.get(due.standing.category, ("", ""))[0] if due.standing else ""
        parts_zh.append(f"计入{cat}走访要求")
        parts_en.append("it counts for the visit rule")
    elif effect.counted is False:
        parts_zh.append(effect.why_not_zh)
        parts_en.append(effect.why_not_en)
    parts_zh.append(effect.due_zh)
    parts_en.append(effect.due_en)
    lead = _lead_of(visit)
    if lead:
        parts_zh.append(lead["message_zh"])
        parts_en.append(lead["message_en"])
    st = due.standing
    data = {
        "visit_id": visit.pk,
        "household_id": household.pk,
        "visited_on": visit.visited_on.isoformat(),
        "mode": visit.mode,
        "counted": effect.counted,
        "why_not_counted_zh": effect.why_not_zh,
        "why_not_counted_en": effect.why_not_en,
        "standing": None
        if st is None or due.obligation is None
        else {
            "category": st.category,
            "required": st.required,
            "done": st.done,
            "remaining": st.remaining,
            "period_start": st.period_start.isoformat(),
            "period_end": st.period_end.isoformat(),
            "phone_counts": due.obligation.phone_counts,
        },
        "lead": {k: v for k, v in lead.items() if not k.startswith("message")} if lead else None,
    }
    return VisitOutcome("；".join(parts_zh) + "。", "; ".join(parts_en) + ".", data)


def _lead_of(visit: Visit) -> dict[str, Any] | None:
    case = visit.lead
    if case is None:
        return None
    new = case.source_ref == f"visit:{visit.pk}"
    state = State(case.state)
    township = area_by_code(case.village_id[:9] + "000")
    where = township.name if township else ""
    if new:
        due = f"，{case.due_on.month}月{case.due_on.day}日前受理" if case.due_on else ""
        zh = f"已提交风险线索#{case.pk}，由{where}乡镇干部受理{due}"
        en = f"risk lead #{case.pk} opened; {where} township officers will take it up" + (
            f" by {case.due_on.isoformat()}" if case.due_on else ""
        )
        handled_zh, handled_en = f"{where}乡镇干部", f"{where} township officers"
    else:
        zh = f"情况已记入该户的监测案件#{case.pk}（{STATE_LABELS[state]}）"
        en = f"the findings were added to the household's case #{case.pk} ({STATE_LABELS_EN[state]})"
        handled_zh, handled_en = STATE_LABELS[state], STATE_LABELS_EN[state]
    return {
        "case_id": case.pk,
        "new": new,
        "state": case.state,
        "due_on": case.due_on.isoformat() if case.due_on else None,
        "handled_by_zh": handled_zh,
        "handled_by_en": handled_en,
        "message_zh": zh,
        "message_en": en,
    }


@dataclass(frozen=True)
class VisitTask:
    due: HouseholdDue
    overdue: bool
    reason_zh: str
    reason_en: str

    @property
    def reason(self) -> str:
        return in_language(self.reason_zh, self.reason_en)


WEEK = 7
CADRE_HOUSEHOLDS_MAX = 300  # a village cadre's phone list: the village's households without a grid worker


def households_to_look_after(user: User, today: dt.date) -> list[HouseholdDue]:
    """The households on the user's phone: a grid worker's own grids; for a village cadre, the
    households of their villages whose grid has no worker (or no grid) — nobody else visits those."""
    qs = (
        households_visible(user, Cap.LOG_VISITS)
        .filter(Q(grid__worker=user) | Q(grid__isnull=True) | Q(grid__worker__isnull=True))
        .filter(status="正常")
        .select_related("village", "grid")
        .order_by("number")
    )
    return _standings(list(qs[:CADRE_HOUSEHOLDS_MAX]), today)


def visit_tasks(
    rows: list[HouseholdDue], today: dt.date, within_days: int | None = WEEK
) -> tuple[list[VisitTask], int]:
    """Visits overdue or due within `within_days` (None: all due this period), most urgent first (overdue,
    monitored, period end, oldest visit), each with the reason; and how many more are due later."""
    tasks: list[VisitTask] = []
    later = 0
    for r in rows:
        if not (r.standing and r.standing.remaining and r.obligation):
            continue
        if r.overdue or within_days is None or r.due_within(today, within_days):
            zh, en = vdom.due_reason(r.obligation, r.standing, today)
            if r.overdue and r.previous:
                zh = f"上期未完成（{r.previous.done}/{r.previous.required}），{zh}"
                en = f"last period not met ({r.previous.done}/{r.previous.required}); {en}"
            tasks.append(VisitTask(r, r.overdue, zh, en))
        else:
            later += 1
    tasks.sort(
        key=lambda t: (
            not t.overdue,
            not t.due.monitored,
            t.due.standing.period_end if t.due.standing else today,
            t.due.last_visit or dt.date.min,
        )
    )
    return tasks, later


def visits_by(user: User, limit: int = 20) -> list[Visit]:
    """The user's own latest visits, to households they still see."""
    qs = Visit.objects.filter(worker=user, household__in=households_visible(user, Cap.LOG_VISITS))
    return list(qs.select_related("household", "lead").order_by("-visited_on", "-pk")[:limit])
