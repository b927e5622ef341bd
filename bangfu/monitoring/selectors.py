"""Scoped reads of monitoring: warnings by role (county sees its county, a grid worker their grids)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, Q, QuerySet, Value, When

from bangfu.accounts.domain.roles import Cap
from bangfu.areas.selectors import scope_for, under_code_q
from bangfu.core.errors import MovedAway, NotFound
from bangfu.core.selectors import get_or_404
from bangfu.monitoring.domain.lifecycle import ACTIVE, ASSIGNED, OPEN
from bangfu.monitoring.models import FeedBatch, ScreeningRun, Warning, WarningEvent
from bangfu.registry.selectors import household_left

if TYPE_CHECKING:
    from bangfu.accounts.models import User


def warnings_visible(user: User) -> QuerySet[Warning]:
    return Warning.objects.filter(scope_for(user, Cap.HANDLE_WARNINGS).q(village="village_code", grid="grid_id"))


@dataclass(frozen=True)
class WarningFilter:
    status: str = "active"  # "active", "all" or one state
    rule: str = ""
    village: str = ""


def warning_page(user: User, f: WarningFilter, page: int = 1, per_page: int = 50) -> Page[Warning]:
    """One page of warnings with their household: count + one joined query, whatever the county's size."""
    qs = warnings_visible(user)
    if f.status == "active":
        qs = qs.filter(status__in=ACTIVE)
    elif f.status != "all":
        qs = qs.filter(status=f.status)
    if f.rule:
        qs = qs.filter(rule_code=f.rule)
    if f.village:
        qs = qs.filter(village_code__startswith=f.village)
    qs = qs.select_related("household", "assigned_to").order_by("-created", "-pk")
    return Paginator(qs, per_page).get_page(page)


def warning_get(user: User, pk: int) -> Warning:
    w = get_or_404(warnings_visible(user).select_related("household", "assigned_to"), pk)
    return w


def warnings_to_verify(user: User, limit: int = 20) -> tuple[list[Warning], int]:
    """Warnings waiting for a visit (open or assigned) in the user's grids or villages: those assigned
    to the user first, then the oldest; and how many in all."""
    qs = warnings_visible(user).filter(status__in=(OPEN, ASSIGNED))
    mine = Case(When(assigned_to=user, then=Value(0)), default=Value(1))
    rows = qs.select_related("household").annotate(mine=mine).order_by("mine", "created", "pk")[:limit]
    return list(rows), qs.count()


def warning_for_action(user: User, pk: int) -> Warning:
    """The warning to act on; `moved_away` (409) when its household was the user's and was moved to
    another grid meanwhile (an action queued offline), 404 otherwise."""
    try:
        return warning_get(user, pk)
    except NotFound:
        household_id = Warning.objects.filter(pk=pk).values_list("household_id", flat=True).first()
        if household_id is not None and household_left(user, household_id):
            raise MovedAway("这次核实", "the verification") from None
        raise


def warning_events(user: User, pk: int) -> QuerySet[WarningEvent]:
    return WarningEvent.objects.filter(warning=warning_get(user, pk)).select_related("actor")


def warning_counts(user: User) -> dict[str, int]:
    rows = warnings_visible(user).filter(status__in=ACTIVE).values("rule_name").annotate(n=Count("pk"))
    return {r["rule_name"]: r["n"] for r in rows}


def warnings_of_household(user: User, household_id: int) -> QuerySet[Warning]:
    return warnings_visible(user).filter(household_id=household_id).order_by("-created")


def batches_visible(user: User) -> QuerySet[FeedBatch]:
    """A department officer sees what they delivered; officers see the deliveries for their areas."""
    officer = scope_for(user, Cap.HANDLE_WARNINGS)
    return FeedBatch.objects.filter(Q(uploaded_by=user) | officer.q(village="area_id", grid=None)).select_related(
        "uploaded_by"
    )


def batch_get(user: User, pk: int) -> FeedBatch:
    b = get_or_404(batches_visible(user), pk)
    return b


def runs_visible(user: User) -> QuerySet[ScreeningRun]:
    scope = scope_for(user, Cap.CONFIGURE)
    if scope.everything:
        return ScreeningRun.objects.all()
    return ScreeningRun.objects.filter(area_code__in=[p.ljust(12, "0") for p in scope.prefixes])


def active_warning(household_id: int, rule_code: str) -> Warning | None:
    """Unscoped, for other modules' services (the demo loader, casework): the household's active warning."""
    return Warning.objects.filter(household_id=household_id, rule_code=rule_code, status__in=ACTIVE).first()


def village_counts(as_of: dt.date, *, prefix: str = "", by: str = "village") -> list[tuple[str, str, Decimal]]:
    """(village code or grid id, key, value): "warnings.new" raised this month up to `as_of`, and
    "warnings.open" still waiting for a decision, by the warning's village (or grid). One grouped query.

    For batch indicator jobs (ADR 0005), never returned to a user.
    """
    column = "village_code" if by == "village" else "grid_id"
    qs = Warning.objects.exclude(**{f"{column}__isnull": True})
    if prefix:
        qs = qs.filter(under_code_q("village_code", prefix))
    start = dt.date(as_of.year, as_of.month, 1)
    rows = (
        qs.values(column)
        .annotate(
            new=Count("id", filter=Q(as_of__gte=start, as_of__lte=as_of)), open=Count("id", filter=Q(status__in=ACTIVE))
        )
        .order_by()
    )
    out: list[tuple[str, str, Decimal]] = []
    for r in rows:
        out += [
            (str(r[column]), "warnings.new", Decimal(r["new"])),
            (str(r[column]), "warnings.open", Decimal(r["open"])),
        ]
    return out
