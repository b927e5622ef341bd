"""The memberships in force and the capabilities they grant: what `areas.selectors.scope_for` is built on.

This module imports nothing above accounts, so areas.selectors can import it without a circle.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from bangfu.accounts.domain.roles import CAPABILITIES, Cap, Role
from bangfu.accounts.models import Membership, User


def current_q(on: datetime.date | None = None, prefix: str = "") -> Q:
    """Memberships in force on `on` (today): started, and not yet at their end date."""
    on = on or timezone.localdate()
    return Q(**{f"{prefix}start__lte": on}) & (Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gt": on}))


def memberships_of(user: User) -> list[Membership]:
    """The user's memberships in force today (ended and future ones give no access)."""
    cached = getattr(user, "_bangfu_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(current_q(), user=user).select_related("area"))
        user._bangfu_memberships = cached
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


def may_write(user: User | None, caps: frozenset[Cap]) -> bool:
    """Whether `user` holds one of `caps` somewhere (a route declared with roles.writes; empty: anyone)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return not caps or bool(caps & capabilities_of(user))


def grid_worker_memberships(area_codes: list[str]) -> list[tuple[str, str]]:
    """(area code, username) of the active grid workers holding their role in those areas today."""
    rows = Membership.objects.filter(
        current_q(), role=Role.GRID_WORKER.value, area_id__in=area_codes, user__is_active=True
    ).order_by("area_id", "user__username")
    return [(str(a), str(u)) for a, u in rows.values_list("area_id", "user__username")]
