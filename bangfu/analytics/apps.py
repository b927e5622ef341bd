from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_save


class AnalyticsConfig(AppConfig):
    name = "bangfu.analytics"
    label = "analytics"

    def ready(self) -> None:
        from bangfu.analytics.selectors import household_section
        from bangfu.analytics.services import _areas_changed
        from bangfu.core.models import AuditEvent
        from bangfu.core.signals import areas_changed
        from bangfu.registry import sections
        from bangfu.registry.signals import household_moved

        post_save.connect(_audited, sender=AuditEvent, dispatch_uid="analytics_villages_touched")
        areas_changed.connect(_areas_changed, dispatch_uid="analytics_areas_changed")
        household_moved.connect(_moved, dispatch_uid="analytics_household_moved")
        sections.register(household_section, order=60)  # the link to the household's timeline


# Writes that change no figure of a village: the refresh itself (it would queue itself for ever) and
# the configuration of the calendar (deadlines already recorded on cases do not move).
QUIET = frozenset({"indicators_refresh", "calendar_day_set", "calendar_day_delete", "calendar_load_national"})
# Set-wise writes whose audit event names only the narrowest area covering them (a county for an
# import): they mark their exact villages through core.signals.areas_changed instead.
SETWISE = frozenset({"household_import", "household_bulk_create"})


def _audited(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """Every write service records an AuditEvent with the area it changed (docs/conventions.md):
    that is the one place where the dashboard learns that a village's figures moved."""
    if created and instance.area_code and instance.action not in QUIET | SETWISE:
        from bangfu.analytics import services

        services.villages_touched([instance.area_code])


def _moved(sender: Any, *, old_village: str, **kwargs: Any) -> None:
    """registry.household_moved: the village the household left loses it (the move's audit event
    names the new one)."""
    from bangfu.analytics import services

    services.villages_touched([str(old_village)])
