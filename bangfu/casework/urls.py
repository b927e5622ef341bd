from django.urls import path
from django.utils.translation import gettext_lazy as _

from bangfu.areas.selectors import field_worker
from bangfu.casework.views import cases as views
from bangfu.casework.views import config, grids, intake

app_name = "casework"
NAV = [
    ("view_people", _("监测案件"), "casework:case_list", "monitoring"),
    (field_worker, _("我的农户"), "casework:my_households", "households"),  # empty for anybody without grids
    ("view_reports", _("走访落实"), "casework:compliance", "monitoring"),
    ("case_accept", _("待受理线索"), "casework:lead_queue", "monitoring"),
    ("edit_registry", _("网格划分"), "casework:grid_villages", "admin"),
    ("configure", _("监测参数"), "casework:config", "admin"),
]
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/step/", views.case_step, name="case_step"),
    path("<int:pk>/measures/", views.measure_add, name="measure_add"),
    path("<int:pk>/measures/<int:measure_pk>/status/", views.measure_status, name="measure_status"),
    path("attachments/<int:pk>/", views.attachment_file, name="attachment"),
    path("visits/<int:pk>/photo/", views.visit_photo, name="visit_photo"),
    path("notices/<int:pk>/", views.notice_page, name="notice"),
    path("notices/<int:pk>/pdf/", views.notice_file, name="notice_pdf"),
    path("grid/mine/", views.my_households, name="my_households"),
    path("grid/visit/<int:pk>/", views.visit_form, name="visit_form"),
    path("grid/due/", views.visits_due, name="visits_due"),
    path("grid/compliance/", views.compliance, name="compliance"),
    path("open/", intake.case_open, name="case_open"),
    path("leads/", intake.lead_queue, name="lead_queue"),
    path("grids/", grids.grid_villages, name="grid_villages"),
    path("grids/<str:code>/", grids.grid_village, name="grid_village"),
    path("grids/<str:code>/place/", grids.grid_place, name="grid_place"),
    path("grids/handover/<int:pk>/", grids.grid_handover, name="grid_handover"),
    path("settings/", config.config, name="config"),
    path("settings/params/", config.params_add, name="params_add"),
    path("settings/obligations/", config.obligation_add, name="obligation_add"),
    path("settings/calendar/", config.calendar_add, name="calendar_add"),
    path("settings/calendar/<int:pk>/delete/", config.calendar_delete, name="calendar_delete"),
    path("report/", views.self_report, name="self_report"),
    path("report/done/", views.self_report_done, name="self_report_done"),
    path("report/status/", views.self_report_status, name="self_report_status"),
    path("report/poster/<str:code>/", views.village_poster, name="poster"),
]
