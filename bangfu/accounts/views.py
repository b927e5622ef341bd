"""The user's own page: roles, and API tokens (created here or with `bangfu token create`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from bangfu.accounts import selectors, services
from bangfu.accounts.http import AuthedHttpRequest


@login_required
def profile(request: AuthedHttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/profile.html",
        {
            "memberships": selectors.memberships_of(request.user),
            "tokens": selectors.tokens_of(request.user),
            "new_token": request.session.pop("new_token", None),
        },
    )


@login_required
@require_POST
def token_create(request: AuthedHttpRequest) -> HttpResponse:
    name = (request.POST.get("name") or "api").strip()[:80]
    request.session["new_token"] = services.token_create(user=request.user, name=name)
    messages.success(
        request, "令牌已创建，请立即复制保存：它只显示这一次。 Token created; copy it now, it is shown once."
    )
    return redirect("accounts:profile")


@login_required
@require_POST
def token_revoke(request: AuthedHttpRequest, token_id: int) -> HttpResponse:
    services.token_revoke(user=request.user, token_id=token_id)
    messages.success(request, "令牌已作废 Token revoked")
    return redirect("accounts:profile")
