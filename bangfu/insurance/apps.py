from django.apps import AppConfig


class InsuranceConfig(AppConfig):
    name = "bangfu.insurance"
    label = "insurance"
