from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "bangfu.analytics"
    label = "analytics"
