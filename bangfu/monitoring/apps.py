from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "bangfu.monitoring"
    label = "monitoring"

    def ready(self) -> None:
        from bangfu.monitoring.services import follow_household_move
        from bangfu.registry.services import household_moved

        household_moved.connect(follow_household_move, dispatch_uid="monitoring_follow_household_move")
