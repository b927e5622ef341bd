"""The user's own page: roles, and API tokens (created here or with `bangfu token create`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts import audit_log, lockout, selectors, services
from bangfu.accounts.domain import audit
from bangfu.accounts.domain.duties import DUTY_PAIRS
from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.areas.selectors import area_names, areas_visible
from bangfu.core import inputs
from bangfu.core.i18n import in_language
from bangfu.core.listing import Listing
from bangfu.core.replicas import replica_ok
from bangfu.core.selectors import get_or_404
from bangfu.core.views import form_post, page_on_get, same


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
@page_on_get("accounts:profile", to=same())
@writes()
def token_create(request: AuthedHttpRequest) -> HttpResponse:
    name = (request.POST.get("name") or "api").strip()[:80]
    request.session["new_token"] = services.token_create(user=request.user, name=name)
    messages.success(request, _("令牌已创建，请立即复制保存：它只显示这一次。"))
    return redirect("accounts:profile")


def _own_token(request: AuthedHttpRequest, token_id: int) -> dict[str, Any]:
    get_or_404(selectors.tokens_of(request.user), token_id)  # someone else's token: 404
    return {}


@login_required
@page_on_get("accounts:profile", to=_own_token)
@writes()
def token_revoke(request: AuthedHttpRequest, token_id: int) -> HttpResponse:
    services.token_revoke(user=request.user, token_id=token_id)
    messages.success(request, _("令牌已作废"))
    return redirect("accounts:profile")


@login_required
@replica_ok
def audit_list(request: AuthedHttpRequest) -> HttpResponse:
    """审计日志: who did what, when, to which object, in the caller's areas; filters and Excel."""
    f = audit_log.filter_from(request.GET)
    events = selectors.audit_events(request.user, f)  # 404 for an area outside the user's
    listing = Listing(request, sorts={"at": ("at",)}, default_sort="-at")
    if f.area:
        listing.chip(area_names({f.area}).get(f.area, f.area), "area")
    page = listing.page(events)
    query = urlencode({k: v for k in audit_log.FILTER_FIELDS if (v := request.GET.get(k, "").strip())})
    return render(
        request,
        "accounts/audit.html",
        {
            "f": f,
            "page": page,
            "listing": listing,
            "rows": selectors.audit_rows(request.user, page.object_list),
            "actions": _translated(audit.action_choices()),
            "object_types": _translated(audit.object_choices()),
            "areas": areas_visible(request.user, cap=Cap.VIEW_AUDIT).exclude(level="group")[:500],
            "query": query,
        },
    )


def _translated(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(code, label) choices in the reader's language, in the order of the translated labels."""
    return sorted(((code, _(label)) for code, label in choices), key=lambda kv: kv[1])


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


def _locked_user_seen(request: AuthedHttpRequest, user_id: int) -> dict[str, Any]:
    get_or_404(selectors.users_visible(request.user), user_id)  # outside the user's areas: 404
    return {}


@login_required
@page_on_get("accounts:lockouts", to=_locked_user_seen)
@writes(Cap.MANAGE_USERS)
def lockout_lift(request: AuthedHttpRequest, user_id: int) -> HttpResponse:
    lockout.require_lock_admin(request.user)
    lockout.lockout_lift(actor=request.user, user_id=user_id, reason=request.POST.get("reason", "")[:200])
    messages.success(request, _("已解除锁定"))
    return redirect("accounts:lockouts")


DELEGATION_FIELDS = ("duty_pair", "delegate", "area_code", "valid_from", "valid_to", "reason")


def _delegation_context(request: AuthedHttpRequest) -> dict[str, Any]:
    return {
        "delegations": selectors.delegations_visible(request.user),
        "pairs": [(code, in_language(p.zh, p.en)) for code, p in DUTY_PAIRS.items()],
        "pair_names": {code: in_language(p.zh, p.en) for code, p in DUTY_PAIRS.items()},
        "may_grant": selectors.may_grant_delegations(request.user),
        "areas": [(a.code, a.name) for a in areas_visible(request.user, cap=Cap.CLAIM_APPROVE).order_by("code")[:500]],
    }


@login_required
@writes(Cap.CASE_APPROVE, Cap.CLAIM_APPROVE)
def delegations(request: AuthedHttpRequest) -> HttpResponse:
    """职责例外授权: the county's recorded exceptions to duties kept apart; grant and revoke here."""

    def run(v: dict[str, str]) -> object:
        with inputs.Problems() as p:
            valid_from = p.date(v["valid_from"], "valid_from", required=False, future=True)
            valid_to = p.date(v["valid_to"], "valid_to", required=False, future=True)
        delegate = selectors.user_by_username(v["delegate"])
        return services.delegation_grant(
            actor=request.user,
            delegate_id=delegate.pk if delegate else 0,
            duty_pair=v["duty_pair"],
            area_code=v["area_code"],
            valid_from=valid_from or timezone.localdate(),
            valid_to=valid_to,
            reason=v["reason"],
        )

    return form_post(
        request,
        template="accounts/delegations.html",
        context=lambda: _delegation_context(request),
        fields=DELEGATION_FIELDS,
        initial={"valid_from": timezone.localdate().isoformat()},
        run=run,
        done=_("授权已登记"),
        then="accounts:delegations",
    )


def _delegation_seen(request: AuthedHttpRequest, pk: int) -> dict[str, Any]:
    get_or_404(selectors.delegations_visible(request.user), pk)  # outside the user's areas: 404
    return {}


@login_required
@page_on_get("accounts:delegations", to=_delegation_seen)
@writes(Cap.CASE_APPROVE, Cap.CLAIM_APPROVE)
def delegation_revoke(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    reason = request.POST.get("reason", "").strip()
    return form_post(
        request,
        template="accounts/delegations.html",
        context=lambda: _delegation_context(request) | {"revoking": pk, "revoke_reason": reason},  # on a problem
        fields=("reason",),
        run=lambda v: services.delegation_revoke(actor=request.user, delegation_id=pk, reason=v["reason"]),
        done=_("授权已撤销"),
        then="accounts:delegations",
    )


PASSWORD_FIELDS = ("old_password", "new_password", "new_password_again")


@login_required
@writes()
def password_change(request: AuthedHttpRequest) -> HttpResponse:
    """Change one's own password (old one required, validators apply); this session stays logged in."""

    def then(_result: object) -> HttpResponse:
        update_session_auth_hash(request, request.user)  # this session stays logged in
        return redirect("accounts:profile")

    return form_post(
        request,
        template="accounts/password_change.html",
        context={"errors": {}},
        fields=PASSWORD_FIELDS,
        forget=PASSWORD_FIELDS,  # a password is never written back into a page
        run=lambda _v: services.password_change(
            user=request.user, **{f: request.POST.get(f, "") for f in PASSWORD_FIELDS}
        ),
        done=_("密码已修改"),
        then=then,
    )


class LogoutView(auth_views.LogoutView):
    """Sign out; `Clear-Site-Data` makes the browser drop this origin's caches and storage (the phone's
    offline households, its queue and the service worker's pages: docs/offline.md §2)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response
