from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "bangfu.casework"
    label = "casework"
