from django.urls import path

from bangfu.analytics import views

app_name = "analytics"
urlpatterns = [path("", views.home, name="home")]
