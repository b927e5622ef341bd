"""Background work of analytics: the indicator refresh, queued by screening or the dashboard."""

from __future__ import annotations

from django.tasks import task

from bangfu.analytics import services


@task()
def refresh_indicators(area_code: str | None = None, trigger: str = "task") -> int:
    """Returns the run's id so the caller can look up its figures."""
    return services.indicators_refresh(area_code=area_code, trigger=trigger).pk
