from django.urls import path
from django.utils.translation import gettext_lazy as _

from bangfu.employment.views import assets, contracts, parameters, payroll, posts, training, workshops

app_name = "employment"
NAV = [("employment_edit", _("就业帮扶"), "employment:index", "industry")]
urlpatterns = [
    path("", workshops.index, name="index"),
    path("sites/<int:pk>/", workshops.site_detail, name="site_detail"),
    path("workshops/new/", workshops.workshop_new, name="workshop_new"),
    path("workshops/<int:pk>/", workshops.workshop_detail, name="workshop_detail"),
    path("workshops/<int:pk>/edit/", workshops.workshop_edit, name="workshop_edit"),
    path("workshops/<int:pk>/payroll/", payroll.payroll, name="payroll"),
    path("workshops/<int:pk>/payroll/template.xlsx", payroll.payroll_template, name="payroll_template"),
    path("workshops/<int:pk>/payroll/import/", payroll.payroll_import, name="payroll_import"),
    path("workshops/<int:pk>/contracts/", workshops.contract_create, name="contract_create"),
    path("workshops/<int:pk>/transition/", workshops.transition, name="transition"),
    path("workshops/<int:pk>/funding/", workshops.funding_add, name="funding_add"),
    path("workshops/<int:pk>/revenue/", workshops.revenue_set, name="revenue_set"),
    path("workshops/<int:pk>/wage-rules/", workshops.wage_rule_set, name="wage_rule_set"),
    path("workshops/<int:pk>/trainees/", workshops.trainee_add, name="trainee_add"),
    path("contracts/<int:pk>/end/", contracts.contract_end, name="contract_end"),
    path("payslips/<int:pk>/", workshops.payslip_detail, name="payslip_detail"),
    path("courses/", training.course_list, name="course_list"),
    path("courses/new/", training.course_new, name="course_new"),
    path("courses/<int:pk>/", training.course_detail, name="course_detail"),
    path("courses/<int:pk>/trainees/", training.course_trainee_add, name="course_trainee_add"),
    path("posts/", posts.post_list, name="post_list"),
    path("posts/new/", posts.post_create, name="post_create"),
    path("posts/<int:pk>/months/", posts.post_months, name="post_months"),
    path("posts/<int:pk>/end/", posts.post_end, name="post_end"),
    path("parameters/", parameters.parameters, name="parameters"),
    path("assets/", assets.asset_list, name="asset_list"),
    path("assets/<int:pk>/", assets.asset_detail, name="asset_detail"),
    path("assets/<int:pk>/rules/", assets.rule_set, name="asset_rule_set"),
    path("assets/<int:pk>/incomes/", assets.income_distribute, name="asset_income_distribute"),
]
