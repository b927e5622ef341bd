"""The memberships in force and the capabilities they grant: what `areas.selectors.scope_for` is built on.

This module imports nothing above accounts, so areas.selectors can import it without a circle.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from bangfu.accounts.domain.roles import CAPABILITIES, Cap, Role
from bangfu.accounts.models import Membership, User


def current_q(on: datetime.date | None = None, prefix: str = "") -> Q:
    """Memberships in force on `on` (today): started, and not yet at their end date."""
    on = on or timezone.localdate()
    return Q(**{f"{prefix}start__lte": on}) & (Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gt": on}))


# --- the per-process access cache -------------------------------------------------------------------
# A user's memberships in force today, and what is derived from them alone (areas.selectors.scope_for's
# scopes), kept per process under (user id, User.access_version, today): a request reads the user's row
# anyway, so a cached entry costs no query. accounts.signals gives the user a new access_version (and
# drops this process's entry) whenever a membership, a grid or an area they hold a role in changes, in
# the same transaction as the change: every process sees the change on its next request.


@dataclass
class _Access:
    version: int
    on: datetime.date
    memberships: list[Membership]
    derived: dict[str, Any] = field(default_factory=dict)


_ACCESS: dict[int, _Access] = {}
_ACCESS_LIMIT = 20_000  # users per process; beyond it the cache starts again (a county has a few thousand)


def _access(user: User) -> _Access:
    today = timezone.localdate()
    entry = _ACCESS.get(user.pk)
    if entry is None or entry.version != user.access_version or entry.on != today:
        rows = list(Membership.objects.filter(current_q(today), user=user).select_related("area"))
        entry = _Access(user.access_version, today, rows)
        if user.pk is not None:
            if len(_ACCESS) >= _ACCESS_LIMIT:
                _ACCESS.clear()
            _ACCESS[user.pk] = entry
    return entry


def forget_access(user_ids: Iterable[int]) -> None:
    """Drop this process's cached access of these users (accounts.signals, with a new access_version)."""
    for pk in user_ids:
        _ACCESS.pop(pk, None)


def derived(user: User, key: str, compute: Callable[[list[Membership]], Any]) -> Any:
    """A value computed from the user's memberships alone (and what the same signals watch), cached
    with them: `compute(memberships)` runs once per process until the user's access changes."""
    entry = _access(user)
    if key not in entry.derived:
        entry.derived[key] = compute(entry.memberships)
    return entry.derived[key]


def _fresh(m: Membership) -> Membership:
    """A copy for one request: what a request does to its memberships stays out of the cache."""
    c = copy.copy(m)
    c.area = copy.copy(m.area)
    return c


def memberships_of(user: User) -> list[Membership]:
    """The user's memberships in force today (ended and future ones give no access)."""
    cached = getattr(user, "_bangfu_memberships", None)
    if cached is None:
        cached = [_fresh(m) for m in _access(user).memberships]
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
