"""Reads of accounts.

`memberships` holds the reads scope computation is built on (memberships in force, capabilities);
areas.selectors imports that module alone, and the reads here that need a scope import areas.selectors
inside the function (importing `memberships` runs this package first). Everything is importable from here.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import router
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from bangfu.accounts.domain import audit
from bangfu.accounts.domain.administration import ADMINISTERS, CAP_LABELS, grantable, may_grant
from bangfu.accounts.domain.duties import DUTY_PAIRS, covers, in_force
from bangfu.accounts.domain.roles import CAPABILITIES, ROLE_LABELS, Cap, Role
from bangfu.accounts.models import AccountPolicy, ApiToken, Delegation, Membership, User
from bangfu.accounts.selectors.memberships import capabilities_of as capabilities_of  # re-exported
from bangfu.accounts.selectors.memberships import current_q as current_q  # re-exported
from bangfu.accounts.selectors.memberships import has_cap as has_cap  # re-exported
from bangfu.accounts.selectors.memberships import may_write as may_write  # re-exported
from bangfu.accounts.selectors.memberships import memberships_of as memberships_of  # re-exported
from bangfu.areas.domain.codes import SIGNIFICANT, level_of
from bangfu.core import selectors as core_selectors
from bangfu.core.errors import Forbidden, NotFound
from bangfu.core.i18n import in_language
from bangfu.core.models import AuditEvent
from bangfu.core.rows import Columns, fetch_one
from bangfu.core.selectors import get_or_404

_TOKEN, _USER = Columns(ApiToken, "t"), Columns(User, "u")
# every API request reads this (core/rows.py): the queryset select_related("user") by digest, written once
_TOKEN_BY_DIGEST = (
    f"SELECT {_TOKEN.sql}, {_USER.sql} FROM {_TOKEN.table} t"
    f" JOIN {_USER.table} u ON u.id = t.user_id WHERE t.digest = %s AND t.revoked IS NULL"
)


def token_by_raw(raw: str) -> ApiToken | None:
    """The live token (not revoked, its user active) sent as `Authorization: Bearer <raw>`, with its
    user. Only reads: accounts.services.token_touch records the use."""
    digest = hashlib.sha256(raw.encode()).hexdigest()
    using = router.db_for_read(ApiToken)
    row = fetch_one(using, _TOKEN_BY_DIGEST, [digest])
    if row is None:
        return None
    token, user = _TOKEN.instance(using, row), _USER.instance(using, row, _TOKEN.width)
    if not user.is_active:
        return None
    token.user = user
    return token


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created")


def users_with_role(role: Role, area_codes: list[str]) -> list[User]:
    """Active users holding `role` in one of `area_codes` (pass an area and its ancestors)."""
    ids = Membership.objects.filter(current_q(), role=role.value, area_id__in=area_codes).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("username"))


def codes_with_role(role: Role, area_codes: list[str]) -> set[str]:
    """Which of `area_codes` have an active user holding `role` there today (one query)."""
    rows = Membership.objects.filter(current_q(), role=role.value, area_id__in=area_codes, user__is_active=True)
    return {str(c) for c in rows.values_list("area_id", flat=True).distinct()}


def _area_prefix(code: str) -> str:
    level = level_of(code)
    return code[: SIGNIFICANT[level]] if level else code


def delegation_for(user: User, duty_pair: str, area_code: str, on: datetime.date) -> Delegation | None:
    """The delegation (not revoked, in force on `on`, covering `area_code`) that lets `user` do the
    later duty of `duty_pair` after the earlier one; None when there is none."""
    rows = Delegation.objects.filter(delegate=user, duty_pair=duty_pair, revoked_at__isnull=True).order_by("-pk")
    for d in rows:
        if in_force(d.valid_from, d.valid_to, on) and covers(_area_prefix(d.area_id), area_code):
            return d
    return None


def delegations_visible(user: User) -> QuerySet[Delegation]:
    """Delegations in the areas where the user may grant them (county users), plus those they gave or got."""
    from bangfu.areas.selectors import scope_for  # deferred: see the module's docstring

    q = Q(delegate=user) | Q(delegator=user)
    for cap in {p.grant_cap for p in DUTY_PAIRS.values()}:
        q |= scope_for(user, Cap(cap)).q(village="area_id", grid=None)
    return Delegation.objects.filter(q).select_related("delegator", "delegate", "area", "revoked_by")


# --- the audit log ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilter:
    person: str = ""  # username or name of who did it
    action: str = ""  # action code (choices: domain.audit.action_choices)
    object_type: str = ""  # "<app>.<model>"
    object_id: str = ""
    area: str = ""  # an area code within the caller's areas: events of it and below
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None  # inclusive


@dataclass(frozen=True)
class AuditRow:
    event: AuditEvent
    action_label: str
    object_label: str
    area_name: str
    change: str  # "before → after" of a step, and the other recorded values


def audit_events(user: User, f: AuditFilter) -> QuerySet[AuditEvent]:
    """Audit events of objects in the areas where the user may read the audit log (Cap.VIEW_AUDIT).
    Scoping is a range on the indexed area_code; an area filter outside those areas is 404."""
    from bangfu.areas.selectors import area_get, scope_for, under_code_q  # deferred: see the module's docstring

    if not has_cap(user, Cap.VIEW_AUDIT):
        raise Forbidden("您的角色无权查看审计日志", "Your role may not read the audit log")
    where = scope_for(user, Cap.VIEW_AUDIT).q(village="area_code", grid=None)
    if f.area:
        area = area_get(user, f.area, cap=Cap.VIEW_AUDIT)
        where &= under_code_q("area_code", _area_prefix(area.code))
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(f.date_from, datetime.time.min, tz) if f.date_from else None
    end = (
        datetime.datetime.combine(f.date_to + datetime.timedelta(days=1), datetime.time.min, tz) if f.date_to else None
    )
    return core_selectors.audit_search(
        where=where,
        person=f.person.strip(),
        action=f.action,
        object_type=f.object_type,
        object_id=f.object_id.strip(),
        since=start,
        before=end,
    )


def audit_rows(user: User, events: Iterable[AuditEvent]) -> list[AuditRow]:
    """Events with their labels (in the reader's language) and area names, for the page, the API and the export."""
    from bangfu.areas.selectors import area_names  # deferred: see the module's docstring

    events = list(events)
    names = area_names({e.area_code for e in events if e.area_code})
    return [
        AuditRow(
            event=e,
            action_label=gettext(audit.action_label(e.action)),
            object_label=gettext(audit.object_label(e.object_type)),
            area_name=names.get(e.area_code, ""),
            change=audit.change_text(e.action, e.data, tr=gettext, pick=in_language),
        )
        for e in events
    ]


# --- account administration -------------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    """A county's account settings in force (accounts.models.AccountPolicy; defaults without a row)."""

    township_administers: bool = False
    password_min_length: int = 8
    password_block_common: bool = True
    row: AccountPolicy | None = None


def _ancestor_codes(code: str) -> list[str]:
    """The 12-digit codes of the area and every area above it, outermost first."""
    base = code[:12]
    out = []
    for n in (2, 4, 6, 9, 12):
        c = base[:n].ljust(12, "0")
        if level_of(c) is not None and c not in out and base.startswith(c[:n]):
            out.append(c)
    return out


def policy_for(area_code: str, on: datetime.date | None = None) -> Policy:
    """The account policy for an area on a day: the most specific area (the area or above) with a row in force."""
    on = on or timezone.localdate()
    codes = _ancestor_codes(area_code)
    rows = AccountPolicy.objects.filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on), area_id__in=codes, effective_from__lte=on
    )
    best = max(rows, key=lambda p: (codes.index(p.area_id), p.effective_from, p.pk), default=None)
    if best is None:
        return Policy()
    return Policy(best.township_administers, best.password_min_length, best.password_block_common, best)


def policies_of(area_code: str) -> QuerySet[AccountPolicy]:
    return AccountPolicy.objects.filter(area_id=area_code).select_related("created_by")


def admin_roles(actor: User) -> list[tuple[str, Role]]:
    """(area prefix, administering role) pairs where `actor` administers accounts today: county
    administrators, and township officers whose county's policy lets townships administer."""
    if getattr(actor, "is_superuser", False):
        return [("", Role.COUNTY_ADMIN)]
    out = []
    for m in memberships_of(actor):
        role = Role(m.role)
        if role not in ADMINISTERS:
            continue
        if role == Role.TOWNSHIP_OFFICER and not policy_for(m.area_id).township_administers:
            continue
        out.append((_area_prefix(m.area_id), role))
    return out


def may_administer(actor: User, area_code: str, role: Role) -> bool:
    """Whether `actor` may grant or end `role` at `area_code` (scope and role ordering)."""
    return any(
        area_code.startswith(prefix) and may_grant(admin, role, township_allowed=True)
        for prefix, admin in admin_roles(actor)
    )


def grantable_roles(actor: User) -> list[Role]:
    return grantable([r for _p, r in admin_roles(actor)], township_allowed=True)


def _admin_where(actor: User, field: str) -> Q:
    from bangfu.areas.selectors import under_code_q  # deferred: see the module's docstring

    pairs = admin_roles(actor)
    if not pairs:
        if has_cap(actor, Cap.MANAGE_USERS):
            raise Forbidden(
                "县里尚未允许乡镇管理账号，请联系县级管理员",
                "Your county does not let townships administer accounts; ask the county administrator",
            )
        raise Forbidden("您的角色无权管理账号", "Your role may not administer accounts")
    if any(p == "" for p, _r in pairs):
        return Q()
    q = Q(pk__in=[])
    for prefix, _role in pairs:
        q |= under_code_q(field, prefix)
    return q


def users_visible(
    actor: User, *, search: str = "", include_inactive: bool = True, under: str = "", active: bool | None = None
) -> QuerySet[User]:
    """Accounts the actor administers: those belonging to their areas, or holding a role there;
    `under` (an area's code prefix, from a list's link) keeps those whose home or a role lies there."""
    held = Membership.objects.filter(_admin_where(actor, "area_id")).values("user_id")
    qs = User.objects.filter(_admin_where(actor, "home_area_id") | Q(pk__in=held))
    if under:
        there = Membership.objects.filter(area__code__startswith=under).values("user_id")
        qs = qs.filter(Q(home_area__code__startswith=under) | Q(pk__in=there))
    if active is not None:
        qs = qs.filter(is_active=active)
    if not getattr(actor, "is_superuser", False):
        qs = qs.filter(is_superuser=False)
    if search.strip():
        s = search.strip()
        qs = qs.filter(Q(username__icontains=s) | Q(display_name__icontains=s) | Q(phone__icontains=s))
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs.select_related("home_area").order_by("-is_active", "username")


def user_get(actor: User, pk: int) -> User:
    user = get_or_404(users_visible(actor), pk)
    return user


def memberships_history(user: User) -> QuerySet[Membership]:
    """Every membership of the user, in force or ended (newest first)."""
    return Membership.objects.filter(user=user).select_related("area").order_by("-start", "-pk")


def membership_get(actor: User, pk: int) -> Membership:
    m = Membership.objects.select_related("user", "area").filter(pk=pk).first()
    if m is None or not users_visible(actor).filter(pk=m.user_id).exists():
        raise NotFound()
    return m


def grid_worker_successors(actor: User, village_code: str, leaving: User) -> list[User]:
    """Active grid workers of the village (in force today) who could take over a leaver's grids."""
    ids = Membership.objects.filter(current_q(), role=Role.GRID_WORKER.value, area_id=village_code).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).exclude(pk=leaving.pk).order_by("username"))


# --- who can do what in an area ---------------------------------------------------------------------


@dataclass(frozen=True)
class RoleHolder:
    membership: Membership
    where: str  # "here", "above" (acts here from an area above) or "below"
    capabilities: list[str]  # in Chinese


def area_people(actor: User, code: str) -> tuple[Any, list[RoleHolder], dict[str, list[str]]]:
    """The area, the people holding a role in force at it, above it or below it, and what each role may
    do. Readable by whoever administers accounts or reads the audit log of the area (auditor)."""
    from bangfu.areas.selectors import area_get, under_code_q  # deferred: see the module's docstring

    try:
        area = area_get(actor, code, cap=Cap.VIEW_AUDIT)
    except NotFound:
        area = area_get(actor, code, cap=Cap.MANAGE_USERS)
    prefix = _area_prefix(area.code)
    above = [c for c in _ancestor_codes(area.code) if c != area.code]
    rows = (
        Membership.objects.filter(current_q(), user__is_active=True)
        .filter(Q(area_id__in=above) | under_code_q("area_id", prefix))
        .select_related("user", "area")
        .order_by("area_id", "role", "user__username")
    )
    holders = []
    for m in rows:
        where = "above" if m.area_id in above else ("here" if m.area_id == area.code else "below")
        caps = sorted(CAPABILITIES[Role(m.role)], key=list(Cap).index)
        holders.append(RoleHolder(m, where, [CAP_LABELS[c] for c in caps]))
    order = {"above": 0, "here": 1, "below": 2}
    holders.sort(key=lambda h: (order[h.where], h.membership.area_id, h.membership.role, h.membership.user.username))
    role_caps = {ROLE_LABELS[r]: [CAP_LABELS[c] for c in sorted(CAPABILITIES[r], key=list(Cap).index)] for r in Role}
    return area, holders, role_caps


# --- sign-in history --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignIn:
    at: datetime.datetime
    ok: bool
    address: str
    agent: str
    logout: datetime.datetime | None = None
    locked_out: bool = False


def sign_ins_of(user: User, limit: int = 100) -> list[SignIn]:
    """The user's own sign-ins (axes AccessLog) and failed attempts (AccessFailureLog), newest first."""
    from axes.models import AccessFailureLog, AccessLog

    ok = [
        SignIn(a.attempt_time, True, a.ip_address or "", a.user_agent, a.logout_time)
        for a in AccessLog.objects.filter(username=user.username).order_by("-attempt_time")[:limit]
    ]
    failed = [
        SignIn(a.attempt_time, False, a.ip_address or "", a.user_agent, None, a.locked_out)
        for a in AccessFailureLog.objects.filter(username=user.username).order_by("-attempt_time")[:limit]
    ]
    return sorted(ok + failed, key=lambda s: s.at, reverse=True)[:limit]


def user_by_username(username: str) -> User | None:
    """An active user by login name (the delegation form names the delegate this way)."""
    return User.objects.filter(username=username.strip(), is_active=True).first() if username.strip() else None


def may_grant_delegations(user: User) -> bool:
    return any(has_cap(user, Cap(p.grant_cap)) for p in DUTY_PAIRS.values())
