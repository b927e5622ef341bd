from django.urls import path

from bangfu.core import views

app_name = "core"

urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("<uuid:pk>/", views.job_detail, name="job_detail"),
    path("<uuid:pk>/download", views.job_download, name="job_download"),
]
