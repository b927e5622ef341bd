"""County-parallel batch work (issue #18): a night's screening or indicator refresh is one BatchRun with
one BatchPart per county, and each part is a task any `bangfu worker` on any machine may run.

- `start(kind, as_of, counties)` is idempotent: a second call the same day (a second worker, a restart)
  finds the run and its parts and creates nothing.
- `run_part(part_id, work)` takes the part by one conditional UPDATE, so of two workers handed the same
  county only one works on it; it beats while it works, and a part whose worker died (its heartbeat
  older than BANGFU_BATCH_STALE_SECONDS) may be taken again. The work for one county must therefore be
  idempotent (screening opens only new warnings; a refresh replaces the county's figures).
- When the last part is done the run is closed once, with the parts' figures added up (the province
  total); `resumable(kind)` lists the parts to hand out again (pending, failed, or stale).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from bangfu.core.models import BatchPart, BatchRun

logger = logging.getLogger(__name__)


def worker_name() -> str:
    """Who is working: host and process, so two machines' workers never look the same."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _stale_before() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=getattr(settings, "BANGFU_BATCH_STALE_SECONDS", 900))


@transaction.atomic
def start(kind: str, as_of: dt.date, counties: Iterable[str]) -> tuple[BatchRun, list[BatchPart]]:
    """The run of `kind` for `as_of` with one part per county; the parts still to be done are returned."""
    run, created = BatchRun.objects.get_or_create(kind=kind, as_of=as_of, defaults={"started": timezone.now()})
    if created:
        codes = sorted(set(counties))
        BatchPart.objects.bulk_create([BatchPart(run=run, area_code=c) for c in codes], ignore_conflicts=True)
        run.parts = len(codes)
        run.save(update_fields=["parts"])
    return run, list(run.county_parts.exclude(status=BatchPart.DONE))


def claim(part_id: int, worker: str) -> bool:
    """Take the part if nobody is working on it: one UPDATE whose condition only one worker meets."""
    takeable = Q(status__in=[BatchPart.PENDING, BatchPart.FAILED]) | Q(
        status=BatchPart.RUNNING, heartbeat__lt=_stale_before()
    )
    taken = BatchPart.objects.filter(takeable, pk=part_id).update(
        status=BatchPart.RUNNING, worker=worker, heartbeat=timezone.now(), attempts=F("attempts") + 1, error=""
    )
    return taken == 1


def beat(part_id: int, worker: str) -> bool:
    """Still working; False when the part was taken over (the worker then stops and writes nothing)."""
    return (
        BatchPart.objects.filter(pk=part_id, worker=worker, status=BatchPart.RUNNING).update(heartbeat=timezone.now())
        == 1
    )


def run_part(
    part_id: int,
    work: Callable[[BatchPart, Callable[[], bool]], dict[str, Any]],
    on_close: Callable[[BatchRun], None] | None = None,
) -> str:
    """Claim the part, do `work(part, beat)`, record its figures; after the last part close the run and
    call `on_close(run)` (once, by the worker that closed it: e.g. the totals above the counties).
    Returns "done", "failed" or "skipped" (another worker has it, or it is done)."""
    worker = worker_name()
    if not claim(part_id, worker):
        return "skipped"
    part = BatchPart.objects.select_related("run").get(pk=part_id)
    t0 = time.perf_counter()
    try:
        result = work(part, lambda: beat(part_id, worker))
    except Exception as exc:  # recorded on the part and handed out again by resume; the run stays open
        logger.exception("batch %s county %s failed", part.run.kind, part.area_code)
        BatchPart.objects.filter(pk=part_id, worker=worker).update(status=BatchPart.FAILED, error=repr(exc)[:2000])
        return BatchPart.FAILED
    done = BatchPart.objects.filter(pk=part_id, worker=worker, status=BatchPart.RUNNING).update(
        status=BatchPart.DONE, finished=timezone.now(), seconds=time.perf_counter() - t0, result=result
    )
    if done and _close(part.run_id) and on_close is not None:
        on_close(BatchRun.objects.get(pk=part.run_id))
    return BatchPart.DONE if done else "skipped"


def _close(run_id: int) -> bool:
    """After the last part: the run's totals, written once (the condition on `finished` sees to it).
    True for the one caller that closed it."""
    if BatchPart.objects.filter(run_id=run_id).exclude(status=BatchPart.DONE).exists():
        return False
    totals: dict[str, float] = {}
    for result in BatchPart.objects.filter(run_id=run_id).values_list("result", flat=True):
        for key, value in (result or {}).items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                totals[key] = totals.get(key, 0) + value
    return BatchRun.objects.filter(pk=run_id, finished__isnull=True).update(finished=timezone.now(), totals=totals) == 1


def resumable(kind: str) -> list[BatchPart]:
    """Parts of unfinished runs of `kind` to hand out again: never started, failed, or whose worker died."""
    stale = Q(status=BatchPart.RUNNING, heartbeat__lt=_stale_before())
    return list(
        BatchPart.objects.filter(run__kind=kind, run__finished__isnull=True).filter(
            Q(status__in=[BatchPart.PENDING, BatchPart.FAILED]) | stale
        )
    )
