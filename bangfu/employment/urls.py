from django.urls import path

from bangfu.employment import views

app_name = "employment"
NAV = [("employment_edit", "就业帮扶 Employment", "employment:index")]
urlpatterns = [
    path("", views.index, name="index"),
    path("sites/<int:pk>/", views.site_detail, name="site_detail"),
    path("workshops/<int:pk>/", views.workshop_detail, name="workshop_detail"),
    path("workshops/<int:pk>/payroll/", views.payroll_enter, name="payroll_enter"),
    path("workshops/<int:pk>/contracts/", views.contract_create, name="contract_create"),
    path("workshops/<int:pk>/transition/", views.transition, name="transition"),
    path("workshops/<int:pk>/funding/", views.funding_add, name="funding_add"),
    path("workshops/<int:pk>/trainees/", views.trainee_add, name="trainee_add"),
    path("payslips/<int:pk>/", views.payslip_detail, name="payslip_detail"),
]
