from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import path
from django.utils.translation import gettext_lazy as _

from bangfu.accounts import views, views_first_run, views_people
from bangfu.accounts.domain.roles import writes
from bangfu.accounts.selectors import admin_roles

if TYPE_CHECKING:
    from bangfu.accounts.models import User


def _administers(user: User) -> bool:
    """Holds the capability *and* administers somewhere today: a township officer whose county has not
    let townships administer accounts would find both pages refusing them (403)."""
    return bool(admin_roles(user))


app_name = "accounts"
NAV = [
    ("view_audit", _("审计日志"), "accounts:audit", "reports"),
    (_administers, _("账号管理"), "accounts:people", "admin"),
    (_administers, _("登录锁定"), "accounts:lockouts", "admin"),
    ("claim_approve", _("职责例外授权"), "accounts:delegations", "admin"),
]
urlpatterns = [
    path("login/", writes()(views_first_run.LoginView.as_view()), name="login"),  # POST: signing in
    path("first-run/", views_first_run.first_run, name="first_run"),
    path("logout/", writes()(views.LogoutView.as_view()), name="logout"),
    path("me/", views.profile, name="profile"),
    path("me/password/", views.password_change, name="password_change"),
    path("me/tokens/", views.token_create, name="token_create"),
    path("me/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("audit/", views.audit_list, name="audit"),
    path("audit.xlsx", views.audit_export, name="audit_export"),
    path("lockouts/", views.lockout_list, name="lockouts"),
    path("lockouts/<int:user_id>/lift/", views.lockout_lift, name="lockout_lift"),
    path("delegations/", views.delegations, name="delegations"),
    path("delegations/<int:pk>/revoke/", views.delegation_revoke, name="delegation_revoke"),
    path("people/", views_people.people, name="people"),
    path("people/new/", views_people.person_new, name="person_new"),
    path("people/import/", views_people.people_import, name="people_import"),
    path("people/template.xlsx", views_people.people_template, name="people_template"),
    path("people/<int:pk>/", views_people.person, name="person"),
    path("people/<int:pk>/edit/", views_people.person_edit, name="person_edit"),
    path("people/<int:pk>/reset/", views_people.person_reset, name="person_reset"),
    path("people/<int:pk>/deactivate/", views_people.person_deactivate, name="person_deactivate"),
    path("people/<int:pk>/reactivate/", views_people.person_reactivate, name="person_reactivate"),
    path("people/<int:pk>/grant/", views_people.person_grant, name="person_grant"),
    path("memberships/<int:pk>/end/", views_people.membership_end, name="membership_end"),
    path("policy/", views_people.policy, name="policy"),
    path("areas/<str:code>/people/", views_people.area_people, name="area_people"),
]
