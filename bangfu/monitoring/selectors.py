"""Scoped reads of monitoring: warnings by role (county sees its county, a grid worker their grids)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from bangfu.accounts.domain.roles import Cap, Role
from bangfu.accounts.selectors import memberships_of
from bangfu.areas.domain.codes import Level
from bangfu.areas.selectors import (
    Scope,
    Where,
    area_names,
    areas_visible,
    grids_visible,
    scope_for,
    under_code_q,
    where_q,
)
from bangfu.casework import selectors as casework
from bangfu.casework.domain.procedure import OPEN_STATES
from bangfu.core.domain.workflow import Step
from bangfu.core.errors import MovedAway, NotFound
from bangfu.core.selectors import get_or_404
from bangfu.monitoring.domain import lifecycle
from bangfu.monitoring.domain.feeds import SINGLE_PATH_LIMIT, SPECS, FeedSpec
from bangfu.monitoring.domain.lifecycle import ACTIVE, ASSIGNED, OPEN
from bangfu.monitoring.models import FeedBatch, FeedRow, ScreeningRun, Warning, WarningEvent
from bangfu.registry import selectors as registry
from bangfu.registry.selectors import household_left

if TYPE_CHECKING:
    from bangfu.accounts.models import User


def warnings_visible(user: User) -> QuerySet[Warning]:
    return Warning.objects.filter(scope_for(user, Cap.HANDLE_WARNINGS).q(village="village_code", grid="grid_id"))


def with_rule_en(qs: QuerySet[Warning]) -> QuerySet[Warning]:
    """Each warning's rule name in English (`rule_en`), from the rule set it was raised under: the
    Chinese name is stored on the warning, the English one stays with the rule (shown by `Warning.rule`)."""
    the_rule = FilteredRelation("ruleset__rules", condition=Q(ruleset__rules__code=F("rule_code")))
    return qs.annotate(the_rule=the_rule).annotate(rule_en=F("the_rule__en"))


def with_sentence(qs: QuerySet[Warning]) -> QuerySet[Warning]:
    """`with_rule_en`, plus what each warning's Chinese sentence is made of on read (display.explanation)
    in the same query: the rule's conditions, its rule set's parameters and the decided warning it came
    back after. A page of warnings costs no query more per warning."""
    terms = {"rule_when": F("the_rule__when"), "rule_params": F("ruleset__params")}
    return with_rule_en(qs).annotate(**terms).select_related("previous")


PERIODS = ("7", "30", "month", "year")  # the warning-date filter: last 7 or 30 days, this month, this year


@dataclass(frozen=True)
class WarningFilter:
    """What the list shows: the API passes status and rule; the page adds its area, grid, search,
    period and the delivery it came from (all already checked against the user's areas)."""

    status: str = "active"  # "active", "" or "all" (everything), or one state
    rule: str = ""
    place: Q | None = None  # areas.Place.q(village="village_code", grid="grid_id")
    grid_id: int | None = None
    q: str = ""  # the head's name or the household number (its beginning)
    since: dt.date | None = None
    batch: int | None = None  # the warnings a department delivery led to


def warnings_filtered(user: User, f: WarningFilter) -> QuerySet[Warning]:
    """The user's warnings narrowed by `f`, with their household (and the rule's English name)."""
    qs = warnings_visible(user)
    if f.status == "active":
        qs = qs.filter(status__in=ACTIVE)
    elif f.status not in ("", "all"):
        qs = qs.filter(status=f.status)
    if f.rule:
        qs = qs.filter(rule_code=f.rule)
    if f.place is not None:
        qs = qs.filter(f.place)
    if f.grid_id is not None:
        qs = qs.filter(grid_id=f.grid_id)
    if f.q:
        qs = qs.filter(Q(household__head_name__startswith=f.q) | Q(household__number__startswith=f.q))
    if f.since is not None:
        qs = qs.filter(as_of__gte=f.since)
    if f.batch is not None:
        batch = batch_get(user, f.batch)
        qs = qs.filter(household_id__in=FeedRow.objects.filter(batch=batch).values("household_id"))
        qs = qs.filter(created__gte=batch.created)
    return with_sentence(qs).select_related("household", "assigned_to")


def warning_page(user: User, f: WarningFilter, page: int = 1, per_page: int = 50) -> Page[Warning]:
    """One page of warnings, newest first (the API's list): count + one joined query."""
    qs = warnings_filtered(user, f).order_by("-created", "-pk")
    return Paginator(qs, per_page).get_page(page)


def since_of(period: str, today: dt.date) -> dt.date | None:
    """The first day of a PERIODS choice."""
    if period in ("7", "30"):
        return today - dt.timedelta(days=int(period) - 1)
    if period == "month":
        return today.replace(day=1)
    if period == "year":
        return today.replace(month=1, day=1)
    return None


def rule_choices(user: User) -> list[RuleCount]:
    """Every rule the user's warnings were raised on (the rule filter), with how many in all."""
    rows = (
        with_rule_en(warnings_visible(user))
        .values("rule_code")
        .annotate(n=Count("pk", distinct=True), zh=Max("rule_name"), en=Max("rule_en"))
        .order_by("rule_code")
    )
    return [RuleCount(r["rule_code"], r["zh"], r["en"] or "", r["n"]) for r in rows]


def area_choices(user: User, limit: int = 400) -> list[tuple[str, str]]:
    """The townships and villages the user handles warnings in, village names after their township's
    (ordered by code, so each township's villages follow it); townships only when there are too many."""
    levels = [Level.TOWNSHIP.value, Level.VILLAGE.value]
    areas = list(
        areas_visible(user, cap=Cap.HANDLE_WARNINGS).filter(level__in=levels).select_related("parent")[: limit + 1]
    )
    if len(areas) > limit:
        areas = [a for a in areas if a.level == Level.TOWNSHIP.value]
    return [
        (a.code, a.name if a.level == Level.TOWNSHIP.value else f"{a.parent.name if a.parent else ''} {a.name}")
        for a in areas
    ]


def grid_choices(user: User, prefix: str = "", limit: int = 400) -> list[tuple[str, str]]:
    """The grids the user handles warnings in, within the chosen area (its code prefix) when there is one."""
    grids = grids_visible(user, cap=Cap.HANDLE_WARNINGS).order_by("village_id", "code")
    if prefix:
        grids = grids.filter(under_code_q("village_id", prefix))
    return [(str(g.pk), f"{g.village.name} {g.name}") for g in grids[:limit]]


def place_names(user: User, rows: list[Warning]) -> dict[str, str]:
    """Names of the villages, their townships and the grids (`grid:<id>`) of warnings the user sees."""
    villages = {w.village_code for w in rows}
    names = area_names(villages | {v[:9].ljust(12, "0") for v in villages})
    grids = grids_visible(user, cap=Cap.HANDLE_WARNINGS).filter(pk__in={w.grid_id for w in rows if w.grid_id})
    return names | {f"grid:{g.pk}": g.name for g in grids}


def warning_get(user: User, pk: int) -> Warning:
    w = get_or_404(with_sentence(warnings_visible(user)).select_related("household", "assigned_to"), pk)
    return w


def covers(scope: Scope, w: Warning) -> bool:
    return bool(scope.covers_code(w.village_code) or w.grid_id in scope.grid_ids)


def caps_over(user: User, w: Warning) -> set[str]:
    """The capabilities of the lifecycle table the user holds over this warning's household."""
    return {cap for cap in lifecycle.TABLE.who() if covers(scope_for(user, Cap(cap)), w)}


def grid_worker_of(user: User, w: Warning) -> User | None:
    """The worker of the warning's grid (whom `assign` assigns it to), as the user sees the grid."""
    if w.grid_id is None:
        return None
    grid = grids_visible(user, cap=Cap.HANDLE_WARNINGS).filter(pk=w.grid_id).first()
    return grid.worker if grid is not None else None


def steps_offered(user: User, w: Warning) -> list[Step[str, str]]:
    """The steps the page offers this user: those their role may take from the warning's state. The
    household's own grid worker verifies directly (the table allows it from `open`), so assigning the
    warning to himself is not offered to him."""
    steps = lifecycle.TABLE.open_to(w.status, caps_over(user, w))
    worker = grid_worker_of(user, w)
    if worker is not None and worker.pk == user.pk:
        steps = [s for s in steps if s.event != "assign"]
    return steps


@dataclass(frozen=True)
class HouseholdContext:
    """What a cadre deciding on a warning wants to know of the household, in brief."""

    size: int
    members: list[str]
    statement_year: int | None
    per_capita: Decimal | None
    net_income: Decimal | None
    open_cases: list[Any]  # casework Case rows still open


def household_context(user: User, w: Warning) -> HouseholdContext:
    members = registry.members_of(user, w.household_id).filter(active=True)
    statement = registry.statements_of(user, w.household_id).first()
    cases = casework.cases_visible(user).filter(household_id=w.household_id, state__in=[s.value for s in OPEN_STATES])
    return HouseholdContext(
        size=w.household.size,
        members=[m.name for m in members],
        statement_year=statement.year if statement else None,
        per_capita=statement.per_capita if statement else None,
        net_income=statement.net_income if statement else None,
        open_cases=list(cases.order_by("pk")),
    )


def warnings_to_verify(user: User, limit: int = 20) -> tuple[list[Warning], int]:
    """Warnings waiting for a visit (open or assigned) in the user's grids or villages: those assigned
    to the user first, then the oldest; and how many in all."""
    qs = warnings_visible(user).filter(status__in=(OPEN, ASSIGNED))
    mine = Case(When(assigned_to=user, then=Value(0)), default=Value(1))
    rows = with_sentence(qs).select_related("household").annotate(mine=mine).order_by("mine", "created", "pk")[:limit]
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


@dataclass(frozen=True)
class RuleCount:
    code: str
    zh: str
    en: str
    n: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "en", self.en[:1].upper() + self.en[1:])  # a label, as Warning.rule


def warning_counts(user: User, place: Q | None = None) -> list[RuleCount]:
    """Active warnings per rule (the chips at the top of the list), in the list's place when it has
    one, the most frequent first."""
    qs = warnings_visible(user).filter(status__in=ACTIVE)
    if place is not None:
        qs = qs.filter(place)
    rows = (
        with_rule_en(qs)
        .values("rule_code")
        .annotate(n=Count("pk", distinct=True), zh=Max("rule_name"), en=Max("rule_en"))
        .order_by("-n", "rule_code")
    )
    return [RuleCount(r["rule_code"], r["zh"], r["en"] or "", r["n"]) for r in rows]


def warnings_of_household(user: User, household_id: int) -> QuerySet[Warning]:
    return warnings_visible(user).filter(household_id=household_id).order_by("-created")


def feed_specs_for(user: User) -> list[FeedSpec]:
    """The feed types the user may deliver: those of their department (a 医保 officer sends the
    medical settlements, not the death register)."""
    departments = [m.organisation for m in memberships_of(user) if m.role == Role.DEPT_OFFICER]
    return [s for s in SPECS.values() if any(s.department in d for d in departments)]


class _CountOf(Subquery):
    """The number of rows a subquery returns, as a column."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _n)"
    output_field = IntegerField()


@dataclass(frozen=True)
class Delivery:
    """A delivery and what it found: the households its rows matched, the warnings raised on them
    since, and whether the screening that follows it has run (at once for a small delivery, by the
    worker for a large one)."""

    batch: FeedBatch
    households: int
    new_warnings: int
    screened: bool


def batches_with_outcome(user: User, limit: int = 100) -> list[Delivery]:
    """The deliveries the user sees, newest first, each with its outcome."""
    return _with_outcome(batches_visible(user)[:limit])


def _with_outcome(qs: QuerySet[FeedBatch]) -> list[Delivery]:
    households = FeedRow.objects.filter(batch_id=OuterRef("pk")).values("household_id").distinct()
    of_batch = FeedRow.objects.filter(batch_id=OuterRef(OuterRef("pk"))).values("household_id")
    new = Warning.objects.filter(created__gte=OuterRef("created"), household_id__in=of_batch).values("pk")
    # any run since: the delivery's own (trigger "feed") or a later full screening covers its households
    screened = ScreeningRun.objects.filter(started__gte=OuterRef("created"), finished__isnull=False)
    rows = qs.annotate(households=_CountOf(households), new_warnings=_CountOf(new), run=Exists(screened))
    return [
        # a small delivery is screened in its own transaction (services._rescreen)
        Delivery(b, b.households, b.new_warnings, b.households <= SINGLE_PATH_LIMIT or b.run)
        for b in rows
    ]


def batch_outcome(batch_id: int) -> Delivery:
    """One delivery with its outcome, for the message after its upload."""
    return _with_outcome(FeedBatch.objects.filter(pk=batch_id))[0]


def handles_warnings(user: User) -> bool:
    """Whether the user handles warnings somewhere (the feed page then links a delivery's warnings)."""
    return not scope_for(user, Cap.HANDLE_WARNINGS).empty


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


def village_counts(as_of: dt.date, *, prefix: Where = "", by: str = "village") -> list[tuple[str, str, Decimal]]:
    """(village code or grid id, key, value): "warnings.new" raised this month up to `as_of`, and
    "warnings.open" still waiting for a decision, by the warning's village (or grid). One grouped query.

    For batch indicator jobs (ADR 0005), never returned to a user.
    """
    column = "village_code" if by == "village" else "grid_id"
    qs = Warning.objects.exclude(**{f"{column}__isnull": True})
    if prefix:
        qs = qs.filter(where_q("village_code", prefix))
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


def villages_dated(after: dt.date, until: dt.date, prefix: str = "") -> set[str]:
    """Villages with a warning dated in [after, until] (it enters "new this month" without a write)."""
    qs = Warning.objects.filter(as_of__range=(after, until))
    if prefix:
        qs = qs.filter(under_code_q("village_code", prefix))
    return {str(v) for v in qs.values_list("village_code", flat=True).distinct()}
