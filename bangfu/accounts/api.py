"""JSON API of accounts: who am I (roles, areas, capabilities), and the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status

from bangfu.accounts import audit_log, lockout, selectors, services
from bangfu.accounts.domain.duties import DUTY_PAIRS
from bangfu.accounts.domain.roles import Cap
from bangfu.core.errors import Forbidden

router = Router(tags=["accounts"])


class MembershipOut(Schema):
    role: str
    area_code: str
    area_name: str
    organisation: str


class MeOut(Schema):
    username: str
    display_name: str
    memberships: list[MembershipOut]
    capabilities: list[str]


@router.get("/me", response=MeOut, summary="当前用户 The calling user")
def me(request: HttpRequest) -> MeOut:
    user = request.user
    return MeOut(
        username=user.username,  # type: ignore[union-attr]
        display_name=str(user),
        memberships=[
            MembershipOut(role=m.role, area_code=m.area.code, area_name=m.area.name, organisation=m.organisation)
            for m in selectors.memberships_of(user)  # type: ignore[arg-type]
        ],
        capabilities=sorted(c.value for c in selectors.capabilities_of(user)),  # type: ignore[arg-type]
    )


class AuditQuery(Schema):
    person: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    area: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


class AuditEventOut(Schema):
    id: int
    at: dt.datetime
    actor: str
    actor_username: str | None
    action: str
    action_label: str
    object_type: str
    object_label: str
    object_id: str
    area_code: str
    area_name: str
    change: str
    reason: str
    data: dict[str, Any]


class AuditPageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[AuditEventOut]


def _audit_filter(q: AuditQuery) -> selectors.AuditFilter:
    return audit_log.filter_from(
        {k: (v.isoformat() if isinstance(v, dt.date) else v or "") for k, v in q.dict().items()}
    )


@router.get("/audit", response=AuditPageOut, summary="审计日志 Audit log of your areas")
def audit(request: HttpRequest, filters: Query[AuditQuery], page: int = 1) -> dict[str, Any]:
    """Who did what, when, to which object (newest first, 100 a page). Needs `view_audit` (county
    admin, auditor); only events of objects in the caller's areas. `area` narrows to an area and below."""
    user = request.user
    events = selectors.audit_events(user, _audit_filter(filters))  # type: ignore[arg-type]
    p = Paginator(events, 100).get_page(page)
    items = [
        {
            "id": r.event.pk,
            "at": r.event.at,
            "actor": str(r.event.actor) if r.event.actor else "系统",
            "actor_username": r.event.actor.username if r.event.actor else None,
            "action": r.event.action,
            "action_label": r.action_label,
            "object_type": r.event.object_type,
            "object_label": r.object_label,
            "object_id": r.event.object_id,
            "area_code": r.event.area_code,
            "area_name": r.area_name,
            "change": r.change,
            "reason": r.event.reason,
            "data": r.event.data,
        }
        for r in selectors.audit_rows(user, p.object_list)  # type: ignore[arg-type]
    ]
    return {"count": p.paginator.count, "page": p.number, "pages": p.paginator.num_pages, "items": items}


@router.get("/audit.xlsx", summary="审计日志导出 Audit log as Excel")
def audit_export(request: HttpRequest, filters: Query[AuditQuery]) -> HttpResponse:
    data = audit_log.workbook(request.user, _audit_filter(filters))  # type: ignore[arg-type]
    response = HttpResponse(data, content_type=audit_log.XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''audit.xlsx"
    return response


class LockoutOut(Schema):
    user_id: int
    username: str
    name: str
    address: str
    failures: int
    last_failure: dt.datetime
    until: dt.datetime


class LockoutLiftIn(Schema):
    reason: str = ""


class LockoutLiftOut(Schema):
    user_id: int
    cleared: int


def _manage_users(request: HttpRequest) -> Any:
    if not selectors.has_cap(request.user, Cap.MANAGE_USERS):  # type: ignore[arg-type]
        raise Forbidden("只有县级管理员可以解除登录锁定", "Only the county administrators may lift login locks")
    return request.user


@router.get("/lockouts", response=list[LockoutOut], summary="登录锁定 Locked logins of your county's users")
def lockouts(request: HttpRequest) -> list[dict[str, Any]]:
    """Pairs (user, client address) locked now after repeated wrong passwords. Needs `manage_users`."""
    return [
        {
            "user_id": lk.user.pk,
            "username": lk.user.username,
            "name": str(lk.user),
            "address": lk.address,
            "failures": lk.failures,
            "last_failure": lk.last_failure,
            "until": lk.until,
        }
        for lk in lockout.lockouts_visible(_manage_users(request))
    ]


@router.post("/users/{user_id}/unlock", response=LockoutLiftOut, summary="解除锁定 Lift a user's login locks")
def unlock(request: HttpRequest, user_id: int, body: LockoutLiftIn) -> dict[str, Any]:
    """Clears every lock of a user of your county (all addresses); audited. 404 for other users."""
    cleared = lockout.lockout_lift(actor=_manage_users(request), user_id=user_id, reason=body.reason[:200])
    return {"user_id": user_id, "cleared": cleared}


class DelegationIn(Schema):
    delegate: str  # the delegate's username
    duty_pair: str  # a code of accounts.domain.duties.DUTY_PAIRS, e.g. "claim.calculate-approve"
    area_code: str
    valid_from: dt.date
    valid_to: dt.date | None = None
    reason: str


class RevokeIn(Schema):
    reason: str


class DelegationOut(Schema):
    id: int
    duty_pair: str
    duty_pair_label: str
    delegate: str
    delegator: str
    area_code: str
    valid_from: dt.date
    valid_to: dt.date | None
    reason: str
    revoked_at: dt.datetime | None
    revoke_reason: str


def _delegation_out(d: Any) -> DelegationOut:
    pair = DUTY_PAIRS.get(d.duty_pair)
    return DelegationOut(
        id=d.pk,
        duty_pair=d.duty_pair,
        duty_pair_label=f"{pair.zh} / {pair.en}" if pair else d.duty_pair,
        delegate=d.delegate.username,
        delegator=d.delegator.username,
        area_code=d.area_id,
        valid_from=d.valid_from,
        valid_to=d.valid_to,
        reason=d.reason,
        revoked_at=d.revoked_at,
        revoke_reason=d.revoke_reason,
    )


@router.get("/delegations", response=list[DelegationOut], summary="职责例外授权 Delegations in your areas, and yours")
def delegation_list(request: HttpRequest) -> list[DelegationOut]:
    return [_delegation_out(d) for d in selectors.delegations_visible(request.user)]  # type: ignore[arg-type]


@router.post("/delegations", response={201: DelegationOut}, summary="登记授权 Record a delegation (county approvers)")
def delegation_grant(request: HttpRequest, body: DelegationIn) -> Status:
    delegate = selectors.user_by_username(body.delegate)
    d = services.delegation_grant(
        actor=request.user,  # type: ignore[arg-type]
        delegate_id=delegate.pk if delegate else 0,
        duty_pair=body.duty_pair,
        area_code=body.area_code,
        valid_from=body.valid_from,
        valid_to=body.valid_to,
        reason=body.reason,
    )
    return Status(201, _delegation_out(d))


@router.post("/delegations/{delegation_id}/revoke", response=DelegationOut, summary="撤销授权 Revoke a delegation")
def delegation_revoke(request: HttpRequest, delegation_id: int, body: RevokeIn) -> DelegationOut:
    d = services.delegation_revoke(actor=request.user, delegation_id=delegation_id, reason=body.reason)  # type: ignore[arg-type]
    return _delegation_out(d)
