from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "bangfu.core"
    label = "core"
    verbose_name = "核心 Core"

    def ready(self) -> None:
        from bangfu.core import guards, keys  # noqa: F401  (keys registers the field-key system check)

        guards.connect()
