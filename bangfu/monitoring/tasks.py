"""Background work of monitoring, run by `bangfu worker` (django-tasks database backend)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django_tasks import task

from bangfu.monitoring import services


@task()
def nightly_screening(as_of: str = "") -> dict[str, Any]:
    """Screen every household of every area with the rule sets in force; opens only new warnings."""
    day = dt.date.fromisoformat(as_of) if as_of else timezone.localdate()
    run = services.screen(area_code="", as_of=day, trigger="nightly")
    return {"run": run.pk, "households": run.households, "hits": run.hits, "new": run.new_warnings,
            "seconds": round(run.seconds, 2)}


@task()
def screen_households(household_ids: list[int]) -> int:
    """Re-screen the households a large feed batch touched (set-wise)."""
    run = services.screen(area_code="", as_of=timezone.localdate(), trigger="feed",
                          household_ids=tuple(household_ids))
    return run.new_warnings


@task()
def rescreen_households(household_ids: list[int]) -> int:
    """Re-screen households whose registry record changed (queued by services.household_changed)."""
    return services.rescreen(household_ids=household_ids, as_of=timezone.localdate())
