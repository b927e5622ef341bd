"""Writes of accounts: users, memberships, tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from bangfu.accounts.domain.roles import Role
from bangfu.accounts.models import ApiToken, Membership, User
from bangfu.core.errors import ApplicationError, NotFound
from bangfu.core.services import audit_record


@transaction.atomic
def user_create(
    *, username: str, password: str, display_name: str = "", actor: User | None = None, phone: str = ""
) -> User:
    if User.objects.filter(username=username).exists():
        raise ApplicationError(
            zh=f"用户名 {username} 已存在", en=f"username {username} is taken", code="duplicate", status=409
        )
    user = User.objects.create_user(username=username, password=password, display_name=display_name, phone=phone)
    audit_record(actor=actor, action="user_create", obj=user)
    return user


@transaction.atomic
def membership_grant(
    *, user: User, role: Role, area_code: str, organisation: str = "", actor: User | None = None
) -> Membership:
    m, _ = Membership.objects.get_or_create(user=user, role=role.value, area_id=area_code, organisation=organisation)
    audit_record(actor=actor, action="membership_grant", obj=m, area_code=area_code, data={"role": role.value})
    return m


@transaction.atomic
def token_create(*, user: User, name: str = "api") -> str:
    """Create a token and return it in full: this is the only time it can be seen."""
    raw = "bf_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, prefix=raw[:8], digest=hashlib.sha256(raw.encode()).hexdigest())
    audit_record(actor=user, action="token_create", obj=user, data={"name": name})
    return raw


@transaction.atomic
def token_revoke(*, user: User, token_id: int) -> None:
    n = ApiToken.objects.filter(user=user, pk=token_id, revoked__isnull=True).update(revoked=timezone.now())
    if not n:
        raise NotFound()
    audit_record(actor=user, action="token_revoke", obj=user, data={"token": token_id})
