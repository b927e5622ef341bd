"""Writes of accounts: users, memberships, tokens."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from bangfu.accounts.domain.duties import DUTY_PAIRS, DutyPair
from bangfu.accounts.domain.roles import Cap, Role
from bangfu.accounts.models import ApiToken, Delegation, Membership, User
from bangfu.core.errors import ApplicationError, Conflict, FieldProblem, Forbidden, NotFound, ValidationFailed, invalid
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


def _county_grant_scope(actor: User, pair: DutyPair, area_code: str) -> None:
    """Only a county (or higher) holder of the pair's capability over the area may grant or revoke."""
    from bangfu.areas.selectors import scope_for  # areas.selectors imports accounts.selectors

    scope = scope_for(actor, Cap(pair.grant_cap))
    if not scope.covers_code(area_code):
        raise NotFound()
    if not scope.everything and not any(len(p) <= 6 and area_code.startswith(p) for p in scope.prefixes):
        raise Forbidden(
            "只有县级审批人员可以授权职责分离的例外",
            "Only the county's approvers may grant a separation-of-duties exception",
        )


@transaction.atomic
def delegation_grant(
    *,
    actor: User,
    delegate_id: int,
    duty_pair: str,
    area_code: str,
    valid_from: datetime.date,
    valid_to: datetime.date | None,
    reason: str,
) -> Delegation:
    """Record that `delegate` may do both duties of `duty_pair` on work in the area (county's exception)."""
    problems: list[FieldProblem] = []
    pair = DUTY_PAIRS.get(duty_pair)
    if pair is None:
        problems.append(FieldProblem("duty_pair", "职责组合无效", "Unknown duty pair"))
    if not reason.strip():
        problems.append(FieldProblem("reason", "请填写授权理由", "Give the reason for the exception"))
    if valid_to is not None and valid_to < valid_from:
        problems.append(FieldProblem("valid_to", "截止日期不能早于生效日期", "The end date cannot precede the start"))
    delegate = User.objects.filter(pk=delegate_id, is_active=True).first()
    if delegate is None:
        problems.append(FieldProblem("delegate_id", "被授权人不存在或已停用", "No such active user"))
    elif delegate.pk == actor.pk:
        problems.append(FieldProblem("delegate_id", "不能授权给自己", "You cannot delegate to yourself"))
    if problems:
        raise ValidationFailed(problems)
    assert pair is not None and delegate is not None
    _county_grant_scope(actor, pair, area_code)
    d = Delegation.objects.create(
        delegator=actor,
        delegate=delegate,
        duty_pair=duty_pair,
        area_id=area_code,
        valid_from=valid_from,
        valid_to=valid_to,
        reason=reason.strip(),
    )
    audit_record(
        actor=actor,
        action="delegation_grant",
        obj=d,
        area_code=area_code,
        reason=d.reason,
        data={"delegate": delegate.pk, "duty_pair": duty_pair, "from": str(valid_from), "to": str(valid_to or "")},
    )
    return d


@transaction.atomic
def delegation_revoke(*, actor: User, delegation_id: int, reason: str) -> Delegation:
    d = Delegation.objects.select_for_update().filter(pk=delegation_id).first()
    if d is None:
        raise NotFound()
    _county_grant_scope(actor, DUTY_PAIRS[d.duty_pair], d.area_id)
    if not reason.strip():
        raise invalid("reason", "请填写撤销理由", "Give the reason for revoking")
    if d.revoked_at is not None:
        raise Conflict("该授权已撤销", "This delegation is already revoked")
    d.revoked_at, d.revoked_by, d.revoke_reason = timezone.now(), actor, reason.strip()
    d.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    audit_record(actor=actor, action="delegation_revoke", obj=d, area_code=d.area_id, reason=d.revoke_reason)
    return d
