from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "bangfu.rules"
    label = "rules"
