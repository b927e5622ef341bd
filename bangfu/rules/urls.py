from django.urls import path

from bangfu.rules import views

app_name = "rules"
NAV = [("configure", "预警规则 Rules", "rules:ruleset_list")]
urlpatterns = [
    path("", views.ruleset_list, name="ruleset_list"),
    path("<int:pk>/", views.ruleset_detail, name="ruleset_detail"),
    path("lines/", views.line_set, name="line_set"),
]
