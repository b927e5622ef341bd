from django.urls import path
from django.utils.translation import gettext_lazy as _

from bangfu.registry import views, views_excel, views_sites

app_name = "registry"
NAV = [
    ("view_people", _("农户名册"), "registry:household_list", "households"),
    ("view_people", _("安置点"), "registry:site_list", "households"),
]
urlpatterns = [
    path("households/", views.household_list, name="household_list"),
    path("households/new/", views.household_create, name="household_create"),
    path("households/<int:pk>/", views.household_detail, name="household_detail"),
    path("households/<int:pk>/edit/", views.household_edit, name="household_edit"),
    path("households/<int:pk>/members/new/", views.member_add, name="member_add"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("members/<int:pk>/id-number/", views.member_reveal_id, name="member_reveal_id"),
    path("households/<int:pk>/income/", views.income_add, name="income_add"),
    path("income-items/<int:pk>/delete/", views.income_delete, name="income_delete"),
    path("households/<int:pk>/guarantees/", views.guarantee_add, name="guarantee_add"),
    path("find/", views.find_by_id, name="find_by_id"),
    path("households/import/", views_excel.household_import, name="import"),
    path("households/import/template.xlsx", views_excel.household_import_template, name="import_template"),
    path("households/export.xlsx", views_excel.household_export, name="export"),
    path("households/<int:pk>/relocation/", views_sites.household_relocation, name="household_relocation"),
    path("sites/", views_sites.site_list, name="site_list"),
    path("sites/new/", views_sites.site_new, name="site_new"),
    path("sites/import/", views_sites.sites_import, name="sites_import"),
    path("sites/import/template.xlsx", views_sites.sites_template, name="sites_template"),
    path("sites/<int:pk>/", views_sites.site_detail, name="site_detail"),
    path("sites/<int:pk>/edit/", views_sites.site_edit, name="site_edit"),
    path("sites/<int:pk>/place/", views_sites.site_place, name="site_place"),
]
