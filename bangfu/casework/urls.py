from django.urls import path

from bangfu.casework import views

app_name = "casework"
NAV = [
    ("view_people", "监测案件 Cases", "casework:case_list"),
    ("log_visits", "我的农户 My households", "casework:my_households"),
    ("view_reports", "走访落实 Visits", "casework:compliance"),
]
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/step/", views.case_step, name="case_step"),
    path("<int:pk>/measures/", views.measure_add, name="measure_add"),
    path("<int:pk>/measures/<int:measure_pk>/status/", views.measure_status, name="measure_status"),
    path("notices/<int:pk>/", views.notice_page, name="notice"),
    path("notices/<int:pk>/pdf/", views.notice_file, name="notice_pdf"),
    path("grid/mine/", views.my_households, name="my_households"),
    path("grid/visit/<int:pk>/", views.visit_form, name="visit_form"),
    path("grid/compliance/", views.compliance, name="compliance"),
    path("report/", views.self_report, name="self_report"),
    path("report/done/", views.self_report_done, name="self_report_done"),
]
