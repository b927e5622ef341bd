from django.urls import path
from django.utils.translation import gettext_lazy as _

from bangfu.monitoring import views

app_name = "monitoring"
NAV = [
    ("handle_warnings", _("预警"), "monitoring:warning_list", "monitoring"),
    ("upload_feeds", _("部门数据"), "monitoring:feed_list", "monitoring"),
]
urlpatterns = [
    path("", views.warning_list, name="warning_list"),
    path("export.xlsx", views.warning_export, name="warning_export"),
    path("warnings/<int:pk>/", views.warning_detail, name="warning_detail"),
    path("feeds/", views.feed_list, name="feed_list"),
    path("feeds/template/<str:kind>/", views.feed_template, name="feed_template"),
]
