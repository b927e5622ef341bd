from django.urls import URLPattern, URLResolver, path  # noqa: F401

app_name = "demo"
urlpatterns: list[URLPattern | URLResolver] = []
