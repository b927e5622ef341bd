"""Login lockout: per user *and* address, progressive, and lifted by the county (ADR 0003, security D8).

django-axes counts failures per (username, client address) (`AXES_LOCKOUT_PARAMETERS`), so five wrong
passwords sent from one address lock that pair only: the real user, logging in from their own
address, is never locked out by somebody else. The lock lasts `BANGFU_LOCKOUT_MINUTES` at the limit
and doubles with every further failure of the same pair (`cool_off`, axes' AXES_COOLOFF_TIME), up to
a day. A county administrator lists the locked pairs of their county's users and lifts them
(`lockouts_visible`, `lockout_lift`); each lift is in the audit log.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from axes.helpers import get_client_username
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from bangfu.accounts.domain.roles import Cap
from bangfu.accounts.models import Membership, User
from bangfu.core.client import client_address
from bangfu.core.errors import Forbidden, NotFound
from bangfu.core.services import audit_record

MAX_LOCK = datetime.timedelta(hours=24)
MEMORY = datetime.timedelta(hours=24)  # earlier locks of the pair within this window make the next one longer


def lock_for(locks: int) -> datetime.timedelta:
    """How long a (user, address) pair stays locked the `locks`-th time within a day: doubling, capped."""
    base = datetime.timedelta(minutes=int(settings.BANGFU_LOCKOUT_MINUTES))
    lock: datetime.timedelta = min(base * 2 ** min(max(0, locks - 1), 12), MAX_LOCK)
    return lock


def locks_of(username: str | None, address: str | None, now: datetime.datetime | None = None) -> int:
    """How many times the pair was locked within the day (axes' failure log marks the locking failure)."""
    since = (now or timezone.now()) - MEMORY
    locks: int = AccessFailureLog.objects.filter(
        username=username, ip_address=address, locked_out=True, attempt_time__gte=since
    ).count()
    return locks


def cool_off(request: HttpRequest | None) -> datetime.timedelta:
    """axes' AXES_COOLOFF_TIME: the lock of the pair this request belongs to.

    Five failures lock the pair for BANGFU_LOCKOUT_MINUTES; when that has run out, the next five lock
    it twice as long, and so on (axes starts counting again after each lock, the failure log remembers).
    """
    if request is None:
        return lock_for(1)
    username = get_client_username(request)
    address = getattr(request, "axes_ip_address", None) or client_address(request)
    return lock_for(locks_of(username, address))


@dataclass(frozen=True)
class Lockout:
    user: User
    address: str
    failures: int
    last_failure: datetime.datetime
    until: datetime.datetime


def require_lock_admin(user: User) -> None:
    """Login locks are the account administrators' business (MANAGE_USERS): 403 for anyone else."""
    from bangfu.accounts.selectors import has_cap

    if not has_cap(user, Cap.MANAGE_USERS):
        raise Forbidden("只有县级管理员可以解除登录锁定", "Only the county administrators may lift login locks")


def _users_of(admin: User) -> dict[str, User]:
    """The accounts `admin` administers (accounts.selectors.users_visible: a county admin their county's)."""
    from bangfu.accounts.selectors import has_cap, users_visible

    if not has_cap(admin, Cap.MANAGE_USERS):
        return {}
    return {u.username: u for u in users_visible(admin)}


def lockouts_visible(admin: User, now: datetime.datetime | None = None) -> list[Lockout]:
    """Pairs locked now, of users in the admin's areas (a county admin: their county)."""
    now = now or timezone.now()
    users = _users_of(admin)
    rows = AccessAttempt.objects.filter(
        username__in=list(users), failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).order_by("username", "-attempt_time")
    out = []
    for a in rows:
        until = a.attempt_time + lock_for(locks_of(a.username, a.ip_address, now))
        if until > now:
            out.append(Lockout(users[a.username], a.ip_address or "", a.failures_since_start, a.attempt_time, until))
    return out


@transaction.atomic
def lockout_lift(*, actor: User, user_id: int, reason: str = "") -> int:
    """Lift every lock of a user of the actor's areas; returns how many (user, address) pairs were cleared.

    Anyone else (another county's admin, a role without manage_users) gets 404, as for any object
    outside their areas.
    """
    user = next((u for u in _users_of(actor).values() if u.pk == user_id), None)
    if user is None:
        raise NotFound()
    _, deleted = AccessAttempt.objects.filter(username=user.username).delete()
    cleared: int = deleted.get(AccessAttempt._meta.label, 0)
    area = Membership.objects.filter(user=user).order_by("area_id").values_list("area_id", flat=True).first()
    audit_record(
        actor=actor, action="lockout_lift", obj=user, area_code=str(area or ""), reason=reason, data={"pairs": cleared}
    )
    return cleared
