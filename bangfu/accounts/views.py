"""The user's own page: roles, and API tokens (created here or with `bangfu token create`)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bangfu.accounts import audit_log, lockout, selectors, services
from bangfu.accounts.domain import audit
from bangfu.accounts.domain.duties import DUTY_PAIRS
from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.areas.selectors import areas_visible
from bangfu.core.errors import ApplicationError, invalid
from bangfu.core.replicas import replica_ok
from bangfu.core.views import field_errors, reraise_access


@login_required
def profile(request: AuthedHttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/profile.html",
        {
            "memberships": selectors.memberships_of(request.user),
            "tokens": selectors.tokens_of(request.user),
            "new_token": request.session.pop("new_token", None),
            "sign_ins": selectors.sign_ins_of(request.user, limit=30),
        },
    )


@login_required
@require_POST
@writes()
def token_create(request: AuthedHttpRequest) -> HttpResponse:
    name = (request.POST.get("name") or "api").strip()[:80]
    request.session["new_token"] = services.token_create(user=request.user, name=name)
    messages.success(
        request, "令牌已创建，请立即复制保存：它只显示这一次。 Token created; copy it now, it is shown once."
    )
    return redirect("accounts:profile")


@login_required
@require_POST
@writes()
def token_revoke(request: AuthedHttpRequest, token_id: int) -> HttpResponse:
    services.token_revoke(user=request.user, token_id=token_id)
    messages.success(request, "令牌已作废 Token revoked")
    return redirect("accounts:profile")


@login_required
@replica_ok
def audit_list(request: AuthedHttpRequest) -> HttpResponse:
    """审计日志: who did what, when, to which object, in the caller's areas; filters and Excel."""
    f = audit_log.filter_from(request.GET)
    events = selectors.audit_events(request.user, f)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = urlencode({k: v for k in audit_log.FILTER_FIELDS if (v := request.GET.get(k, "").strip())})
    return render(
        request,
        "accounts/audit.html",
        {
            "f": f,
            "page": page,
            "rows": selectors.audit_rows(request.user, page.object_list),
            "actions": audit.action_choices(),
            "object_types": audit.object_choices(),
            "areas": areas_visible(request.user, cap=Cap.VIEW_AUDIT).exclude(level="group")[:500],
            "query": query,
        },
    )


@login_required
@replica_ok
def audit_export(request: AuthedHttpRequest) -> HttpResponse:
    data = audit_log.workbook(request.user, audit_log.filter_from(request.GET))
    response = HttpResponse(data, content_type=audit_log.XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''audit.xlsx"
    return response


@login_required
def lockout_list(request: AuthedHttpRequest) -> HttpResponse:
    """登录锁定: which users of the county are locked out, from which address, until when."""
    lockout.require_lock_admin(request.user)
    return render(request, "accounts/lockouts.html", {"lockouts": lockout.lockouts_visible(request.user)})


@login_required
@require_POST
@writes(Cap.MANAGE_USERS)
def lockout_lift(request: AuthedHttpRequest, user_id: int) -> HttpResponse:
    lockout.require_lock_admin(request.user)
    lockout.lockout_lift(actor=request.user, user_id=user_id, reason=request.POST.get("reason", "")[:200])
    messages.success(request, "已解除锁定 Lock lifted")
    return redirect("accounts:lockouts")


def _delegation_page(
    request: AuthedHttpRequest, errors: dict[str, list[str]] | None = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "accounts/delegations.html",
        {
            "delegations": selectors.delegations_visible(request.user),
            "pairs": DUTY_PAIRS,
            "may_grant": selectors.may_grant_delegations(request.user),
            "areas": areas_visible(request.user, cap=Cap.CLAIM_APPROVE).order_by("code")[:500],
            "errors": errors or {},
            "values": request.POST if request.method == "POST" else {},
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
@writes(Cap.CASE_APPROVE, Cap.CLAIM_APPROVE)
def delegations(request: AuthedHttpRequest) -> HttpResponse:
    """职责例外授权: the county's recorded exceptions to duties kept apart; grant and revoke here."""
    if request.method != "POST":
        return _delegation_page(request)
    post = request.POST
    try:
        delegate = selectors.user_by_username(post.get("delegate", ""))
        services.delegation_grant(
            actor=request.user,
            delegate_id=delegate.pk if delegate else 0,
            duty_pair=post.get("duty_pair", ""),
            area_code=post.get("area_code", ""),
            valid_from=_date_or_none(post.get("valid_from")) or timezone.localdate(),
            valid_to=_date_or_none(post.get("valid_to")),
            reason=post.get("reason", ""),
        )
    except ApplicationError as exc:
        reraise_access(exc)
        return _delegation_page(request, field_errors(exc), 422)
    messages.success(request, "授权已登记 Delegation recorded")
    return redirect("accounts:delegations")


@login_required
@require_POST
@writes(Cap.CASE_APPROVE, Cap.CLAIM_APPROVE)
def delegation_revoke(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    try:
        services.delegation_revoke(actor=request.user, delegation_id=pk, reason=request.POST.get("reason", ""))
    except ApplicationError as exc:
        reraise_access(exc)
        return _delegation_page(request, field_errors(exc), 422)
    messages.success(request, "授权已撤销 Delegation revoked")
    return redirect("accounts:delegations")


def _date_or_none(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((raw or "").strip()) if (raw or "").strip() else None
    except ValueError:
        raise invalid("valid_from", "日期格式应为 年-月-日", "Write dates as YYYY-MM-DD") from None


PASSWORD_FIELDS = ("old_password", "new_password", "new_password_again")


@login_required
@writes()
def password_change(request: AuthedHttpRequest) -> HttpResponse:
    """Change one's own password (old one required, validators apply); this session stays logged in."""
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            services.password_change(user=request.user, **{f: request.POST.get(f, "") for f in PASSWORD_FIELDS})
        except ApplicationError as exc:
            errors = field_errors(exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改 Password changed")
            return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"errors": errors}, status=422 if errors else 200)


class LogoutView(auth_views.LogoutView):
    """Sign out; `Clear-Site-Data` makes the browser drop this origin's caches and storage (the phone's
    offline households, its queue and the service worker's pages: docs/offline.md §2)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response
