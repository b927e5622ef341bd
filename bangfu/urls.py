from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from bangfu.api import api
from bangfu.core import views_webapp

urlpatterns: list[URLPattern | URLResolver] = [
    # first: the API's requests are the most frequent (phones, sync clients) and are resolved in order
    path("api/v1/", api.urls),
    path("", include("bangfu.analytics.urls")),
    # The installable web app (docs/offline.md): the worker at the root so that its scope is the site.
    path("sw.js", views_webapp.service_worker, name="service_worker"),
    path("favicon.ico", views_webapp.favicon, name="favicon"),
    path("manifest.webmanifest", views_webapp.manifest, name="webmanifest"),
    path("offline/", views_webapp.offline_page, name="offline"),
    path("accounts/", include("bangfu.accounts.urls")),
    path("areas/", include("bangfu.areas.urls")),
    path("registry/", include("bangfu.registry.urls")),
    path("rules/", include("bangfu.rules.urls")),
    path("monitoring/", include("bangfu.monitoring.urls")),
    path("cases/", include("bangfu.casework.urls")),
    path("insurance/", include("bangfu.insurance.urls")),
    path("employment/", include("bangfu.employment.urls")),
    path("market/", include("bangfu.market.urls")),
    path("jobs/", include("bangfu.core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
# No static(MEDIA_URL): uploaded files are never published; each is served by a login- and
# scope-checked view through bangfu.core.files.serve (docs/architecture.md, "Files").
