"""Writes of accounts: users, memberships, tokens."""

from __future__ import annotations

import datetime
import hashlib
import secrets
import string
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.utils import timezone, translation

from bangfu.accounts import selectors
from bangfu.accounts.domain.administration import membership_dates_problem, role_area_problem
from bangfu.accounts.domain.duties import DUTY_PAIRS, DutyPair
from bangfu.accounts.domain.roles import ROLE_LABELS, Cap, Role
from bangfu.accounts.models import AccountPolicy, ApiToken, Delegation, Membership, User, new_access_version
from bangfu.accounts.password import ADMIN_SET
from bangfu.accounts.selectors.memberships import forget_access
from bangfu.areas.domain.codes import SIGNIFICANT, Level, level_of
from bangfu.core.domain import inputs
from bangfu.core.errors import ApplicationError, Conflict, FieldProblem, Forbidden, NotFound, ValidationFailed, invalid
from bangfu.core.inputs import Problems
from bangfu.core.selectors import get_or_404
from bangfu.core.services import audit_record


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    display_name: str = "",
    actor: User | None = None,
    phone: str = "",
    home_area: str | None = None,
    must_change_password: bool = False,
) -> User:
    if User.objects.filter(username=username).exists():
        raise ApplicationError(
            zh=f"用户名 {username} 已存在", en=f"username {username} is taken", code="duplicate", status=409
        )
    user = User.objects.create_user(
        username=username, password=password, display_name=display_name, phone=phone, home_area_id=home_area
    )
    if must_change_password:  # after the first save: saving a password clears the flag (accounts.password)
        User.objects.filter(pk=user.pk).update(must_change_password=True)
        user.must_change_password = True
    audit_record(actor=actor, action="user_create", obj=user, area_code=home_area or "")
    return user


@transaction.atomic
def membership_grant(
    *,
    user: User,
    role: Role,
    area_code: str,
    organisation: str = "",
    actor: User | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Membership:
    """Grant `role` in the area. With an actor (an administrator), only inside their scope and for roles
    at or below their own (accounts.domain.administration); without one, the system grants (set-up)."""
    if actor is not None:
        _check_grant(actor, user, role, area_code, start, end)
    open_row = Membership.objects.filter(
        user=user, role=role.value, area_id=area_code, organisation=organisation, end__isnull=True
    ).first()
    if open_row is not None:
        if actor is not None:
            raise Conflict("此人已担任该角色", "This person already holds this role there")
        return open_row
    m = Membership.objects.create(
        user=user,
        role=role.value,
        area_id=area_code,
        organisation=organisation,
        start=start or timezone.localdate(),
        end=end,
    )
    audit_record(
        actor=actor,
        action="membership_grant",
        obj=m,
        area_code=area_code,
        data={"role": role.value, "user": user.pk, "from": str(m.start), "end": str(end or "")},
    )
    return m


def access_changed(*, user_ids: Iterable[int | None], in_area: str | None = None) -> None:
    """What these users (and, with `in_area`, everyone holding a role in that area) may reach has
    changed: a new User.access_version, written in the caller's transaction, makes every process read
    their memberships and scope again on their next request (accounts.selectors.memberships)."""
    ids = {pk for pk in user_ids if pk is not None}
    if in_area is not None:
        ids |= set(Membership.objects.filter(area_id=in_area).values_list("user_id", flat=True))
    if not ids:
        return
    User.objects.filter(pk__in=ids).update(access_version=new_access_version())
    forget_access(ids)


@transaction.atomic
def token_create(*, user: User, name: str = "api") -> str:
    """Create a token and return it in full: this is the only time it can be seen."""
    raw = "bf_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, prefix=raw[:8], digest=hashlib.sha256(raw.encode()).hexdigest())
    audit_record(actor=user, action="token_create", obj=user, data={"name": name})
    return raw


def token_touch(*, token: ApiToken) -> None:
    """Record that `token` was used: at most once per BANGFU_TOKEN_TOUCH_SECONDS, so a stream of reads
    costs one UPDATE every few minutes, not one per request. bangfu/api.py does not call it for a request
    that reads from a replica (its read path stays free of writes)."""
    now = timezone.now()
    every = datetime.timedelta(seconds=settings.BANGFU_TOKEN_TOUCH_SECONDS)
    if token.last_used is not None and now - token.last_used < every:
        return
    # bookkeeping, not the caller's write: it goes to the primary without making the request one that
    # wrote (which would send its further reads to the primary and mark it for read-your-writes)
    ApiToken.objects.using(DEFAULT_DB_ALIAS).filter(pk=token.pk).update(last_used=now)
    token.last_used = now


def token_wrote(*, token: ApiToken) -> None:
    """A request made with `token` wrote: its next reads stay on the primary (read-your-writes,
    bangfu.core.replicas), also for clients that keep no cookie."""
    now = timezone.now()
    ApiToken.objects.using(DEFAULT_DB_ALIAS).filter(pk=token.pk).update(last_write=now, last_used=now)
    token.last_write = token.last_used = now


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
    else:
        _county_grant_scope(actor, pair, area_code)  # outsiders learn nothing from the checks below
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
    d = get_or_404(Delegation.objects.select_for_update(), delegation_id)
    _county_grant_scope(actor, DUTY_PAIRS[d.duty_pair], d.area_id)
    if not reason.strip():
        raise invalid("reason", "请填写撤销理由", "Give the reason for revoking")
    if d.revoked_at is not None:
        raise Conflict("该授权已撤销", "This delegation is already revoked")
    d.revoked_at, d.revoked_by, d.revoke_reason = timezone.now(), actor, reason.strip()
    d.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    audit_record(actor=actor, action="delegation_revoke", obj=d, area_code=d.area_id, reason=d.revoke_reason)
    return d


# --- account administration (county administrators; township officers when the county allows) ---------

USERNAME_CHARS = frozenset(string.ascii_letters + string.digits + "_.@+-")
_TEMP_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"


def temporary_password(length: int = 12) -> str:
    """A random first password (no look-alike characters), to be changed at the first sign-in."""
    return "".join(secrets.choice(_TEMP_ALPHABET) for _ in range(max(12, length)))


def _clean_username(value: object) -> str:
    name = inputs.identifier(value, "username", max_len=150, zh="用户名", en="username")
    if len(name) < 3 or not set(name) <= USERNAME_CHARS:
        raise invalid(
            "username",
            "用户名须为3位以上的字母、数字或 _ . @ + -（如 gw_mabian_001）",
            "A username is at least 3 letters, digits or _ . @ + - (e.g. gw_mabian_001)",
        )
    return name


def _check_grant(
    actor: User, user: User, role: Role, area_code: str, start: datetime.date | None, end: datetime.date | None
) -> None:
    from bangfu.areas.selectors import area_by_code  # areas.selectors imports accounts.selectors

    area = area_by_code(area_code)
    if area is None or not any(area_code.startswith(p) for p, _r in selectors.admin_roles(actor)):
        raise NotFound()
    if not selectors.users_visible(actor).filter(pk=user.pk).exists():
        raise NotFound()
    if not selectors.may_administer(actor, area_code, role):
        raise Forbidden(
            f"您只能授予不高于自己的、您有权管理的角色（不能授予{ROLE_LABELS[role]}）",
            f"You may grant only roles at or below your own that you administer (not {role.value})",
        )
    problem = role_area_problem(role, level_of(area_code))
    if problem:
        raise invalid("area_code", *problem)
    dates = membership_dates_problem(start or timezone.localdate(), end)
    if dates:
        raise invalid("end", *dates)
    if not user.is_active:
        raise Conflict("该账号已停用，不能授予角色", "This account is deactivated; it cannot be given a role")


def _require_account_admin(actor: User, user_id: int) -> User:
    """The account, if the actor administers it: in their areas (else 404) and holding no role in force
    that the actor may not grant (else 403)."""
    user = selectors.user_get(actor, user_id)
    for m in Membership.objects.filter(selectors.current_q(), user=user):
        if not selectors.may_administer(actor, m.area_id, Role(m.role)):
            raise Forbidden(
                "该账号担任您无权管理的角色，请联系上级管理员",
                "This person holds a role you do not administer; ask a higher administrator",
            )
    return user


def _home_area_of(user: User) -> str:
    if user.home_area_id:
        return str(user.home_area_id)
    m = Membership.objects.filter(user=user).order_by("-start").first()
    return m.area_id if m else ""


@transaction.atomic
def account_create(
    *,
    actor: User,
    username: str,
    display_name: str,
    phone: str = "",
    role: Role,
    area_code: str,
    organisation: str = "",
    start: datetime.date | None = None,
    password: str = "",
) -> tuple[User, str]:
    """A new account holding `role` in `area_code`, which must change its password at the first sign-in.
    Returns the account and its first password (generated when none is given; shown once)."""
    with Problems() as p:  # every mistake of the form at once
        name = p.check(_clean_username, username)
        display = p.check(inputs.name, display_name, "display_name", max_len=60, zh="姓名", en="name")
        phone_digits = p.check(inputs.phone, phone)
        org = p.check(inputs.text, organisation, "organisation", max_len=100, zh="所属单位", en="organisation")
        home = p.check(_county_or_township, area_code)
    first = password or temporary_password(selectors.policy_for(area_code).password_min_length)
    probe = User(username=name, display_name=display, home_area_id=home)
    _validate_password(first, probe)
    user = user_create(
        username=name,
        password=first,
        display_name=display,
        phone=phone_digits,
        actor=actor,
        home_area=home,
        must_change_password=True,
    )
    membership_grant(user=user, role=role, area_code=area_code, organisation=org, actor=actor, start=start)
    return user, first


def _county_or_township(area_code: str) -> str:
    """The account's home: the county of the area (or the township, for village-level roles, so a
    township that administers its villages keeps its accounts)."""
    level = level_of(area_code)
    if level is None:
        raise invalid("area_code", "区划代码格式不正确", "The area code is malformed")
    n = 9 if level in (Level.VILLAGE, Level.TOWNSHIP, Level.GROUP) else 6
    return area_code[:n].ljust(12, "0") if len(area_code) >= n else area_code


def _validate_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise invalid("password", "；".join(exc.messages), "The password does not meet the policy") from None


@transaction.atomic
def account_update(*, actor: User, user_id: int, display_name: str, phone: str = "") -> User:
    user = _require_account_admin(actor, user_id)
    display = inputs.name(display_name, "display_name", max_len=60, zh="姓名", en="name")
    phone_digits = inputs.phone(phone)
    before = {"display_name": user.display_name, "phone": user.phone}
    user.display_name, user.phone = display, phone_digits
    user.save(update_fields=["display_name", "phone"])
    changed = [k for k, v in before.items() if getattr(user, k) != v]
    audit_record(actor=actor, action="user_update", obj=user, area_code=_home_area_of(user), data={"fields": changed})
    return user


def _grids_to_hand_over(
    actor: User, leaving: User, under: str, handover: dict[int, int | None], reason: str
) -> list[tuple[Any, User | None]]:
    """Check that each of the leaver's grids (under the prefix) names who takes it over (or vacant)."""
    from bangfu.areas.selectors import grids_of_worker  # areas.selectors imports accounts.selectors

    plan: list[tuple[Any, User | None]] = []
    problems: list[FieldProblem] = []
    for grid in grids_of_worker(leaving.pk, under):
        if grid.pk not in handover:
            problems.append(
                FieldProblem(
                    f"handover_{grid.pk}",
                    f"请指定网格「{grid.name}」由谁接手（或选择暂时空缺）",
                    f"Choose who takes over the grid {grid.code} (or leave it vacant)",
                )
            )
            continue
        successor_id = handover[grid.pk]
        successor = None
        if successor_id is not None:
            candidates = {u.pk: u for u in selectors.grid_worker_successors(actor, grid.village_id, leaving)}
            successor = candidates.get(successor_id)
            if successor is None:
                problems.append(
                    FieldProblem(
                        f"handover_{grid.pk}",
                        f"接手人须是「{grid.village.name}」在岗的网格员",
                        f"The successor must be a serving grid worker of the village {grid.village_id}",
                    )
                )
                continue
        plan.append((grid, successor))
    if problems:
        raise ValidationFailed(problems, zh="请为离岗网格员的网格指定接手人", en="Name who takes over each grid")
    if plan and not reason.strip():
        raise invalid("reason", "请填写离岗原因", "Give the reason for leaving")
    return plan


def _hand_over(actor: User, plan: list[tuple[Any, User | None]], reason: str) -> list[dict[str, Any]]:
    from bangfu.areas.services import grid_assign_worker  # areas.services imports accounts.selectors

    done = []
    for grid, successor in plan:
        grid_assign_worker(grid=grid, worker=successor, actor=actor, reason=reason)
        done.append({"grid": grid.pk, "worker": successor.pk if successor else None})
    return done


@transaction.atomic
def account_deactivate(
    *, actor: User, user_id: int, reason: str, handover: dict[int, int | None] | None = None
) -> User:
    """Stop an account (never deleted: its history and everything it did stay): it cannot sign in or use
    tokens, its roles end today, and its grids go to the named successors in the same step."""
    user = _require_account_admin(actor, user_id)
    if user.pk == actor.pk:
        raise Conflict("不能停用自己的账号", "You cannot deactivate your own account")
    if not user.is_active:
        raise Conflict("该账号已停用", "This account is already deactivated")
    why = inputs.text(reason, "reason", max_len=200, required=True, zh="停用原因", en="reason")
    plan = _grids_to_hand_over(actor, user, "", handover or {}, why)
    today = timezone.localdate()
    for m in Membership.objects.select_for_update().filter(user=user, end__isnull=True):
        m.end, m.end_reason = max(today, m.start), why
        m.save(update_fields=["end", "end_reason"])
    user.is_active = False
    user.deactivated_at, user.deactivation_reason = timezone.now(), why
    user.save(update_fields=["is_active", "deactivated_at", "deactivation_reason"])
    grids = _hand_over(actor, plan, why)
    audit_record(
        actor=actor,
        action="user_deactivate",
        obj=user,
        area_code=_home_area_of(user),
        reason=why,
        data={"grids": grids} if grids else {},
    )
    return user


@transaction.atomic
def account_reactivate(*, actor: User, user_id: int, reason: str) -> User:
    """Let a deactivated account sign in again (its roles are granted anew)."""
    user = selectors.user_get(actor, user_id)
    if user.is_active:
        raise Conflict("该账号未停用", "This account is active")
    why = inputs.text(reason, "reason", max_len=200, required=True, zh="原因", en="reason")
    home = _home_area_of(user)
    if not home or not any(home.startswith(p) for p, _r in selectors.admin_roles(actor)):
        raise Forbidden("只有账号所属区划的管理员可以恢复账号", "Only the account's own administrators may restore it")
    user.is_active, user.deactivated_at, user.deactivation_reason = True, None, ""
    user.must_change_password = True
    user.save(update_fields=["is_active", "deactivated_at", "deactivation_reason", "must_change_password"])
    audit_record(actor=actor, action="user_reactivate", obj=user, area_code=_home_area_of(user), reason=why)
    return user


@transaction.atomic
def password_reset(*, actor: User, user_id: int) -> str:
    """Give the account a new random password, shown once; the user must change it at the next sign-in."""
    user = _require_account_admin(actor, user_id)
    if user.pk == actor.pk:
        raise Conflict("请在“修改密码”页面修改自己的密码", "Change your own password on the password page")
    temp = temporary_password(selectors.policy_for(_home_area_of(user) or "").password_min_length)
    user.set_password(temp)
    user.must_change_password = True
    setattr(user, ADMIN_SET, True)  # not the user's own change: the flag stays
    user.save(update_fields=["password", "must_change_password"])
    audit_record(actor=actor, action="user_password_reset", obj=user, area_code=_home_area_of(user))
    return temp


@transaction.atomic
def membership_end(
    *,
    actor: User,
    membership_id: int,
    reason: str,
    end: datetime.date | None = None,
    handover: dict[int, int | None] | None = None,
) -> Membership:
    """End a role (kept as history). A grid worker's grids in that village go to the named successors."""
    m = selectors.membership_get(actor, membership_id)
    if not selectors.may_administer(actor, m.area_id, Role(m.role)):
        raise Forbidden("您无权结束该角色", "You may not end this role")
    if m.end is not None and m.end <= timezone.localdate():
        raise Conflict("该角色已结束", "This role has already ended")
    why = inputs.text(reason, "reason", max_len=200, required=True, zh="结束原因", en="reason")
    on = end or timezone.localdate()
    if on < timezone.localdate():
        raise invalid("end", "结束日期不能早于今天", "The end date cannot be in the past")
    problem = membership_dates_problem(m.start, on)
    if problem:
        raise invalid("end", *problem)
    plan = []
    if m.role == Role.GRID_WORKER.value and on == timezone.localdate():
        plan = _grids_to_hand_over(actor, m.user, _area_prefix(m.area_id), handover or {}, why)
    m.end, m.end_reason = on, why
    m.save(update_fields=["end", "end_reason"])
    grids = _hand_over(actor, plan, why)
    audit_record(
        actor=actor,
        action="membership_end",
        obj=m,
        area_code=m.area_id,
        reason=why,
        data={"role": m.role, "user": m.user_id, "end": str(on), **({"grids": grids} if grids else {})},
    )
    return m


def _area_prefix(code: str) -> str:
    level = level_of(code)
    return code[: SIGNIFICANT[level]] if level else code


@transaction.atomic
def policy_set(
    *,
    actor: User,
    area_code: str,
    effective_from: datetime.date,
    township_administers: bool,
    password_min_length: int,
    password_block_common: bool = True,
) -> AccountPolicy:
    """A county's account policy from a date (a new row; earlier rows stay as history)."""
    if level_of(area_code) != Level.COUNTY or not any(
        area_code.startswith(p) for p, r in selectors.admin_roles(actor) if r == Role.COUNTY_ADMIN
    ):
        if not any(area_code.startswith(p) for p, _r in selectors.admin_roles(actor)):
            raise NotFound()
        raise Forbidden("只有县级管理员可以设置本县的账号规则", "Only the county administrator sets the account policy")
    length = inputs.count(password_min_length, "password_min_length", low=8, high=64)
    row = AccountPolicy.objects.create(
        area_id=area_code,
        effective_from=effective_from,
        township_administers=township_administers,
        password_min_length=length,
        password_block_common=password_block_common,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="account_policy_set",
        obj=row,
        area_code=area_code,
        data={
            "effective_from": str(effective_from),
            "township_administers": township_administers,
            "password_min_length": length,
            "password_block_common": password_block_common,
        },
    )
    return row


def password_change(*, user: User, old_password: str, new_password: str, new_password_again: str) -> User:
    """The user changes their own password: the old one is required, the new one must pass the
    configured validators (length, common passwords, …). The caller keeps the session alive
    (django.contrib.auth.update_session_auth_hash); other sessions of the user end."""
    if not user.check_password(old_password or ""):
        raise invalid("old_password", "原密码不正确", "The current password is not correct")
    problems = []
    if new_password != new_password_again:
        problems.append(FieldProblem("new_password_again", "两次输入的新密码不一致", "The two new passwords differ"))
    if new_password == old_password:
        problems.append(
            FieldProblem("new_password", "新密码不能与原密码相同", "The new password must differ from the current one")
        )
    # Some validators translate when they raise: run them once per language.
    with translation.override("zh-hans"):
        zh_notes = _password_notes(new_password, user)
    with translation.override("en"):
        en_notes = _password_notes(new_password, user)
    problems += [FieldProblem("new_password", zh, en) for zh, en in zip(zh_notes, en_notes, strict=True)]
    if problems:
        raise ValidationFailed(
            problems, zh="新密码不符合要求，请按提示修改", en="The new password was not accepted; see the notes"
        )
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit_record(actor=user, action="password_change", obj=user)
    return user


def _password_notes(password: str, user: User) -> list[str]:
    try:
        password_validation.validate_password(password or "", user)
    except DjangoValidationError as exc:
        return [str(m) for m in exc.messages]
    return []


# --- the first administrator of an empty install ------------------------------------------------------


def first_run_open() -> bool:
    """True while the install has no account at all: only then may the first administrator be created."""
    return not User.objects.exists()


@transaction.atomic
def first_admin_create(
    *,
    username: str,
    display_name: str,
    password: str,
    county_code: str,
    county_name: str,
    province_name: str,
    prefecture_name: str,
) -> User:
    """The first account of an empty install: the county (with its province and prefecture) and its
    administrator, who then sets the county up from the checklist. Refused once any account exists."""
    from bangfu.areas import selectors as areas  # areas imports accounts.selectors
    from bangfu.areas import services as area_services

    if connection.vendor == "postgresql":  # two first-run forms sent at once: the second waits, then is refused
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE accounts_user IN EXCLUSIVE MODE")
    if not first_run_open():
        raise Conflict(
            "系统已有账号，首次设置已完成；请登录", "Accounts exist already: the first-run set-up is over; log in"
        )
    code = (county_code or "").strip()
    name, names = _first_admin_values(
        code,
        username,
        password,
        {
            "county_name": county_name,
            "province_name": province_name,
            "prefecture_name": prefecture_name,
            "display_name": display_name,
        },
    )
    chain = [
        (code[:2].ljust(12, "0"), names["province_name"], None),
        (code[:4].ljust(12, "0"), names["prefecture_name"], code[:2].ljust(12, "0")),
        (code, names["county_name"], code[:4].ljust(12, "0")),
    ]
    for area_code, area_name, parent in chain:
        if areas.area_by_code(area_code) is None:
            area_services.area_create(code=area_code, name=area_name, parent_code=parent)
    user = user_create(username=name, password=password, display_name=names["display_name"], home_area=code)
    membership_grant(user=user, role=Role.COUNTY_ADMIN, area_code=code)
    audit_record(actor=user, action="first_admin_create", obj=user, area_code=code)
    return user


def _first_admin_values(code: str, username: str, password: str, given: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The username and the names, checked all at once (each problem beside its field)."""
    problems: list[FieldProblem] = []
    if level_of(code) != Level.COUNTY:
        problems.append(
            FieldProblem(
                "county_code",
                "县级区划代码为12位数字，后6位为0（如 511133000000）",
                "A county code is 12 digits ending in six zeros (e.g. 511133000000)",
            )
        )
    labels = {
        "county_name": ("县(区)名称", "county name"),
        "province_name": ("省名称", "province name"),
        "prefecture_name": ("市(州)名称", "prefecture name"),
        "display_name": ("姓名", "name"),
    }
    names: dict[str, str] = {}
    for field, (zh, en) in labels.items():
        try:
            names[field] = inputs.name(
                given[field], field, max_len=60 if field == "display_name" else 100, zh=zh, en=en
            )
        except ValidationFailed as exc:
            problems += exc.problems
    name = ""
    try:
        name = _clean_username(username)
    except ValidationFailed as exc:
        problems += exc.problems
    try:
        _validate_password(password or "", User(username=name, display_name=names.get("display_name", "")))
    except ValidationFailed as exc:
        problems += exc.problems
    if problems:
        raise ValidationFailed(problems)
    return name, names
