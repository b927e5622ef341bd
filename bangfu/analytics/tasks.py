"""Background work of analytics, run by `bangfu worker`: the indicator cache follows the data.

- `refresh_village`: queued (debounced) when a change commits in a village (`services.villages_touched`,
  fed by every audited write through `apps.AnalyticsConfig.ready`); recomputes that village and the
  areas above it.
- `nightly_indicators`: the incremental refresh, after the nightly screening, one task per county
  (`refresh_county`, core.batch: only the villages whose figures may have moved, then the county and
  its townships) and the prefectures and provinces when the last is done; `full=True` counts every
  village. It queues the next night's run itself (`bangfu indicators --schedule` starts the chain;
  the worker does so on start).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.tasks import task as django_task
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus

from bangfu.analytics import services
from bangfu.areas import selectors as areas
from bangfu.core import batch
from bangfu.core import services as core

if TYPE_CHECKING:
    from bangfu.core.models import Job

NIGHTLY_AT = dt.time(4, 0)  # after the nightly screening (02:00) has written its warnings


@django_task()
def refresh_indicators(area_code: str | None = None, trigger: str = "task") -> int:
    """Returns the run's id so the caller can look up its figures."""
    return services.indicators_refresh(area_code=area_code, trigger=trigger).pk


@task()
def refresh_village(village_code: str) -> int:
    """Recompute one village's indicators (and the areas above it) after changes there."""
    return services.indicators_refresh(area_code=village_code, trigger="change", incremental=True).pk


BATCH = "indicators"


@task()
def nightly_indicators(reschedule: bool = True, full: bool = False) -> dict[str, Any]:
    """The refresh, as one task per county (core.batch) that any worker may take, then the areas
    above the counties once the last one is done; then queue tomorrow's. Incremental unless `full`."""
    run, parts = batch.start(BATCH, timezone.localdate(), areas.county_codes())
    for part in parts:
        refresh_county.enqueue(part.pk, full)
    if reschedule:
        schedule_nightly()
    return {"batch": run.pk, "counties": run.parts, "queued": len(parts)}


def _refresh(part: Any, beat: Any, full: bool = False) -> dict[str, Any]:
    run = services.indicators_refresh(
        area_code=part.area_code, as_of=part.run.as_of, trigger="nightly", incremental=not full, above_county=False
    )
    return {"villages": run.villages, "cells": run.cells, "indicator_run": run.pk}


def _roll_up(run: Any) -> None:
    services.indicators_roll_up(as_of=run.as_of)


@task()
def refresh_county(part_id: int, full: bool = False) -> str:
    """One county's share of the nightly refresh (skipped when another worker has it)."""
    return batch.run_part(part_id, lambda part, beat: _refresh(part, beat, full), on_close=_roll_up)


def next_nightly(now: dt.datetime) -> dt.datetime:
    """The next NIGHTLY_AT in Asia/Shanghai strictly after `now`."""
    local = timezone.localtime(now)
    at = local.replace(hour=NIGHTLY_AT.hour, minute=NIGHTLY_AT.minute, second=0, microsecond=0)
    return at if at > local else at + dt.timedelta(days=1)


def _waiting(path: str, **args: object) -> bool:
    from django_tasks_db.models import DBTaskResult  # only the database backend can defer work

    rows = DBTaskResult.objects.filter(task_path=path, status=TaskResultStatus.READY)
    if "village_code" in args:
        rows = rows.filter(args_kwargs__args=[args["village_code"]])
    return rows.exists()


def schedule_nightly(now: dt.datetime | None = None) -> bool:
    """Queue the next full refresh unless one is already waiting; True when one was queued."""
    if not nightly_indicators.get_backend().supports_defer or _waiting(nightly_indicators.module_path):
        return False
    nightly_indicators.using(run_after=next_nightly(now or timezone.now())).enqueue()
    return True


def queue_village(village_code: str, debounce: dt.timedelta) -> bool:
    """One waiting refresh per village: a change while one waits is covered by it. True when queued."""
    backend = refresh_village.get_backend()
    if backend.supports_defer:
        if _waiting(refresh_village.module_path, village_code=village_code):
            return False
        refresh_village.using(run_after=timezone.now() + debounce).enqueue(village_code)
    else:
        refresh_village.enqueue(village_code)
    return True


def _report(job: Job, progress: core.JobProgress) -> dict[str, Any]:
    from bangfu.analytics import reports, selectors, views  # they import tasks (its callers)

    report = reports.REPORTS[job.params["key"]]
    place = selectors.report_place(job.owner, job.params["area"])  # the owner's scope, checked again now
    year = int(job.params["year"])
    progress(10, "生成中", "Building")
    data = views.workbook(report, report.build(job.owner, place, year), place, year)
    core.job_output(job, data, views.report_filename(report, place, year))
    return {"summary": "报表已生成", "summary_en": "The report is ready", "bytes": len(data)}


@task()
def report_job(job_id: str) -> str:
    """A standard report of a large area (more households than settings.BANGFU_BACKGROUND_ROWS)."""
    return core.job_run(job_id, _report)
