"""Reads of accounts. Scope computation lives in areas.selectors and uses these."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from bangfu.accounts.domain import audit
from bangfu.accounts.domain.duties import DUTY_PAIRS, covers, in_force
from bangfu.accounts.domain.roles import CAPABILITIES, Cap, Role
from bangfu.accounts.models import ApiToken, Delegation, Membership, User
from bangfu.areas.domain.codes import SIGNIFICANT, level_of
from bangfu.core import selectors as core_selectors
from bangfu.core.errors import Forbidden
from bangfu.core.models import AuditEvent


def memberships_of(user: User) -> list[Membership]:
    cached = getattr(user, "_bangfu_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("area"))
        user._bangfu_memberships = cached  # type: ignore[attr-defined]
    return cached


def capabilities_of(user: User) -> frozenset[Cap]:
    if getattr(user, "is_superuser", False):
        return frozenset(Cap)
    caps: set[Cap] = set()
    for m in memberships_of(user):
        caps |= CAPABILITIES[Role(m.role)]
    return frozenset(caps)


def has_cap(user: User, cap: Cap) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and cap in capabilities_of(user)


def user_by_token(raw: str) -> User | None:
    digest = hashlib.sha256(raw.encode()).hexdigest()
    token = ApiToken.objects.select_related("user").filter(digest=digest, revoked__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used=timezone.now())
    return token.user


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created")


def users_with_role(role: Role, area_codes: list[str]) -> list[User]:
    """Active users holding `role` in one of `area_codes` (pass an area and its ancestors)."""
    ids = Membership.objects.filter(role=role.value, area_id__in=area_codes).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("username"))


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
    from bangfu.areas.selectors import scope_for  # areas.selectors imports this module

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
    from bangfu.areas.selectors import area_get, scope_for, under_code_q  # areas.selectors imports this module

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
    """Events with their Chinese labels and area names, for the page, the API and the export."""
    from bangfu.areas.selectors import area_names  # areas.selectors imports this module

    events = list(events)
    names = area_names({e.area_code for e in events if e.area_code})
    return [
        AuditRow(
            event=e,
            action_label=audit.action_label(e.action),
            object_label=audit.object_label(e.object_type),
            area_name=names.get(e.area_code, ""),
            change=audit.change_text(e.action, e.data),
        )
        for e in events
    ]
