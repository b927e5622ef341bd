"""Password policy by county, and "change your password first" after an administrator's reset.

`CountyPasswordValidator` (in settings.AUTH_PASSWORD_VALIDATORS) applies the policy of the user's county
(accounts.models.AccountPolicy: minimum length, no common passwords) wherever Django validates a
password: the own-password change page, an administrator's chosen first password. Its
`password_changed` hook clears `User.must_change_password` when the user sets a password themselves.

`PasswordChangeRequired` (middleware) sends a flagged user to the password change page before anything
else; the API answers 403 for them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.password_validation import CommonPasswordValidator, MinimumLengthValidator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext

from bangfu.core.errors import Forbidden

ADMIN_SET = "_bangfu_password_set_by_admin"  # set on a User by services that set a password for them


def _policy(user: Any) -> Any:
    from bangfu.accounts import selectors

    code = str(getattr(user, "home_area_id", None) or "")
    if not code and getattr(user, "pk", None):
        code = next((m.area_id for m in selectors.memberships_of(user)), "")
    return selectors.policy_for(code) if code else selectors.Policy()


class CountyPasswordValidator:
    """Minimum length and the common-password list as the user's county sets them (defaults 8, on)."""

    def validate(self, password: str, user: Any = None) -> None:
        policy = _policy(user)
        MinimumLengthValidator(policy.password_min_length).validate(password, user)
        if policy.password_block_common:
            CommonPasswordValidator().validate(password, user)

    def get_help_text(self) -> str:
        return gettext("密码长度和常见密码限制按本县的账号规则（默认至少8位，不能是常见密码）")

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is None or not getattr(user, "pk", None) or getattr(user, ADMIN_SET, False):
            return
        if getattr(user, "must_change_password", False):  # the change itself is audited by its service
            type(user).objects.filter(pk=user.pk).update(must_change_password=False)
            user.must_change_password = False


def change_url() -> str | None:
    try:
        return reverse("accounts:password_change")
    except NoReverseMatch:
        return None


class PasswordChangeRequired:
    """A user whose password an administrator reset sees only the password change page (and logout)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            if request.path.startswith("/api/"):
                refusal = Forbidden(
                    "管理员已重置您的密码，请先在网页上修改密码",
                    "An administrator reset your password; change it on the web first",
                )
                return JsonResponse(refusal.as_problem(), status=403, content_type="application/problem+json")
            target = change_url()
            if (
                target
                and request.path not in {target, reverse("accounts:logout")}
                and not request.path.startswith("/static/")
            ):
                return redirect(target)
        return self.get_response(request)
