from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "bangfu.monitoring"
    label = "monitoring"

    def ready(self) -> None:
        from bangfu.monitoring.services import follow_household_move, ruleset_preview
        from bangfu.monitoring.tasks import rescreen_changed
        from bangfu.registry.signals import household_moved, households_changed
        from bangfu.rules.selectors import preview_by

        household_moved.connect(follow_household_move, dispatch_uid="monitoring_follow_household_move")
        households_changed.connect(rescreen_changed, dispatch_uid="monitoring_rescreen_changed")
        preview_by(ruleset_preview)  # the rule editor's preview runs the screening engine
