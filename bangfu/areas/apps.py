from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "bangfu.areas"
    label = "areas"

    def ready(self) -> None:
        from bangfu.areas import signals

        signals.connect()
