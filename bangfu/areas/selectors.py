"""Area scoping: the one place that decides which areas, grids and households a user may see.

Pages, API, exports and search all filter through `scope_for(user, cap)`. A write or a page about one
place asks `require(actor, cap, code)`: NotFound outside the actor's areas (reveals nothing), Forbidden
inside them without the capability (docs/conventions.md, "Access").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from bangfu.accounts.domain.administration import refusal
from bangfu.accounts.domain.roles import CAPABILITIES, GRID_SCOPED, Cap, Role
from bangfu.accounts.selectors import memberships as accounts
from bangfu.areas.domain.codes import SIGNIFICANT, Level, level_of, parent_code
from bangfu.areas.models import Area, Grid, GridWorkerTerm
from bangfu.core.errors import Forbidden, NotFound
from bangfu.core.rows import Columns
from bangfu.core.selectors import get_or_404

if TYPE_CHECKING:
    from bangfu.accounts.models import Membership, User


def _code_range(prefix: str) -> tuple[str, str]:
    """Codes under a prefix as a range, so the index is used on SQLite and PostgreSQL alike."""
    return prefix, prefix + "9" * (15 - len(prefix))


def under_code_q(field: str, prefix: str) -> Q:
    """Rows whose code `field` lies under the area prefix (an index range, not LIKE: ADR 2)."""
    low, high = _code_range(prefix)
    return Q(**{f"{field}__gte": low, f"{field}__lte": high})


# Where a batch count looks: a code prefix ("" = everywhere), or a tuple of exact area codes (the
# villages an incremental indicator refresh recounts).
Where = str | tuple[str, ...]


def where_q(field: str, where: Where) -> Q:
    """Rows whose code `field` lies under the prefix, or is one of the codes of the tuple."""
    if isinstance(where, tuple):
        return Q(**{f"{field}__in": where})
    return under_code_q(field, where) if where else Q()


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    prefixes: tuple[str, ...] = ()
    grid_ids: tuple[int, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.everything or self.prefixes or self.grid_ids)

    def q(self, village: str = "village_id", grid: str | None = "grid_id") -> Q:
        """Filter for rows whose village code field is `village` and grid id field is `grid`."""
        if self.everything:
            return Q()
        q = Q(pk__in=[])
        for p in self.prefixes:
            q |= under_code_q(village, p)
        if grid and self.grid_ids:
            q |= Q(**{f"{grid}__in": self.grid_ids})
        return q

    def covers_code(self, code: str) -> bool:
        return self.everything or any(code.startswith(p) for p in self.prefixes)

    def covers(self, village_code: str, grid_id: int | None) -> bool:
        """The row of this village and grid is one `q()` selects (checked in Python, after a read by key)."""
        return self.covers_code(village_code) or (grid_id is not None and grid_id in self.grid_ids)


def scope_for(user: User, cap: Cap = Cap.VIEW_PEOPLE) -> Scope:
    """Areas (and, for grid workers, grids) in which `user` holds a role with `cap`."""
    if not getattr(user, "is_authenticated", False):
        return Scope()
    if user.is_superuser:
        return Scope(everything=True)
    key = f"_bangfu_scope_{cap.value}"
    if hasattr(user, key):
        cached: Scope = getattr(user, key)
        return cached

    def compute(memberships: list[Membership]) -> Scope:
        prefixes: set[str] = set()
        grid_scoped = False
        for m in memberships:
            role = Role(m.role)
            if cap not in CAPABILITIES[role]:
                continue
            if role in GRID_SCOPED:
                grid_scoped = True
            else:
                prefixes.add(m.area.code[: SIGNIFICANT[Level(m.area.level)]])
        grids: tuple[int, ...] = ()
        if grid_scoped:
            grids = tuple(Grid.objects.filter(worker=user).values_list("pk", flat=True))
        return Scope(prefixes=tuple(sorted(_outermost(prefixes))), grid_ids=grids)

    # per process, until the user's access changes (a grid's worker too: accounts.signals)
    scope: Scope = accounts.derived(user, key, compute)
    setattr(user, key, scope)
    return scope


def field_worker(user: User) -> bool:
    """Grid workers and village cadres (people scope no wider than villages, may log visits): they work
    from a phone, and their home is the task list with the bottom tab bar (issue #15)."""
    if not getattr(user, "is_authenticated", False) or user.is_superuser:
        return False
    if not scope_for(user, Cap.LOG_VISITS).grid_ids and not scope_for(user, Cap.LOG_VISITS).prefixes:
        return False
    scope = scope_for(user, Cap.VIEW_PEOPLE)
    return all(len(p) >= SIGNIFICANT[Level.VILLAGE] for p in scope.prefixes)


def refuse_unless(*, allowed: bool, visible: bool, zh: str, en: str) -> None:
    """The 404/403 rule of docs/conventions.md in one place: nothing happens when `allowed`; an object
    or place the actor may see (`visible`) but not act on is Forbidden (`zh`/`en` say why and what to
    do); anything else is NotFound, so a refusal never reveals that the object exists."""
    if allowed:
        return
    if visible:
        raise Forbidden(zh, en)
    raise NotFound()


def require(
    actor: User | None,
    cap: Cap,
    code: str,
    *,
    grid_id: int | None = None,
    seen: Cap = Cap.VIEW_PEOPLE,
    zh: str = "",
    en: str = "",
) -> None:
    """The access decision for acting on a place: the area or village `code` (and, for a grid worker,
    the household's `grid_id`).

    Returns when `actor` holds both `seen` and `cap` over the place. Raises Forbidden when the actor
    holds `seen` there (the place is visible) but not `cap`, and NotFound when the place lies outside
    the actor's `seen` scope. `seen` is VIEW_PEOPLE for people data; the market and insurance pages use
    VIEW_REPORTS. `zh`/`en` replace the default refusal, which names the missing right in words.
    `actor=None` is the system (the demo loader, a service whose caller has checked already).
    """
    if actor is None:
        return

    def covers(scope: Scope) -> bool:
        return scope.covers_code(code) or (grid_id is not None and grid_id in scope.grid_ids)

    visible = covers(scope_for(actor, seen))
    if not (zh and en):
        default = refusal(frozenset({cap}))
        zh, en = default.zh, default.en
    refuse_unless(allowed=visible and covers(scope_for(actor, cap)), visible=visible, zh=zh, en=en)


def require_somewhere(actor: User, cap: Cap) -> None:
    """A page or list for a capability the actor holds in no area does not exist for them: NotFound
    (it reveals nothing). Which area the capability must cover is still `require`'s question."""
    if not accounts.has_cap(actor, cap):
        raise NotFound()


def _outermost(prefixes: set[str]) -> set[str]:
    return {p for p in prefixes if not any(p != o and p.startswith(o) for o in prefixes)}


def areas_visible(user: User, *, level: Level | None = None, cap: Cap = Cap.VIEW_PEOPLE) -> QuerySet[Area]:
    scope = scope_for(user, cap)
    qs = Area.objects.filter(scope.q(village="code", grid=None))
    if scope.grid_ids:
        villages = Grid.objects.filter(pk__in=scope.grid_ids).values("village_id")
        qs = Area.objects.filter(scope.q(village="code", grid=None) | Q(code__in=villages))
    if level:
        qs = qs.filter(level=level.value)
    return qs.order_by("code")


def grids_visible(user: User, *, cap: Cap = Cap.VIEW_PEOPLE) -> QuerySet[Grid]:
    scope = scope_for(user, cap)
    return Grid.objects.filter(scope.q(village="village_id", grid="pk")).select_related("village", "worker")


def area_get(user: User, code: str, *, cap: Cap = Cap.VIEW_PEOPLE) -> Area:
    area = get_or_404(areas_visible(user, cap=cap), code=code)
    return area


def grid_get(user: User, grid_id: int, *, cap: Cap = Cap.VIEW_PEOPLE) -> Grid:
    grid = get_or_404(grids_visible(user, cap=cap), grid_id)
    return grid


def area_by_code(code: str) -> Area | None:
    """Unscoped look-up for services validating input (never returned to a user as such)."""
    return Area.objects.filter(code=code).first()


def area_names(codes: set[str]) -> dict[str, str]:
    """Names of the given area codes (labels for rows the caller may already see)."""
    return dict(Area.objects.filter(code__in=codes).values_list("code", "name"))


def grid_by_code(code: str) -> Grid | None:
    return Grid.objects.filter(code=code).select_related("village").first()


def area_with_ancestors(code: str) -> Area | None:
    """The area of `code` with its parents fetched in the same query (ancestors() then reads none): the
    codes its digits imply, one indexed IN on one table (a chain of self-joins costs PostgreSQL
    milliseconds to plan). A parent the digits do not imply is read as before, through the key."""
    codes, here, level = [code], code, level_of(code)
    while level is not None and (up := parent_code(here, level)) is not None:
        codes.append(up)
        here, level = up, level_of(up)
    by_pk = {a.pk: a for a in Area.objects.filter(code__in=codes)}
    area = next((a for a in by_pk.values() if a.code == code), None)
    node = area
    while node is not None and node.parent_id is not None and node.parent_id in by_pk:
        node.parent = by_pk[node.parent_id]
        node = node.parent
    return area


def ancestors(area: Area) -> list[Area]:
    chain: list[Area] = []
    node = area.parent
    while node is not None:
        chain.append(node)
        node = node.parent
    return list(reversed(chain))


def grid_in_village(grid_id: int, village_code: str) -> Grid | None:
    return Grid.objects.filter(pk=grid_id, village__code=village_code).first()


def grids_of_worker(user_id: int, under: str = "") -> list[Grid]:
    """Grids the worker looks after now, optionally only under an area prefix (unscoped: for the
    accounts service handing them over when the worker leaves)."""
    qs = Grid.objects.filter(worker_id=user_id).select_related("village")
    if under:
        qs = qs.filter(under_code_q("village_id", under))
    return list(qs.order_by("code"))


def grid_ids_worked(user_id: int) -> set[int]:
    """Grids the worker looks after now or looked after before (GridWorkerTerm), unscoped: to tell a
    worker that a household of theirs has moved away (core.errors.MovedAway)."""
    now = set(Grid.objects.filter(worker_id=user_id).values_list("pk", flat=True))
    return now | set(GridWorkerTerm.objects.filter(worker_id=user_id).values_list("grid_id", flat=True))


def grids_of_village(code: str) -> list[Grid]:
    """The village's grids with their workers, unscoped: the caller has checked the village is the
    user's (the village poster names each grid's worker and phone)."""
    return list(Grid.objects.filter(village__code=code).select_related("worker").order_by("code"))


def grid_worker_usernames(village_codes: list[str]) -> dict[str, list[str]]:
    """village code → usernames of the active grid workers holding their role there (for templates)."""
    out: dict[str, list[str]] = {}
    for code in village_codes:
        out[code] = []
    for m in accounts.grid_worker_memberships(village_codes):
        out.setdefault(m[0], []).append(m[1])
    return out


# --- the place a list is narrowed to, from its link ------------------------------------------------

PLACE_PARAMS = ("area", "township", "village", "grid")


@dataclass(frozen=True)
class Place:
    """The area or grid a list shows, named by its link: `?area=` (a code of any level) or the older
    `?township=`, `?village=`, `?grid=` (a grid id) that dashboard tiles and bookmarks still carry."""

    param: str
    value: str
    name: str
    prefix: str = ""
    grid_id: int | None = None

    def q(self, village: str = "village_id", grid: str | None = "grid_id") -> Q:
        """The rows of this place: `village` is the path to the row's village code, `grid` to its grid id
        (a list without grids passes None, and a grid then narrows to the grid's village)."""
        if self.grid_id is not None and grid is not None:
            return Q(**{grid: self.grid_id})
        return under_code_q(village, self.prefix)


def place_in_query(user: User, params: object, *, cap: Cap = Cap.VIEW_PEOPLE) -> Place | None:
    """The place the query string names, checked against the user's areas: None when it names none,
    NotFound when it names one the user may not see (a link from another county reveals nothing)."""
    get = getattr(params, "get", None)
    for param in PLACE_PARAMS:
        value = str(get(param) or "").strip() if get else ""
        if not value:
            continue
        if param == "grid":
            if not value.isdigit():
                raise NotFound()
            g = grid_get(user, int(value), cap=cap)
            return Place(param, value, f"{g.village.name} {g.name}", g.village.prefix, g.pk)
        area = area_get(user, value, cap=cap)
        parent = area.parent.name if area.parent and area.level == Level.VILLAGE.value else ""
        return Place(param, value, f"{parent} {area.name}".strip(), area.prefix)
    return None


def county_codes() -> list[str]:
    """Every county's code: the units of the nightly batch work (system use, unscoped)."""
    return list(Area.objects.filter(level=Level.COUNTY.value).order_by("code").values_list("code", flat=True))


def village_codes(prefix: str = "") -> list[str]:
    """Every village's code under a prefix ("" = all), for batch work (system use, unscoped)."""
    qs = Area.objects.filter(level=Level.VILLAGE.value)
    if prefix:
        qs = qs.filter(under_code_q("code", prefix))
    return list(qs.order_by("code").values_list("code", flat=True))


def grid_ids_in(villages: Iterable[str]) -> dict[int, str]:
    """grid id → village code of the grids of these villages (system use, unscoped)."""
    out: dict[int, str] = {}
    codes = sorted(set(villages))
    for i in range(0, len(codes), 500):
        rows = Grid.objects.filter(**{"village_id__in": codes[i : i + 500]}).values_list("pk", "village_id")
        out.update((pk, str(village)) for pk, village in rows)
    return out


def codes_above_counties() -> list[str]:
    """Prefectures and provinces: the areas a county-by-county batch sums up at its end (system use)."""
    above = [Level.PROVINCE.value, Level.PREFECTURE.value]
    return list(Area.objects.filter(level__in=above).order_by("code").values_list("code", flat=True))


def area_columns(alias: str) -> Columns[Area]:
    """An area's columns for another app's hand-written read that joins areas (core/rows.py)."""
    return Columns(Area, alias)


def grid_columns(alias: str) -> Columns[Grid]:
    """A grid's columns for another app's hand-written read that joins grids (core/rows.py)."""
    return Columns(Grid, alias)
