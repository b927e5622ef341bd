from django.urls import path
from django.utils.translation import gettext_lazy as _

from bangfu.insurance import views

app_name = "insurance"
NAV = [
    ("claim_survey", _("理赔"), "insurance:claim_queue", "insurance"),
    ("claim_approve", _("理赔"), "insurance:claim_queue", "insurance"),
    ("view_reports", _("保险方案"), "insurance:scheme_list", "insurance"),
]
urlpatterns = [
    path("", views.claim_queue, name="claim_queue"),
    path("claims/new/", views.claim_new, name="claim_new"),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("claims/<int:pk>/documents/", views.claim_document, name="claim_document"),
    path("claims/<int:pk>/documents/<int:doc_id>/", views.claim_document_file, name="claim_document_file"),
    path("claims/<int:pk>/<str:event>/", views.claim_step, name="claim_step"),
    path("schemes/", views.scheme_list, name="scheme_list"),
    path("schemes/new/", views.scheme_new, name="scheme_new"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme_detail"),
    path("schemes/<int:pk>/edit/", views.scheme_edit, name="scheme_edit"),
    path("schemes/<int:pk>/documents/", views.document_rule_add, name="document_rule_add"),
    path("schemes/<int:pk>/terms/", views.terms_add, name="terms_add"),
    path("schemes/<int:pk>/fund/", views.fund_page, name="fund"),
    path("schemes/<int:pk>/fund/premiums/", views.premium_add, name="premium_add"),
    path("schemes/<int:pk>/fund/settle/", views.fund_settle, name="fund_settle"),
    path("schemes/<int:pk>/fund/export.xlsx", views.fund_export, name="fund_export"),
]
