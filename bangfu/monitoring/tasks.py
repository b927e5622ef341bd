"""Background work of monitoring, run by `bangfu worker` (django-tasks database backend)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from bangfu.areas import selectors as areas
from bangfu.core import batch
from bangfu.core import services as core
from bangfu.monitoring import services

if TYPE_CHECKING:
    from bangfu.core.models import Job


BATCH = "screening"


@task()
def nightly_screening(as_of: str = "") -> dict[str, Any]:
    """The night's screening of every county, as one task per county (core.batch): any number of
    workers on any number of machines share them, and the run's totals are the province's."""
    day = dt.date.fromisoformat(as_of) if as_of else timezone.localdate()
    run, parts = batch.start(BATCH, day, areas.county_codes())
    for part in parts:
        screen_county.enqueue(part.pk)
    return {"batch": run.pk, "counties": run.parts, "queued": len(parts)}


def _screen(part: Any, beat: Any) -> dict[str, Any]:
    # each step of the screening beats, so a long county is not mistaken for a dead worker's
    run = services.screen(
        area_code=part.area_code, as_of=part.run.as_of, trigger="nightly", progress=lambda _step: beat()
    )
    return {"households": run.households, "hits": run.hits, "new": run.new_warnings, "screening_run": run.pk}


@task()
def screen_county(part_id: int) -> str:
    """One county's share of the nightly screening (skipped when another worker has it)."""
    return batch.run_part(part_id, _screen)


def resume_screening() -> int:
    """Hand out again the counties of an unfinished night whose worker died or failed; how many."""
    parts = batch.resumable(BATCH)
    for part in parts:
        screen_county.enqueue(part.pk)
    return len(parts)


@task()
def screen_households(household_ids: list[int]) -> int:
    """Re-screen the households a large feed batch touched (set-wise)."""
    run = services.screen(area_code="", as_of=timezone.localdate(), trigger="feed", household_ids=tuple(household_ids))
    return run.new_warnings


@task()
def rescreen_households(household_ids: list[int]) -> int:
    """Re-screen households whose registry record changed (queued by `rescreen_changed`)."""
    return services.rescreen(household_ids=household_ids, as_of=timezone.localdate())


def rescreen_changed(sender: object, *, household_ids: list[int], **kwargs: object) -> None:
    """registry.signals.households_changed (after commit): one task re-screens them all."""
    rescreen_households.enqueue(household_ids)


def _feed(job: Job, progress: core.JobProgress) -> dict[str, Any]:
    kind, period = job.params["kind"], job.params.get("period", "")
    progress(10, "读取文件", "Reading the file")
    rows = services.rows_from_file(kind, bytes(job.payload or b""), job.filename, actor=job.owner)
    progress(30, f"检查并保存{len(rows)}行", f"Checking and storing {len(rows)} rows")
    batch, created = services.feed_ingest(actor=job.owner, kind=kind, rows=rows, period=period, filename=job.filename)
    return {
        "batch": batch.pk,
        "rows": batch.rows,
        "created": created,
        "summary": f"已保存 {batch.rows} 行" if created else "该批数据此前已报送，未重复保存",
        "summary_en": f"Stored {batch.rows} rows" if created else "This batch was already delivered; stored once",
        "link": reverse("monitoring:feed_list"),
    }


@task()
def feed_upload_job(job_id: str) -> str:
    """A large department feed file queued by services.feed_upload_start."""
    return core.job_run(job_id, _feed)
