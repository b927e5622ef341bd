from django.urls import path
from django.utils.translation import gettext_lazy as _

from bangfu.areas import views

app_name = "areas"
NAV = [("manage_areas", _("行政区划"), "areas:tree", "admin")]
urlpatterns = [
    path("", views.tree, name="tree"),
    path("import/", views.import_areas, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("grids/import/", views.grid_import, name="grid_import"),
    path("grids/import/template.xlsx", views.grid_import_template, name="grid_import_template"),
]
