from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "bangfu.monitoring"
    label = "monitoring"

    def ready(self) -> None:
        from bangfu.monitoring.services import follow_household_move
        from bangfu.monitoring.tasks import rescreen_changed
        from bangfu.registry.signals import household_moved, households_changed

        household_moved.connect(follow_household_move, dispatch_uid="monitoring_follow_household_move")
        households_changed.connect(rescreen_changed, dispatch_uid="monitoring_rescreen_changed")
