from django.contrib.auth import views as auth_views
from django.urls import path

from bangfu.accounts import views

app_name = "accounts"
NAV = [
    ("view_audit", "审计日志 Audit log", "accounts:audit"),
    ("manage_users", "登录锁定 Locked logins", "accounts:lockouts"),
    ("claim_approve", "职责例外授权 Delegations", "accounts:delegations"),
]
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("me/", views.profile, name="profile"),
    path("me/tokens/", views.token_create, name="token_create"),
    path("me/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("audit/", views.audit_list, name="audit"),
    path("audit.xlsx", views.audit_export, name="audit_export"),
    path("lockouts/", views.lockout_list, name="lockouts"),
    path("lockouts/<int:user_id>/lift/", views.lockout_lift, name="lockout_lift"),
    path("delegations/", views.delegations, name="delegations"),
    path("delegations/<int:pk>/revoke/", views.delegation_revoke, name="delegation_revoke"),
]
