from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_save


class AnalyticsConfig(AppConfig):
    name = "bangfu.analytics"
    label = "analytics"

    def ready(self) -> None:
        from bangfu.analytics.selectors import household_section
        from bangfu.core.models import AuditEvent
        from bangfu.registry import sections

        post_save.connect(_audited, sender=AuditEvent, dispatch_uid="analytics_villages_touched")
        sections.register(household_section, order=60)  # the link to the household's timeline


# Writes that change no figure of a village: the refresh itself (it would queue itself for ever) and
# the configuration of the calendar (deadlines already recorded on cases do not move).
QUIET = frozenset({"indicators_refresh", "calendar_day_set", "calendar_day_delete", "calendar_load_national"})


def _audited(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """Every write service records an AuditEvent with the area it changed (docs/conventions.md):
    that is the one place where the dashboard learns that a village's figures moved."""
    if created and instance.area_code and instance.action not in QUIET:
        from bangfu.analytics import services

        services.villages_touched([instance.area_code])
