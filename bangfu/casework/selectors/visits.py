"""Scoped reads of grid work: a grid worker's households and what is due, visits of a household,
and visit compliance this period per grid worker, village and township."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bangfu.accounts.domain.roles import Cap
from bangfu.areas.selectors import area_by_code
from bangfu.casework.domain import visits as vdom
from bangfu.casework.models import Absence, Visit
from bangfu.casework.selectors.config import obligations_for
from bangfu.core.errors import NotFound
from bangfu.registry.selectors import households_visible

if TYPE_CHECKING:
    from bangfu.accounts.models import User
    from bangfu.registry.models import Household


@dataclass(frozen=True)
class HouseholdDue:
    household: Household
    monitored: bool
    standing: vdom.Standing | None  # None when no obligation is configured for its category
    last_visit: dt.date | None


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
        last = max((v.on for v in visits[h.pk]), default=None)
        out.append(HouseholdDue(h, monitored, st, last))
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
    h = households_visible(user, Cap.LOG_VISITS).select_related("village", "grid").filter(pk=pk).first()
    if h is None:
        raise NotFound()
    return h


def visits_of(user: User, household_id: int, limit: int = 20) -> list[Visit]:
    h = household_for_visit(user, household_id)
    return list(Visit.objects.filter(household=h).select_related("worker")[:limit])


def visit_with_photo(user: User, pk: int) -> Visit:
    """A visit whose photo the user may open: the household must be visible to them (404 otherwise)."""
    v = Visit.objects.filter(pk=pk, household__in=households_visible(user)).exclude(photo="").first()
    if v is None:
        raise NotFound()
    return v


@dataclass(frozen=True)
class ComplianceRow:
    key: str
    label: str
    households: int
    met: int

    @property
    def percent(self) -> str:
        return "—" if self.households == 0 else f"{100 * self.met / self.households:.0f}%"


def compliance_report(user: User, today: dt.date) -> dict[str, list[ComplianceRow]]:
    """Visit compliance this period per grid worker, village and township, within the user's areas."""
    qs = households_visible(user).filter(status="正常").select_related("village", "grid", "grid__worker")
    rows = _standings(list(qs), today)
    groups: dict[str, dict[tuple[str, str], list[vdom.Standing]]] = {
        "worker": defaultdict(list),
        "village": defaultdict(list),
        "township": defaultdict(list),
    }
    townships: dict[str, str] = {}
    for r in rows:
        if r.standing is None:
            continue
        h = r.household
        worker = h.grid.worker if h.grid and h.grid.worker else None
        groups["worker"][(str(worker.pk) if worker else "", str(worker) if worker else "（未分配网格员）")].append(
            r.standing
        )
        groups["village"][(h.village_id, h.village.name)].append(r.standing)
        tcode = h.village_id[:9] + "000"
        townships.setdefault(tcode, "")
        groups["township"][(tcode, tcode)].append(r.standing)
    out: dict[str, list[ComplianceRow]] = {}
    for level, table in groups.items():
        out[level] = []
        for (key, label), standings in sorted(table.items()):
            if level == "township":
                area = area_by_code(key)
                label = area.name if area else key
            c = vdom.compliance(standings)
            out[level].append(ComplianceRow(key, label, c.households, c.met))
    return out
