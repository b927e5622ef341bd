"""JSON API of accounts: who am I (roles, areas, capabilities, sign-ins), the audit log, and account
administration (accounts, roles, batch import, policy, who can do what in an area)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import SESSION_KEY, update_session_auth_hash
from django.core.paginator import Paginator
from django.http import HttpResponse
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from bangfu.accounts import audit_log, batch, lockout, selectors, services
from bangfu.accounts.domain.duties import DUTY_PAIRS
from bangfu.accounts.domain.roles import ROLE_LABELS, Cap, Role, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.accounts.models import User
from bangfu.core.domain import inputs
from bangfu.core.errors import NotFound
from bangfu.core.excel import upload_bytes
from bangfu.core.replicas import replica_ok

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
def me(request: AuthedHttpRequest) -> MeOut:
    user = request.user
    return MeOut(
        username=user.username,
        display_name=str(user),
        memberships=[
            MembershipOut(role=m.role, area_code=m.area.code, area_name=m.area.name, organisation=m.organisation)
            for m in selectors.memberships_of(user)
        ],
        capabilities=sorted(c.value for c in selectors.capabilities_of(user)),
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
@replica_ok
def audit(request: AuthedHttpRequest, filters: Query[AuditQuery], page: int = 1) -> dict[str, Any]:
    """Who did what, when, to which object (newest first, 100 a page). Needs `view_audit` (county
    admin, auditor); only events of objects in the caller's areas. `area` narrows to an area and below."""
    user = request.user
    events = selectors.audit_events(user, _audit_filter(filters))
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
        for r in selectors.audit_rows(user, p.object_list)
    ]
    return {"count": p.paginator.count, "page": p.number, "pages": p.paginator.num_pages, "items": items}


@router.get("/audit.xlsx", summary="审计日志导出 Audit log as Excel")
@replica_ok
def audit_export(request: AuthedHttpRequest, filters: Query[AuditQuery]) -> HttpResponse:
    data = audit_log.workbook(request.user, _audit_filter(filters))
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


@router.get("/lockouts", response=list[LockoutOut], summary="登录锁定 Locked logins of your county's users")
def lockouts(request: AuthedHttpRequest) -> list[dict[str, Any]]:
    """Pairs (user, client address) locked now after repeated wrong passwords. Needs `manage_users`."""
    lockout.require_lock_admin(request.user)
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
        for lk in lockout.lockouts_visible(request.user)
    ]


@router.post("/users/{user_id}/unlock", response=LockoutLiftOut, summary="解除锁定 Lift a user's login locks")
@writes(Cap.MANAGE_USERS)
def unlock(request: AuthedHttpRequest, user_id: int, body: LockoutLiftIn) -> dict[str, Any]:
    """Clears every lock of a user of your county (all addresses); audited. 404 for other users."""
    lockout.require_lock_admin(request.user)
    cleared = lockout.lockout_lift(actor=request.user, user_id=user_id, reason=_reason(body.reason))
    return {"user_id": user_id, "cleared": cleared}


def _reason(value: str) -> str:
    """Refused when too long or with hidden characters (never cut silently)."""
    return inputs.text(value, "reason", max_len=200, multiline=True, zh="原因", en="reason")


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
@replica_ok
def delegation_list(request: AuthedHttpRequest) -> list[DelegationOut]:
    return [_delegation_out(d) for d in selectors.delegations_visible(request.user)]


@router.post("/delegations", response={201: DelegationOut}, summary="登记授权 Record a delegation (county approvers)")
@writes(Cap.CASE_APPROVE, Cap.CLAIM_APPROVE)
def delegation_grant(request: AuthedHttpRequest, body: DelegationIn) -> Status[Any]:
    delegate = selectors.user_by_username(body.delegate)
    d = services.delegation_grant(
        actor=request.user,
        delegate_id=delegate.pk if delegate else 0,
        duty_pair=body.duty_pair,
        area_code=body.area_code,
        valid_from=body.valid_from,
        valid_to=body.valid_to,
        reason=body.reason,
    )
    return Status(201, _delegation_out(d))


@router.post("/delegations/{delegation_id}/revoke", response=DelegationOut, summary="撤销授权 Revoke a delegation")
@writes(Cap.CASE_APPROVE, Cap.CLAIM_APPROVE)
def delegation_revoke(request: AuthedHttpRequest, delegation_id: int, body: RevokeIn) -> DelegationOut:
    d = services.delegation_revoke(actor=request.user, delegation_id=delegation_id, reason=body.reason)
    return _delegation_out(d)


# --- account administration ---------------------------------------------------------------------------


class AccountOut(Schema):
    id: int
    username: str
    display_name: str
    phone: str
    home_area: str | None
    is_active: bool
    must_change_password: bool
    deactivated_at: dt.datetime | None
    deactivation_reason: str


class MembershipHistoryOut(Schema):
    id: int
    role: str
    role_label: str
    area_code: str
    area_name: str
    organisation: str
    start: dt.date
    end: dt.date | None
    end_reason: str


class AccountDetailOut(AccountOut):
    memberships: list[MembershipHistoryOut]


class AccountPageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[AccountOut]


class AccountCreateIn(Schema):
    username: str
    display_name: str
    phone: str = ""
    role: Role
    area_code: str
    organisation: str = ""
    start: dt.date | None = None
    password: str = Field("", description="首次密码；不填则生成（只在本次响应中出现）")


class AccountCreatedOut(Schema):
    account: AccountOut
    password: str = Field(description="首次密码，只显示这一次；首次登录须修改")


class AccountUpdateIn(Schema):
    display_name: str
    phone: str = ""


class GridHandoverIn(Schema):
    grid_id: int
    worker_id: int | None = Field(None, description="接手的网格员；null 表示暂时空缺")


class AccountDeactivateIn(Schema):
    reason: str
    handover: list[GridHandoverIn] = Field(default_factory=list, description="该网格员每个网格由谁接手")


class AccountReasonIn(Schema):
    reason: str


class PasswordResetOut(Schema):
    password: str = Field(description="临时密码，只显示这一次；下次登录须修改")


class RoleGrantIn(Schema):
    role: Role
    area_code: str
    organisation: str = ""
    start: dt.date | None = None
    end: dt.date | None = Field(None, description="当日起失效")


class MembershipEndIn(Schema):
    reason: str
    end: dt.date | None = Field(None, description="当日起失效；不填为今天")
    handover: list[GridHandoverIn] = Field(default_factory=list)


class AccountImportRowOut(Schema):
    row: int
    username: str
    display_name: str
    role: str
    area_code: str
    password: str


class AccountImportOut(Schema):
    created: int
    accounts: list[AccountImportRowOut]


class AccountPolicyIn(Schema):
    area_code: str
    effective_from: dt.date
    township_administers: bool
    password_min_length: int = 8
    password_block_common: bool = True


class AccountPolicyOut(Schema):
    area_code: str
    township_administers: bool
    password_min_length: int
    password_block_common: bool
    effective_from: dt.date | None


class RoleHolderOut(Schema):
    user_id: int
    username: str
    display_name: str
    role: str
    role_label: str
    area_code: str
    area_name: str
    held: str = Field(description="here 本区划 / above 上级 / below 下级")
    organisation: str
    start: dt.date
    end: dt.date | None
    capabilities: list[str]


class AreaPeopleOut(Schema):
    area_code: str
    area_name: str
    people: list[RoleHolderOut]
    roles: dict[str, list[str]]


class SignInOut(Schema):
    at: dt.datetime
    ok: bool
    address: str
    user_agent: str
    logout: dt.datetime | None
    locked_out: bool


def _account(u: User) -> dict[str, Any]:
    return {
        "id": u.pk,
        "username": u.username,
        "display_name": u.display_name,
        "phone": u.phone,
        "home_area": u.home_area_id,
        "is_active": u.is_active,
        "must_change_password": u.must_change_password,
        "deactivated_at": u.deactivated_at,
        "deactivation_reason": u.deactivation_reason,
    }


def _detail(u: User) -> dict[str, Any]:
    rows = [
        {
            "id": m.pk,
            "role": m.role,
            "role_label": ROLE_LABELS[Role(m.role)],
            "area_code": m.area_id,
            "area_name": m.area.name,
            "organisation": m.organisation,
            "start": m.start,
            "end": m.end,
            "end_reason": m.end_reason,
        }
        for m in selectors.memberships_history(u)
    ]
    return _account(u) | {"memberships": rows}


def _handover(rows: list[GridHandoverIn]) -> dict[int, int | None]:
    return {r.grid_id: r.worker_id for r in rows}


@router.get("/users", response=AccountPageOut, summary="账号列表 Accounts you administer")
@replica_ok
def users(request: AuthedHttpRequest, q: str = "", page: int = 1) -> dict[str, Any]:
    """Accounts of the caller's areas (county administrator; township officers when the county allows it),
    50 a page; `q` searches username, name and phone."""
    p = Paginator(selectors.users_visible(request.user, search=q[:60]), 50).get_page(page)
    return {
        "count": p.paginator.count,
        "page": p.number,
        "pages": p.paginator.num_pages,
        "items": [_account(u) for u in p],
    }


@router.post("/users", response={201: AccountCreatedOut}, summary="新建账号 Create an account")
@writes(Cap.MANAGE_USERS)
def user_create(request: AuthedHttpRequest, body: AccountCreateIn) -> Status[dict[str, Any]]:
    """The account holds `role` in `area_code` (within your areas, a role at or below your own) and must
    change its password at its first sign-in; the first password is in this answer only."""
    user, first = services.account_create(actor=request.user, **body.dict())
    return Status(201, {"account": _account(user), "password": first})


@router.get("/users/template.xlsx", summary="账号导入模板 Template for importing accounts")
def users_template(request: AuthedHttpRequest) -> HttpResponse:
    selectors.users_visible(request.user)
    response = HttpResponse(batch.template_workbook(request.user), content_type=batch.XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''accounts-template.xlsx"
    return response


@router.post("/users/import", response={201: AccountImportOut}, summary="批量导入账号 Import accounts (all or none)")
@writes(Cap.MANAGE_USERS)
def users_import(request: AuthedHttpRequest, file: File[UploadedFile]) -> Status[dict[str, Any]]:
    """422 with `errors` (row, column, message, message_en) when any row is wrong: then none is created."""
    created = batch.accounts_import(actor=request.user, data=upload_bytes(file), filename=file.name or "")
    return Status(201, {"created": len(created), "accounts": [c.__dict__ for c in created]})


@router.get("/users/{pk}", response=AccountDetailOut, summary="账号 One account with its roles")
def user_detail(request: AuthedHttpRequest, pk: int) -> dict[str, Any]:
    return _detail(selectors.user_get(request.user, pk))


@router.patch("/users/{pk}", response=AccountDetailOut, summary="修改账号 Edit an account")
@writes(Cap.MANAGE_USERS)
def user_update(request: AuthedHttpRequest, pk: int, body: AccountUpdateIn) -> dict[str, Any]:
    return _detail(services.account_update(actor=request.user, user_id=pk, **body.dict()))


@router.post("/users/{pk}/deactivate", response=AccountDetailOut, summary="停用账号 Deactivate (never deleted)")
@writes(Cap.MANAGE_USERS)
def user_deactivate(request: AuthedHttpRequest, pk: int, body: AccountDeactivateIn) -> dict[str, Any]:
    """Roles end today; each grid of a grid worker goes to the named worker (or vacant) in the same step."""
    user = services.account_deactivate(
        actor=request.user, user_id=pk, reason=body.reason, handover=_handover(body.handover)
    )
    return _detail(user)


@router.post("/users/{pk}/reactivate", response=AccountDetailOut, summary="恢复账号 Restore an account")
@writes(Cap.MANAGE_USERS)
def user_reactivate(request: AuthedHttpRequest, pk: int, body: AccountReasonIn) -> dict[str, Any]:
    return _detail(services.account_reactivate(actor=request.user, user_id=pk, reason=body.reason))


@router.post("/users/{pk}/password-reset", response=PasswordResetOut, summary="重置密码 Reset a password")
@writes(Cap.MANAGE_USERS)
def user_password_reset(request: AuthedHttpRequest, pk: int) -> dict[str, Any]:
    """A temporary password (in this answer only); the user must change it at the next sign-in."""
    return {"password": services.password_reset(actor=request.user, user_id=pk)}


@router.post("/users/{pk}/memberships", response={201: MembershipHistoryOut}, summary="授予角色 Grant a role")
@writes(Cap.MANAGE_USERS)
def user_grant(request: AuthedHttpRequest, pk: int, body: RoleGrantIn) -> Status[dict[str, Any]]:
    user = selectors.user_get(request.user, pk)
    m = services.membership_grant(actor=request.user, user=user, **body.dict())
    row = next(r for r in _detail(user)["memberships"] if r["id"] == m.pk)
    return Status(201, row)


@router.post("/memberships/{pk}/end", response=MembershipHistoryOut, summary="结束角色 End a role")
@writes(Cap.MANAGE_USERS)
def membership_end(request: AuthedHttpRequest, pk: int, body: MembershipEndIn) -> dict[str, Any]:
    m = services.membership_end(
        actor=request.user, membership_id=pk, reason=body.reason, end=body.end, handover=_handover(body.handover)
    )
    return next(r for r in _detail(m.user)["memberships"] if r["id"] == m.pk)


@router.get("/policy/{code}", response=AccountPolicyOut, summary="账号规则 Account policy in force")
def policy(request: AuthedHttpRequest, code: str) -> dict[str, Any]:
    if not any(code.startswith(p) for p, _r in selectors.admin_roles(request.user)):
        raise NotFound()
    p = selectors.policy_for(code)
    return {
        "area_code": code,
        "township_administers": p.township_administers,
        "password_min_length": p.password_min_length,
        "password_block_common": p.password_block_common,
        "effective_from": p.row.effective_from if p.row else None,
    }


@router.post("/policy", response={201: AccountPolicyOut}, summary="设置账号规则 Set the county's account policy")
@writes(Cap.MANAGE_USERS)
def policy_set(request: AuthedHttpRequest, body: AccountPolicyIn) -> Status[dict[str, Any]]:
    row = services.policy_set(actor=request.user, **body.dict())
    return Status(
        201,
        {
            "area_code": row.area_id,
            "township_administers": row.township_administers,
            "password_min_length": row.password_min_length,
            "password_block_common": row.password_block_common,
            "effective_from": row.effective_from,
        },
    )


@router.get("/areas/{code}/people", response=AreaPeopleOut, summary="谁能做什么 Who can do what in an area")
@replica_ok
def area_people(request: AuthedHttpRequest, code: str) -> dict[str, Any]:
    """People holding a role in force here, above or below, and what each role may do (in Chinese).
    For account administrators and auditors of the area."""
    area, holders, role_caps = selectors.area_people(request.user, code)
    people = [
        {
            "user_id": h.membership.user_id,
            "username": h.membership.user.username,
            "display_name": str(h.membership.user),
            "role": h.membership.role,
            "role_label": ROLE_LABELS[Role(h.membership.role)],
            "area_code": h.membership.area_id,
            "area_name": h.membership.area.name,
            "held": h.where,
            "organisation": h.membership.organisation,
            "start": h.membership.start,
            "end": h.membership.end,
            "capabilities": h.capabilities,
        }
        for h in holders
    ]
    return {"area_code": area.code, "area_name": area.name, "people": people, "roles": role_caps}


@router.get("/me/sign-ins", response=list[SignInOut], summary="我的登录记录 Your own sign-ins")
def my_sign_ins(request: AuthedHttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "at": s.at,
            "ok": s.ok,
            "address": s.address,
            "user_agent": s.agent,
            "logout": s.logout,
            "locked_out": s.locked_out,
        }
        for s in selectors.sign_ins_of(request.user)
    ]


class PasswordChangeIn(Schema):
    old_password: str
    new_password: str
    new_password_again: str


@router.post("/me/password", response={204: None}, summary="修改本人密码 Change your own password")
@writes()
def password_change(request: AuthedHttpRequest, body: PasswordChangeIn) -> Status[None]:
    """The current password is required; the new one must pass the password rules (422 with
    `errors` per field otherwise). A browser session stays logged in; the user's other sessions end.
    API tokens are not affected (revoke them on the profile page)."""
    user = request.user
    services.password_change(user=user, **body.model_dump())
    session = getattr(request, "session", None)
    if session is not None and session.get(SESSION_KEY) == str(user.pk):  # called from the logged-in browser
        update_session_auth_hash(request, user)
    return Status(204, None)
