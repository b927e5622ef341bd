from django.urls import path

from bangfu.monitoring import views

app_name = "monitoring"
NAV = [
    ("handle_warnings", "预警 Warnings", "monitoring:warning_list"),
    ("upload_feeds", "部门数据 Feeds", "monitoring:feed_list"),
]
urlpatterns = [
    path("", views.warning_list, name="warning_list"),
    path("warnings/<int:pk>/", views.warning_detail, name="warning_detail"),
    path("feeds/", views.feed_list, name="feed_list"),
    path("feeds/template/<str:kind>/", views.feed_template, name="feed_template"),
]
