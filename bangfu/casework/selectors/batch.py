"""Batch counts per village or grid for the indicator jobs (analytics); never returned to a user."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Case as Case_
from django.db.models import Count, Exists, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce

from bangfu.areas.selectors import Where, under_code_q, where_q
from bangfu.casework.domain import visits as vdom
from bangfu.casework.domain.procedure import OPEN_STATES
from bangfu.casework.models import Absence, Case, Visit, VisitObligation
from bangfu.casework.selectors.config import _in_force
from bangfu.registry.selectors import batch_households


def _visit_count(period: str, as_of: dt.date, in_person_only: bool) -> Any:
    start, end = vdom.period_bounds(period, as_of)
    qs = Visit.objects.filter(household=OuterRef("pk"), visited_on__gte=start, visited_on__lte=end)
    if in_person_only:
        qs = qs.filter(mode="in_person")
    return Coalesce(Subquery(qs.values("household").annotate(n=Count("id")).values("n")[:1]), 0)


def _done(row: dict[str, Any], ob: vdom.Obligation) -> int:
    return int(row[f"{ob.period}_{'all' if ob.phone_counts else 'in'}"])


def village_counts(as_of: dt.date, *, prefix: Where = "", by: str = "village") -> list[tuple[str, str, Decimal]]:
    """(village code or grid id, key, value): "cases.overdue" open steps past their due date, and
    "visits.due"/"visits.met" households with a visit obligation this period and those that met it
    (the same rule as compliance_report, counted in two grouped queries plus the obligations).

    by="grid" groups by the household's grid. For batch indicator jobs, never returned to a user.
    """
    out: list[tuple[str, str, Decimal]] = []
    column = "village_id" if by == "village" else "household__grid_id"
    cases = Case.objects.filter(state__in=[s.value for s in OPEN_STATES], due_on__lt=as_of)
    if prefix:
        cases = cases.filter(where_q("village_id", prefix))
    for row in cases.exclude(**{f"{column}__isnull": True}).values(column).annotate(n=Count("id")).order_by():
        out.append((str(row[column]), "cases.overdue", Decimal(row["n"])))
    return out + _visit_counts(as_of, prefix, "village_id" if by == "village" else "grid_id")


def _batch_obligations(village_codes: set[str], on: dt.date) -> dict[str, dict[str, vdom.Obligation]]:
    """obligations_for with the ancestors taken from the code itself (12/9/6/4/2 leading digits)
    instead of walking the area tree, so a province costs one query, not one per village."""
    chains = {v: list(dict.fromkeys(v[:n].ljust(12, "0") for n in (12, 9, 6, 4, 2))) for v in village_codes}
    wanted = {c for chain in chains.values() for c in chain}
    rows = list(_in_force(VisitObligation.objects.filter(area_id__in=wanted), on).order_by("-effective_from"))
    by_area: dict[str, list[VisitObligation]] = defaultdict(list)
    for r in rows:
        by_area[r.area_id].append(r)
    out: dict[str, dict[str, vdom.Obligation]] = {}
    for village, chain in chains.items():
        found: dict[str, vdom.Obligation] = {}
        for code in reversed(chain):  # general first, specific overrides (as obligations_for)
            for r in by_area[code]:
                found[r.category] = vdom.Obligation(r.category, r.visits, r.period, r.phone_counts)
        out[village] = found
    return out


def _visit_counts(as_of: dt.date, prefix: Where, column: str) -> list[tuple[str, str, Decimal]]:
    # Count only the (period, phone counts) combinations some obligation in force uses: each is a
    # correlated count per household, the costly part of the query.
    combos = sorted(set(_in_force(VisitObligation.objects.all(), as_of).values_list("period", "phone_counts")))
    if not combos:
        return []
    done = {f"{period}_{'all' if phone else 'in'}": _visit_count(period, as_of, not phone) for period, phone in combos}
    groups = (
        batch_households(prefix)
        .exclude(**{f"{column}__isnull": True})
        .annotate(
            is_monitored=Case_(
                When(Q(monitoring_type__gt="", risk_eliminated_on__isnull=True), then=True), default=False
            ),
            is_absent=Exists(Absence.objects.filter(household=OuterRef("pk"))),
            **done,
        )
        .values(column, "village_id", "is_monitored", "is_absent", *done)
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = list(groups)
    obligations = _batch_obligations({r["village_id"] for r in rows}, as_of)
    due: dict[str, int] = defaultdict(int)
    met: dict[str, int] = defaultdict(int)
    for r in rows:
        category = vdom.category_of(monitored=bool(r["is_monitored"]), absent=bool(r["is_absent"]))
        ob = obligations.get(r["village_id"], {}).get(category)
        if ob is None:  # no obligation configured for this category: not counted, as on the report
            continue
        unit = str(r[column])
        due[unit] += r["n"]
        met[unit] += r["n"] if _done(r, ob) >= ob.visits else 0
    return [(u, "visits.due", Decimal(n)) for u, n in due.items()] + [(u, "visits.met", Decimal(met[u])) for u in due]


def villages_dated(after: dt.date, until: dt.date, prefix: str = "") -> set[str]:
    """Areas whose figures may move between two days without a write: an open case step falling due on
    a day in [after, until] (by its village), and a visit obligation coming into or going out of force
    then (by the area it was set for: every village under it)."""
    cases = Case.objects.filter(state__in=[s.value for s in OPEN_STATES], due_on__range=(after, until))
    if prefix:
        cases = cases.filter(under_code_q("village_id", prefix))
    codes = {str(v) for v in cases.values_list("village_id", flat=True).distinct()}
    changed = Q(effective_from__range=(after, until)) | Q(effective_to__range=(after, until))
    return codes | {str(a) for a in VisitObligation.objects.filter(changed).values_list("area_id", flat=True)}
