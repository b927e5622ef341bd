from django.urls import path
from django.utils.translation import gettext_lazy as _

from bangfu.analytics import views

app_name = "analytics"
NAV = [
    ("view_reports", _("标准报表"), "analytics:reports", "reports"),
    ("configure", _("设置清单"), "analytics:setup", "admin"),
]
urlpatterns = [
    path("", views.home, name="home"),
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/offline.json", views.offline_data, name="offline_data"),
    path("setup/", views.setup, name="setup"),
    path("setup/banner/", views.setup_banner, name="setup_banner"),
    path("reports/", views.reports, name="reports"),
    path("reports/monitored.xlsx", views.report_download, name="report_monitored"),
    path("reports/<slug:key>.xlsx", views.report_download, name="report"),
    path("households/<int:pk>/timeline/", views.timeline, name="timeline"),
]
