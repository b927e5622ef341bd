"""Writes of analytics: the batch refresh of the indicator cache."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bangfu.analytics import counts
from bangfu.analytics.domain.indicators import Cell, ancestor_codes, merge, roll_up
from bangfu.analytics.models import IndicatorRun, IndicatorValue
from bangfu.areas.domain.codes import Level, level_of, prefix
from bangfu.areas.selectors import codes_above_counties, under_code_q
from bangfu.core.errors import invalid
from bangfu.core.services import audit_record, job_create

if TYPE_CHECKING:
    from bangfu.accounts.models import User
    from bangfu.core.models import Job

BATCH = 2000
# Changes in a village within this many seconds share one refresh (settings may override; tests use 0).
DEBOUNCE_SECONDS = 30


def villages_touched(codes: Iterable[str]) -> None:
    """A write in these areas is about to commit: once it has, queue one debounced refresh per
    village (codes below village level count for their village; higher ones wait for the night).

    Codes are collected per connection, so a transaction touching a village a hundred times queues
    one task; a rolled-back transaction's codes are at most refreshed once more, never lost.
    """
    villages = {c[:12] for c in codes if len(c) >= 12 and level_of(c[:12]) == Level.VILLAGE}
    if not villages:
        return
    transaction.get_connection().__dict__.setdefault("_bangfu_touched", set()).update(villages)
    transaction.on_commit(_queue_touched)


def _queue_touched() -> None:
    from bangfu.analytics import tasks  # tasks import this module

    seconds = getattr(settings, "BANGFU_INDICATOR_DEBOUNCE_SECONDS", DEBOUNCE_SECONDS)
    for code in sorted(transaction.get_connection().__dict__.pop("_bangfu_touched", set())):
        tasks.queue_village(code, dt.timedelta(seconds=seconds))


@transaction.atomic
def indicators_refresh(
    *, area_code: str | None = None, as_of: dt.date | None = None, actor: User | None = None, trigger: str = "cli"
) -> IndicatorRun:
    """Recompute the cached indicators of every village under `area_code` (all when None) and
    every area above them, for the state on `as_of` (today by default).

    The worker calls it for the villages a change touched (`villages_touched`, debounced) and for
    everything every night (`tasks.nightly_indicators`); `bangfu indicators` on demand.
    """
    under = _prefix(area_code)
    as_of = as_of or timezone.localdate()
    run = IndicatorRun.objects.create(
        area_code=area_code or "", as_of=as_of, trigger=trigger, started=timezone.now(), started_by=actor
    )
    villages = merge(counter(counts.VILLAGE, under, as_of) for counter in counts.COUNTERS)
    grids = merge(counter(counts.GRID, under, as_of) for counter in counts.COUNTERS)
    figures = _with_ancestors(villages, under)
    _add_county_funds(figures, under, as_of)
    figures.update(grids)
    run.cells = _replace(figures, under, now=run.started)
    run.villages = len(villages)
    run.finished = timezone.now()
    run.save(update_fields=["cells", "villages", "finished"])
    audit_record(actor=actor, action="indicators_refresh", obj=run, area_code=area_code or "", reason=trigger)
    return run


def indicators_roll_up(*, as_of: dt.date | None = None) -> int:
    """The areas above the counties (prefectures, provinces) re-summed from the cached villages: the
    last step of a county-by-county nightly refresh, whose counties ran side by side and each summed
    the others' figures as they stood. Returns the cells written."""
    as_of = as_of or timezone.localdate()
    figures = {code: _sum_cached_villages(code, NOTHING, {}) for code in codes_above_counties()}
    _add_county_funds(figures, NOTHING, as_of)
    return _replace(figures, NOTHING, now=timezone.now())


# A prefix no unit starts with: "re-sum from the cache, nothing is fresh".
NOTHING = "~"


def _prefix(area_code: str | None) -> str:
    if not area_code:
        return ""
    level = level_of(area_code)
    if level is None:
        raise invalid(
            "area_code",
            f"区划代码{area_code}无效：请填写12位统计用区划代码，如 511133000000",
            f"{area_code} is not a division code: give the 12-digit code, e.g. 511133000000",
        )
    return prefix(area_code, level)


def _with_ancestors(villages: dict[str, dict[Cell, Decimal]], under: str) -> dict[str, dict[Cell, Decimal]]:
    """Villages rolled up; for a partial refresh, the areas above it are re-summed from the cache."""
    figures = roll_up(villages)
    if not under:
        return figures
    for code in {c for v in villages for c in ancestor_codes(v)} | set(ancestor_codes(under.ljust(12, "0"))):
        if not code.startswith(under):
            figures[code] = _sum_cached_villages(code, under, villages)
    return figures


def _add_county_funds(figures: dict[str, dict[Cell, Decimal]], under: str, as_of: dt.date) -> None:
    """Add every county's fund, rolled up, to the areas this refresh recomputes.

    Funds are counted for all counties whatever the refresh covers (one small query): an area above
    a partial refresh is re-summed from villages, which carry no fund, so it needs them all.
    """
    for code, cells in roll_up(counts.county_funds(as_of)).items():
        if code in figures or code.startswith(under):
            figures.setdefault(code, {}).update(cells)


def _sum_cached_villages(code: str, under: str, fresh: dict[str, dict[Cell, Decimal]]) -> dict[Cell, Decimal]:
    """An ancestor's total: fresh figures of the refreshed villages + cached ones of the others.

    Villages are the 12-digit units not ending in 000 (a village code never does); grid units
    ("grid:…") sort after digits and so fall outside the code range.
    """
    level = level_of(code)
    own = prefix(code, level) if level else code
    total: dict[Cell, Decimal] = {}
    cached = (
        IndicatorValue.objects.filter(under_code_q("unit", own))
        .exclude(unit__endswith="000")
        .exclude(unit__startswith=under)
        .values_list("key", "period", "value")
    )
    for key, period, value in cached:
        total[(key, period)] = total.get((key, period), Decimal(0)) + value
    for village, cells in fresh.items():
        if village.startswith(own):
            for cell, value in cells.items():
                total[cell] = total.get(cell, Decimal(0)) + value
    return total


def _replace(figures: dict[str, dict[Cell, Decimal]], under: str, now: dt.datetime) -> int:
    """Swap the cached rows of the refreshed units for the new ones (a unit that has lost its last
    household disappears instead of keeping a stale figure)."""
    units = set(figures)
    stale = IndicatorValue.objects.filter(unit__startswith=under) if under else IndicatorValue.objects.all()
    stale.delete()
    IndicatorValue.objects.filter(unit__in=units).delete()
    rows = [
        IndicatorValue(unit=unit, key=key, period=period, value=value, computed_at=now)
        for unit, cells in figures.items()
        for (key, period), value in cells.items()
    ]
    IndicatorValue.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


REPORT_JOB_KIND = "analytics_report"


def report_start(user: User, key: str, place_code: str, year: int, title: str, title_en: str) -> Job:
    """Queue a report build for `bangfu worker`; the owner downloads it from the job page."""
    from bangfu.analytics.tasks import report_job  # tasks import this module

    job = job_create(
        owner=user,
        kind=REPORT_JOB_KIND,
        title=f"报表：{title}",
        title_en=f"Report: {title_en}",
        params={"key": key, "area": place_code, "year": year},
    )
    transaction.on_commit(lambda: report_job.enqueue(str(job.pk)))
    return job
