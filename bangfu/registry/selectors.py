"""Scoped reads of the registry. Every function takes the acting user first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db import router
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext, gettext_noop

from bangfu.accounts.domain.roles import Cap
from bangfu.accounts.selectors import has_cap
from bangfu.areas.selectors import (
    Where,
    area_columns,
    grid_columns,
    grid_ids_worked,
    scope_for,
    under_code_q,
    where_q,
)
from bangfu.core import crypto
from bangfu.core.domain.idnumber import InvalidIdNumber, parse
from bangfu.core.errors import Forbidden, NotFound
from bangfu.core.i18n import in_language
from bangfu.core.models import AuditEvent
from bangfu.core.rows import Columns, fetch
from bangfu.core.selectors import get_or_404
from bangfu.core.services import pii_view_log
from bangfu.registry.domain.codes import MONITORING_TYPE, SERIOUS_HEALTH
from bangfu.registry.models import GuaranteeCheck, Household, IncomeStatement, Member, ResettlementSite

if TYPE_CHECKING:
    from bangfu.accounts.models import User

FLAG_FILTERS: dict[str, dict[str, Any]] = {
    "poverty_exited": {"poverty_exited": True},
    "monitored": {"monitoring_type__gt": ""},
    "dibao": {"dibao": True},
    "tekun": {"tekun": True},
    "relocated": {"relocated": True},
    "relocated_unplaced": {"relocated": True, "relocation_site__isnull": True},
    "no_labour": {"no_labour": True},
}


def households_visible(user: User, cap: Cap = Cap.VIEW_PEOPLE) -> QuerySet[Household]:
    return Household.objects.filter(scope_for(user, cap).q())


@dataclass(frozen=True)
class HouseholdFilter:
    text: str = ""  # name, household number or full ID number
    village: str = ""
    grid: int | None = None
    flag: str = ""
    monitoring_type: str = ""
    batch: int | None = None  # the households an Excel import created (its audit event's id)


def household_search(user: User, f: HouseholdFilter) -> QuerySet[Household]:
    qs = households_visible(user)
    if f.batch is not None:
        qs = qs.filter(pk__in=_imported_by(f.batch))
    if f.village:
        qs = qs.filter(under_code_q("village_id", f.village))
    if f.grid:
        qs = qs.filter(grid_id=f.grid)
    if f.flag in FLAG_FILTERS:
        qs = qs.filter(**FLAG_FILTERS[f.flag])
    if f.monitoring_type:
        qs = qs.filter(monitoring_type=f.monitoring_type)
    text = f.text.strip()
    if text:
        qs = _text_filter(qs, text)
    return qs


def _imported_by(batch: int) -> QuerySet[Any, Any]:
    """The ids of the households the import `batch` created: their first history rows carry its number
    as the reason (importer._store), within the id range its audit event records."""
    event = AuditEvent.objects.filter(pk=batch, action="household_import").values_list("object_id", flat=True).first()
    if not event or "-" not in event:
        return Household.objects.none().values_list("id", flat=True)
    first, last = (int(n) for n in event.split("-", 1))
    history: QuerySet[Any] = Household.history.all()  # simple_history's manager is untyped
    return history.filter(
        id__gte=first, id__lte=last, history_type="+", history_change_reason=import_reason(batch)
    ).values_list("id", flat=True)


def import_reason(batch: int) -> str:
    """The change reason an import writes on the history rows it creates (shown on the household page)."""
    return f"Excel导入 import #{batch}"


def _text_filter(qs: QuerySet[Household], text: str) -> QuerySet[Household]:
    if len(text) == 18 and text[:17].isdigit():
        try:
            digest = crypto.lookup_hash(parse(text).value)
        except InvalidIdNumber:
            return qs.none()
        return qs.filter(Exists(Member.objects.filter(household=OuterRef("pk"), id_hash=digest)))
    if text.isdigit():
        return qs.filter(_prefix_q("number", text))
    # Members first, by an index range on the name; then their households.
    return qs.filter(pk__in=Member.objects.filter(_prefix_q("name", text)).values("household_id"))


def households_matching(text: str) -> QuerySet[Household]:
    """Households a search names (a head's or member's name, a household number, or a full ID number
    found by its hash), unscoped: only for narrowing a list already scoped to its reader (a claim queue)."""
    return _text_filter(Household.objects.all(), text.strip()) if text.strip() else Household.objects.all()


def _prefix_q(field: str, text: str) -> Q:
    """startswith, plus a range that lets SQLite and PostgreSQL use the column's index."""
    return Q(**{f"{field}__gte": text, f"{field}__lt": text + "\uffff", f"{field}__startswith": text})


def household_page(user: User, f: HouseholdFilter, page: int = 1, per_page: int = 50) -> Page[Household]:
    """One page of the list: a fixed number of queries whatever the county's size.

    The total is counted with the same filter (one query) and the page rows fetched with their
    village and grid in one join: three queries in all, asserted in the tests.
    """
    # (village, number) matches the composite index, so the first page needs no sort of the county.
    return Paginator(household_rows(user, f).order_by("village_id", "number"), per_page).get_page(page)


def household_rows(user: User, f: HouseholdFilter) -> QuerySet[Household]:
    """The list's rows (unordered: the page sorts them) with their village and grid, in one join."""
    return (
        household_search(user, f)
        .select_related("village", "grid")
        .only(
            "number",
            "head_name",
            "size",
            "village__name",
            "grid__name",
            "poverty_exited",
            "exit_year",
            "monitoring_type",
            "dibao",
            "tekun",
            "relocated",
            "no_labour",
            "status",
        )
    )


def household_get(user: User, pk: int, cap: Cap = Cap.VIEW_PEOPLE) -> Household:
    h = get_or_404(households_visible(user, cap).select_related("village", "group", "grid", "relocation_site"), pk)
    return h


def household_left(user: User, household_id: int) -> bool:
    """The household is no longer the grid worker's but was once: it is (or was at some time) in a grid
    they work or worked, and they no longer see it. Asked only after a 404, to answer a queued action
    with `moved_away` (docs/offline.md) instead of a bare 'not found'; reveals nothing to anyone else."""
    grids = grid_ids_worked(user.pk)
    if not grids or households_visible(user).filter(pk=household_id).exists():
        return False
    if Household.objects.filter(pk=household_id, grid_id__in=grids).exists():
        return True  # still in the grid, which another worker now looks after
    was_there: bool = Household.history.filter(id=household_id, grid_id__in=grids).exists()
    return was_there


@dataclass(frozen=True)
class HouseholdDetail:
    household: Household
    members: list[Member]
    statements: list[IncomeStatement]
    checks: list[GuaranteeCheck]


def household_detail(user: User, pk: int) -> HouseholdDetail:
    """The household with members, statements (and their items) and checks, in a fixed number of queries."""
    h = household_get(user, pk)
    return HouseholdDetail(
        household=h,
        members=list(Member.objects.filter(household=h).order_by("-active", "pk")),
        statements=list(IncomeStatement.objects.filter(household=h).prefetch_related("items").order_by("-year")),
        checks=list(GuaranteeCheck.objects.filter(household=h)[:10]),
    )


_H, _M = Columns(Household, "h"), Columns(Member, "m")
_V, _GRP, _G, _S = area_columns("v"), area_columns("p"), grid_columns("g"), Columns(ResettlementSite, "s")
# household_get's queryset (village, group, grid and site joined) by key, with its members, written once:
# the API's household GET is the most frequent request a grid worker's phone makes (core/rows.py). One
# row per member (one with NULL member columns for a household without any): one round trip, not two.
_HOUSEHOLD_WITH_MEMBERS = (
    f"SELECT {_H.sql}, {_V.sql}, {_GRP.sql}, {_G.sql}, {_S.sql}, {_M.sql} FROM {_H.table} h"
    f" JOIN {_V.table} v ON v.code = h.village_id LEFT JOIN {_GRP.table} p ON p.code = h.group_id"
    f" LEFT JOIN {_G.table} g ON g.id = h.grid_id LEFT JOIN {_S.table} s ON s.id = h.relocation_site_id"
    f" LEFT JOIN {_M.table} m ON m.household_id = h.id WHERE h.id = %s ORDER BY m.active DESC, m.id"
)


def household_with_members(user: User, pk: int) -> tuple[Household, list[Member]]:
    """The household (as household_get reads it) and its members, active first: the API's household
    answer, in one statement whatever it holds; NotFound outside the user's areas, as household_get."""
    using = router.db_for_read(Household)
    rows = fetch(using, _HOUSEHOLD_WITH_MEMBERS, [pk])
    if not rows:
        raise NotFound()
    h = _H.instance(using, rows[0])
    if not scope_for(user).covers(h.village_id, h.grid_id):
        raise NotFound()  # outside the reader's areas and grids: the same answer as a missing row
    at = _H.width
    h.village = _V.instance(using, rows[0], at)
    at += _V.width
    h.group = _GRP.instance(using, rows[0], at) if h.group_id is not None else None
    at += _GRP.width
    h.grid = _G.instance(using, rows[0], at) if h.grid_id is not None else None
    at += _G.width
    h.relocation_site = _S.instance(using, rows[0], at) if h.relocation_site_id is not None else None
    at += _S.width
    member_id = at + _M.names.index("id")  # NULL on the one row of a household without members
    members = [_M.instance(using, r, at) for r in rows if r[member_id] is not None]
    for m in members:
        m.household = h
    return h, members


def members_of(user: User, household_id: int) -> QuerySet[Member]:
    h = household_get(user, household_id)
    return Member.objects.filter(household=h).order_by("pk")


def member_get(user: User, pk: int, cap: Cap = Cap.VIEW_PEOPLE) -> Member:
    m = Member.objects.filter(scope_for(user, cap).q("household__village_id", "household__grid_id"), pk=pk)
    found = get_or_404(m.select_related("household"))
    return found


def member_find(user: User, id_number: str) -> Member:
    """Find a person by full ID number, within the user's areas (404 otherwise, revealing nothing)."""
    try:
        value = parse(id_number).value
    except InvalidIdNumber:
        raise NotFound() from None
    qs = Member.objects.filter(scope_for(user).q("household__village_id", "household__grid_id"))
    found = get_or_404(qs.filter(id_hash=crypto.lookup_hash(value)).select_related("household"))
    return found


def member_full_id(user: User, member: Member, purpose: str = "") -> str:
    """Decrypt a member's ID number for a user whose role allows it; every call is logged."""
    if not has_cap(user, Cap.VIEW_FULL_ID) or not scope_for(user, Cap.VIEW_FULL_ID).covers_code(
        member.household.village_id
    ):
        raise Forbidden("您的角色无权查看完整身份证号", "Your role may not see full ID numbers")
    pii_view_log(actor=user, obj=member, purpose=purpose)
    return crypto.decrypt(member.id_enc)


def sees_registered(user: User | None, village_code: Any, grid_id: int | None) -> bool:
    """Whether a registration refusal may say precisely that a number is taken (security D9).

    Only for a number registered in the user's own areas; elsewhere the answer is the neutral
    "cannot be registered here". System loaders (user None) always get the precise message.
    """
    if user is None:
        return True
    scope = scope_for(user)
    return scope.covers_code(str(village_code)) or (grid_id is not None and grid_id in scope.grid_ids)


NOT_HERE_ZH = "无法在此登记，请联系县级管理员核实"
NOT_HERE_EN = "cannot be registered here; contact the county administrators"


def sees_birth_date(user: User, village_code: str) -> bool:
    """Full birth dates go with full ID numbers: the date is the part of the number the mask hides.

    Roles without view_full_id get the birth year (security review D3), in pages, API and exports.
    """
    return scope_for(user, Cap.VIEW_FULL_ID).covers_code(village_code)


def an_encrypted_id() -> str | None:
    """One stored ciphertext, for core.keys to check the configured field key against (never shown)."""
    return Member.objects.order_by("pk").values_list("id_enc", flat=True).first()


def member_by_id_number_unscoped(id_number: str) -> Member | None:
    """For services matching department data to people (never shown to a user as such)."""
    try:
        value = parse(id_number).value
    except InvalidIdNumber:
        return None
    return Member.objects.filter(id_hash=crypto.lookup_hash(value)).select_related("household").first()


def member_ids_by_hash(hashes: list[str]) -> dict[str, tuple[int, int]]:
    """id_hash → (member id, household id) for batch matching of department feeds."""
    out: dict[str, tuple[int, int]] = {}
    for i in range(0, len(hashes), 900):
        chunk = hashes[i : i + 900]
        for mid, hid, hsh in Member.objects.filter(id_hash__in=chunk).values_list("pk", "household_id", "id_hash"):
            out[hsh] = (mid, hid)
    return out


def statement_for(user: User, household_id: int, year: int, cap: Cap = Cap.VIEW_PEOPLE) -> IncomeStatement | None:
    h = household_get(user, household_id, cap)
    return IncomeStatement.objects.filter(household=h, year=year).prefetch_related("items").first()


def statements_of(user: User, household_id: int) -> QuerySet[IncomeStatement]:
    h = household_get(user, household_id)
    return IncomeStatement.objects.filter(household=h).prefetch_related("items").order_by("-year")


def household_history(user: User, household_id: int, limit: int = 100) -> list[dict[str, Any]]:
    """Changes to the household, its members, statements and checks: who, when, what before → after."""
    h = household_get(user, household_id)
    records: list[Any] = list(Household.history.filter(id=h.pk).select_related("history_user")[:limit])
    member_ids = list(Member.objects.filter(household=h).values_list("pk", flat=True))
    records += list(Member.history.filter(id__in=member_ids).select_related("history_user")[:limit])
    st_ids = list(IncomeStatement.objects.filter(household=h).values_list("pk", flat=True))
    from bangfu.registry.models import IncomeItem

    records += list(IncomeItem.history.filter(statement_id__in=st_ids).select_related("history_user")[:limit])
    records.sort(key=lambda r: r.history_date, reverse=True)
    return [_describe(r) for r in records[:limit]]


def _shown(value: Any) -> Any:
    """Dates as 2026-06-03 whatever the page language; lists (risk types, stored as their Chinese
    labels) as 因学、因病, each in the reader's language."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return in_language("、", ", ").join(gettext(str(v)) for v in value) or "—"
    return value


# birth_date: part of the ID number; a corrected number shows as its masked change (security D3)
_HIDDEN_FIELDS = {"id_enc", "id_hash", "updated", "created", "birth_date"}


def _describe(record: Any) -> dict[str, Any]:
    changes: list[dict[str, Any]] = []
    prev = record.prev_record
    if record.history_type == "~" and prev is not None:
        for c in record.diff_against(prev).changes:
            if c.field in _HIDDEN_FIELDS:
                continue
            label = record.instance._meta.get_field(c.field).verbose_name
            changes.append({"field": str(label), "old": _shown(c.old), "new": _shown(c.new)})
    return {
        "when": record.history_date,
        "who": record.history_user,
        "type": {"+": gettext_noop("新增"), "~": gettext_noop("修改"), "-": gettext_noop("删除")}[record.history_type],
        "object": str(record.instance._meta.verbose_name),
        "label": str(record.instance),
        "changes": changes,
        "reason": record.history_change_reason or "",
    }


def guarantee_checks(user: User, household_id: int) -> QuerySet[GuaranteeCheck]:
    """三保障 checks of a household the user may see, newest first."""
    h = household_get(user, household_id)
    return GuaranteeCheck.objects.filter(household=h).select_related("checked_by").order_by("-checked_on", "-pk")


def sites_visible(user: User) -> QuerySet[ResettlementSite]:
    return ResettlementSite.objects.filter(scope_for(user).q("area_id", None))


def site_get(user: User, pk: int) -> ResettlementSite:
    s = get_or_404(sites_visible(user).select_related("area"), pk)
    return s


def sites_with_counts(user: User) -> QuerySet[ResettlementSite]:
    """The user's sites with the number of households placed on each that the user may see (one query)."""
    visible = Count("households", filter=scope_for(user).q("households__village_id", "households__grid_id"))
    return sites_visible(user).select_related("area").annotate(placed=visible).order_by("area_id", "name")


def site_households(user: User, site: ResettlementSite) -> QuerySet[Household]:
    """Households on the site that the user may see, with where they came from."""
    return (
        households_visible(user)
        .filter(relocation_site=site)
        .select_related("village", "relocated_from")
        .order_by("number")
    )


def relocated_unplaced(user: User) -> int:
    """Relocated households the user may see that are on no site yet (outside every site's KPI)."""
    return households_visible(user).filter(relocated=True, relocation_site__isnull=True).count()


def household_by_number(user: User, number: str, cap: Cap = Cap.VIEW_PEOPLE) -> Household:
    """A household by its number, inside the user's scope (NotFound otherwise, as for an id)."""
    return get_or_404(households_visible(user, cap).select_related("village"), number=number.strip())


def prefetch_members() -> Prefetch[str, QuerySet[Member], str]:
    return Prefetch("members", queryset=Member.objects.filter(active=True).order_by("pk"))


def income_item_get(user: User, pk: int) -> Any:
    from bangfu.registry.models import IncomeItem

    item = get_or_404(
        IncomeItem.objects.filter(
            scope_for(user).q("statement__household__village_id", "statement__household__grid_id"), pk=pk
        ).select_related("statement")
    )
    return item


# --- batch counts (for batch indicator jobs, never returned to a user) -------------------------
# Unscoped on purpose: analytics' refresh counts a whole province into a cache, and the dashboards
# read that cache through their own scoped selectors. Each function is one grouped query.

BATCH_FLAGS = ("poverty_exited", "dibao", "tekun", "relocated", "no_labour")


def batch_households(prefix: Where = "") -> QuerySet[Household]:
    """Active households under a code prefix ("" = all) or in these villages, for batch jobs of other
    apps to group on."""
    qs = Household.objects.filter(status="正常")
    if prefix:
        qs = qs.filter(where_q("village_id", prefix))
    return qs


def village_counts(
    as_of: dt.date, *, prefix: Where = "", trend: list[tuple[str, dt.date]] | None = None, by: str = "village"
) -> list[tuple[str, str, Decimal]]:
    """(village code, key, value) rows: households and people by type, monitored households by type,
    eliminations this year, and "monitored_at:<label>" for each (label, day) of `trend`.

    by="grid" groups by grid id instead (rows carry the id as a string; households without a grid
    are left out). For batch indicator jobs, never returned to a user.
    """
    column = "village_id" if by == "village" else "grid_id"
    counted: dict[str, Any] = {"households": Count("id"), "people": Sum("size")}
    for flag in BATCH_FLAGS:
        counted[flag] = Count("id", filter=Q(**{flag: True}))
    counted["monitored"] = Count("id", filter=Q(monitoring_type__gt=""))
    for kind in (t for t in MONITORING_TYPE if t):
        counted[f"monitored.{kind}"] = Count("id", filter=Q(monitoring_type=kind))
    year_start = dt.date(as_of.year, 1, 1)
    counted["eliminated"] = Count("id", filter=Q(risk_eliminated_on__gte=year_start, risk_eliminated_on__lte=as_of))
    for label, day in trend or []:
        at_risk = Q(monitoring_type__gt="", monitoring_since__lte=day) & (
            Q(risk_eliminated_on__isnull=True) | Q(risk_eliminated_on__gt=day)
        )
        counted[f"monitored_at:{label}"] = Count("id", filter=at_risk)
    keys = list(counted)  # SQL aliases stay plain ASCII; the keys may hold Chinese and dots
    aliases = {f"c{i}": agg for i, agg in enumerate(counted.values())}
    rows = batch_households(prefix).exclude(**{f"{column}__isnull": True}).values(column).annotate(**aliases)
    return [(str(r[column]), key, Decimal(r[f"c{i}"] or 0)) for r in rows.order_by() for i, key in enumerate(keys)]


def villages_dated(after: dt.date, until: dt.date, prefix: str = "") -> set[str]:
    """Villages whose figures may move between two days without a write: a household whose monitoring
    starts or whose risk is eliminated on a day in [after, until] (the incremental indicator refresh)."""
    on = Q(monitoring_since__range=(after, until)) | Q(risk_eliminated_on__range=(after, until))
    return {str(v) for v in batch_households(prefix).filter(on).values_list("village_id", flat=True).distinct()}


# --- unscoped reads for screening (monitoring) and system jobs -------------------------------------
# Screening runs as no user (the worker, a feed upload already checked by its own service) over every
# household of an area, so these take ids or code prefixes, not a user (ADR 0005); the caller scopes.
# Monitoring reads the registry only through these and never through apps.get_model.


def screening_tables() -> dict[str, str]:
    """Table names of the registry rows the batch screening engine reads set-wise in its own SQL."""
    return {m.__name__: m._meta.db_table for m in (Household, Member, IncomeStatement, GuaranteeCheck)}


@dataclass(frozen=True)
class HouseholdBrief:
    pk: int
    village_id: str
    grid_id: int | None
    status: str
    no_labour: bool


def household_brief(household_id: int) -> HouseholdBrief:
    """Place, status and the no-labour flag of one household (Household.DoesNotExist when there is none)."""
    pk, village, grid, status, no_labour = Household.objects.values_list(
        "pk", "village_id", "grid_id", "status", "no_labour"
    ).get(pk=household_id)
    return HouseholdBrief(pk, str(village), grid, status, no_labour)


def villages_of(household_ids: Iterable[int]) -> dict[int, str]:
    """household id → village code."""
    rows = Household.objects.filter(pk__in=set(household_ids)).values_list("pk", "village_id")
    return {pk: str(village) for pk, village in rows}


def villages_with_households(prefixes: tuple[str, ...], household_ids: tuple[int, ...] | None = None) -> list[str]:
    """Distinct village codes of the households under the code prefixes (("",) = all), optionally only these ids."""
    qs = Household.objects.all()
    if prefixes != ("",):
        q = Q()
        for p in prefixes:
            q |= Q(village_id__gte=p, village_id__lte=p + "9" * (15 - len(p)))
        qs = qs.filter(q)
    if household_ids is not None:
        qs = qs.filter(pk__in=household_ids)
    return [str(v) for v in qs.values_list("village_id", flat=True).distinct()]


@dataclass(frozen=True)
class IncomeYear:
    per_capita: Decimal
    net_income: Decimal


def income_years(household_id: int, years: Iterable[int]) -> dict[int, IncomeYear]:
    """year → the statement's per-capita and net income, for the years that have a statement."""
    rows = IncomeStatement.objects.filter(household_id=household_id, year__in=list(years))
    return {y: IncomeYear(pc, net) for y, pc, net in rows.values_list("year", "per_capita", "net_income")}


def members_ill_or_among(household_id: int, member_ids: QuerySet[Any] | Iterable[int]) -> int:
    """Active members with a serious illness or disability on record, or among `member_ids` (a queryset
    of ids runs as a subquery: one query)."""
    return (
        Member.objects.filter(household_id=household_id, active=True)
        .filter(Q(health__in=SERIOUS_HEALTH) | Q(pk__in=member_ids))
        .count()
    )


def guarantee_failures(household_id: int, as_of: dt.date) -> int:
    """How many of the four guarantees the latest check up to `as_of` found unmet (0 without a check)."""
    check = (
        GuaranteeCheck.objects.filter(household_id=household_id, checked_on__lte=as_of)
        .order_by("-checked_on", "-pk")
        .values_list("housing_safe", "schooling_ok", "medical_ok", "water_safe")
        .first()
    )
    return 0 if check is None else sum(not ok for ok in check)


def members_unscoped(
    *, household_id: int | None = None, area_prefix: str = "", relation: str = "", limit: int | None = None
) -> list[Member]:
    """Active members (by household, relation, or under an area code prefix) in a stable order, for system
    jobs such as the demo loader that act as no user (never shown to a user as such)."""
    qs = Member.objects.filter(active=True)
    if household_id is not None:
        qs = qs.filter(household_id=household_id).order_by("birth_date", "pk")
    else:
        qs = qs.order_by("pk")
    if area_prefix:
        qs = qs.filter(household__village_id__gte=area_prefix, household__village_id__lte=area_prefix + "9" * 9)
    if relation:
        qs = qs.filter(relation=relation)
    return list(qs[:limit] if limit is not None else qs)
