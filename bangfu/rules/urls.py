from django.urls import path
from django.utils.translation import gettext_lazy as _

from bangfu.rules import views

app_name = "rules"
NAV = [("configure", _("预警规则"), "rules:ruleset_list", "admin")]
urlpatterns = [
    path("", views.ruleset_list, name="ruleset_list"),
    path("<int:pk>/", views.ruleset_detail, name="ruleset_detail"),
    path("lines/", views.line_set, name="line_set"),
]
