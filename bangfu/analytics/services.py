"""Writes of analytics: the batch refresh of the indicator cache."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from bangfu.analytics import counts
from bangfu.analytics.domain.indicators import Cell, ancestor_codes, merge, roll_up
from bangfu.analytics.models import IndicatorRun, IndicatorValue, UnitMark
from bangfu.areas.domain.codes import Level, level_of, prefix
from bangfu.areas.selectors import codes_above_counties, grid_ids_in, under_code_q, village_codes
from bangfu.core.errors import invalid
from bangfu.core.services import audit_record, job_create

if TYPE_CHECKING:
    from bangfu.accounts.models import User
    from bangfu.core.models import Job

BATCH = 2000
# Changes in a village within this many seconds share one refresh (settings may override; tests use 0).
DEBOUNCE_SECONDS = 30


def villages_touched(codes: Iterable[str]) -> None:
    """A write in these areas is about to commit: mark them for the incremental refresh (in the
    write's own transaction, so the mark commits or rolls back with it) and, once the write has
    committed, queue one debounced refresh per village (codes below village level count for their
    village; higher ones wait for the night, which counts every village under them again).

    Codes are collected per connection, so a transaction touching a village a hundred times queues
    one task; a rolled-back transaction's codes are at most refreshed once more, never lost.
    """
    codes = list(codes)
    mark_changed(codes)
    villages = {c[:12] for c in codes if len(c) >= 12 and level_of(c[:12]) == Level.VILLAGE}
    if not villages:
        return
    transaction.get_connection().__dict__.setdefault("_bangfu_touched", set()).update(villages)
    transaction.on_commit(_queue_touched)


def mark_changed(codes: Iterable[str]) -> int:
    """One more change on each village (a 12-digit code of a village, or of an area above: each village
    under it; a longer unit code counts for its village): one upsert per village, in the caller's
    transaction. Returns the number of villages marked."""
    units = sorted(_villages_of({c[:12] for c in codes if c and len(c) >= 12 and level_of(c[:12]) is not None}))
    if units:
        table = connection.ops.quote_name(UnitMark._meta.db_table)
        with connection.cursor() as cur:
            for chunk in _chunks(units):  # one statement per chunk: a screening marks thousands
                cur.execute(
                    f"INSERT INTO {table} (code, changes) VALUES {', '.join(['(%s, 1)'] * len(chunk))} "
                    f"ON CONFLICT (code) DO UPDATE SET changes = {table}.changes + 1",
                    chunk,
                )
    return len(units)


def _villages_of(codes: set[str]) -> set[str]:
    """A mark above village level is the villages under it (a county's config marks its villages):
    the refresh of each county then clears exactly what it counted, whichever counties run when."""
    out = {c for c in codes if level_of(c) == Level.VILLAGE}
    for code in sorted(codes - out):
        level = level_of(code)
        if level is not None:
            out.update(village_codes(prefix(code, level)))
    return out


def _areas_changed(sender: object, *, codes: Iterable[str], **kwargs: object) -> None:
    """core.signals.areas_changed: a set-wise write (an import, screening's new warnings) marks its
    villages for the nightly incremental refresh; it queues no per-village refresh (thousands of
    tasks after a screening: the nightly refresh that follows it counts them once)."""
    mark_changed(codes)


def _queue_touched() -> None:
    from bangfu.analytics import tasks  # tasks import this module

    seconds = getattr(settings, "BANGFU_INDICATOR_DEBOUNCE_SECONDS", DEBOUNCE_SECONDS)
    for code in sorted(transaction.get_connection().__dict__.pop("_bangfu_touched", set())):
        tasks.queue_village(code, dt.timedelta(seconds=seconds))


@transaction.atomic
def indicators_refresh(
    *,
    area_code: str | None = None,
    as_of: dt.date | None = None,
    actor: User | None = None,
    trigger: str = "cli",
    incremental: bool = False,
    above_county: bool = True,
) -> IndicatorRun:
    """Recompute the cached indicators of the villages under `area_code` (all when None) and every
    area above them, for the state on `as_of` (today by default).

    `incremental`: only the villages whose figures may have moved since they were last counted
    (`_dirty`: a write marked them or an area above them, their figures are of another month, or a
    dated fact of theirs crossed the days between); the areas above them are re-summed from the
    cached villages. Otherwise every village under `area_code` (a forced full refresh).
    `above_county=False` leaves the prefectures and provinces to `indicators_roll_up` (the nightly
    county-by-county run sums them once, after its last county).

    The worker calls it for the villages a change touched (`villages_touched`, debounced) and every
    night county by county (`tasks.nightly_indicators`); `bangfu indicators [--full]` on demand.
    """
    under = _prefix(area_code)
    as_of = as_of or timezone.localdate()
    run = IndicatorRun.objects.create(
        area_code=area_code or "", as_of=as_of, trigger=trigger, started=timezone.now(), started_by=actor
    )
    marks = _marks(under)
    candidates = village_codes(under)
    dirty = _dirty(candidates, under, as_of, marks) if incremental else set(candidates)
    if dirty == set(candidates):  # everything under the prefix: count by range, not by a list of codes
        villages = merge(counter(counts.VILLAGE, under, as_of) for counter in counts.COUNTERS)
        grids = merge(counter(counts.GRID, under, as_of) for counter in counts.COUNTERS)
        figures = _with_ancestors(villages, under, above_county)
        _add_county_funds(figures, under, as_of)
        figures.update(grids)
        run.cells = _replace(figures, under, now=run.started)
        run.villages = len(villages)
    else:
        run.cells, run.villages = _refresh_villages(sorted(dirty), as_of, above_county, now=run.started)
    _settle(marks, dirty, under, as_of)
    run.finished = timezone.now()
    run.save(update_fields=["cells", "villages", "finished"])
    audit_record(actor=actor, action="indicators_refresh", obj=run, area_code=area_code or "", reason=trigger)
    return run


CHUNK = 500  # codes per IN list (SQLite's bound parameters, PostgreSQL's plans)


def _chunks(codes: list[str]) -> Iterable[tuple[str, ...]]:
    for i in range(0, len(codes), CHUNK):
        yield tuple(codes[i : i + CHUNK])


def _marks(under: str) -> dict[str, int]:
    """Areas with uncounted changes that concern the refresh: under its prefix, or above it."""
    above = [under[:n].ljust(12, "0") for n in (2, 4, 6, 9) if n < len(under)]
    where = Q(code__in=above) | under_code_q("code", under) if under else Q()
    return dict(UnitMark.objects.filter(where, changes__gt=0).values_list("code", "changes"))


def _dirty(candidates: list[str], under: str, as_of: dt.date, marks: dict[str, int]) -> set[str]:
    """The villages among `candidates` whose cached figures may no longer hold on `as_of`."""
    counted = dict(
        UnitMark.objects.filter(under_code_q("code", under) if under else Q(), as_of__isnull=False).values_list(
            "code", "as_of"
        )
    )
    dirty: set[str] = set()
    since: dict[dt.date, set[str]] = {}
    for village in candidates:
        day = counted.get(village)
        if day is None or day > as_of or (day.year, day.month) != (as_of.year, as_of.month):
            dirty.add(village)  # never counted, or its cells are of another month (periods move)
        elif day < as_of:
            since.setdefault(day, set()).add(village)
    for code in marks:
        dirty |= _under(code, candidates)
    for day, villages in since.items():
        for dated in counts.DATED:
            for code in dated(day, as_of, under):
                dirty |= _under(code, villages)
    return dirty


def _under(code: str, villages: Iterable[str]) -> set[str]:
    level = level_of(code) if len(code) == 12 else None
    if level is None:
        return set()
    own = prefix(code, level)
    return {v for v in villages if v.startswith(own)}


def _refresh_villages(dirty: list[str], as_of: dt.date, above_county: bool, now: dt.datetime) -> tuple[int, int]:
    """Count these villages and their grids, re-sum the areas above them; (cells written, villages)."""
    villages: dict[str, dict[Cell, Decimal]] = {}
    grids: dict[str, dict[Cell, Decimal]] = {}
    for chunk in _chunks(dirty):
        villages.update(merge(counter(counts.VILLAGE, chunk, as_of) for counter in counts.COUNTERS))
        grids.update(merge(counter(counts.GRID, chunk, as_of) for counter in counts.COUNTERS))
    wanted = set(dirty)
    villages = {code: cells for code, cells in villages.items() if code in wanted}
    above = {a for v in dirty for a in ancestor_codes(v) if above_county or level_of(a) in _UP_TO_COUNTY}
    figures: dict[str, dict[Cell, Decimal]] = {
        code: _sum_cached_villages(code, NOTHING, villages, dirty) for code in sorted(above)
    }
    _add_county_funds(figures, NOTHING, as_of)
    figures.update(villages)
    figures.update(grids)
    units = wanted | above | {f"grid:{g}" for g in grid_ids_in(dirty)} | set(grids)
    for chunk in _chunks(sorted(units)):
        IndicatorValue.objects.filter(unit__in=chunk).delete()
    return _write(figures, now), len(dirty)


_UP_TO_COUNTY = {Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE}


def _settle(marks: dict[str, int], dirty: set[str], under: str, as_of: dt.date) -> None:
    """After counting: the marks the refresh covered go back to 0 where no write has added to them
    since they were read (a write committing meanwhile keeps its mark), and the villages counted
    record the day their figures are of."""
    by_count: dict[int, list[str]] = {}
    for code, n in marks.items():
        if code.startswith(under):  # a mark above the refresh's area stays for the other villages
            by_count.setdefault(n, []).append(code)
    for n, codes in by_count.items():
        for chunk in _chunks(sorted(codes)):
            UnitMark.objects.filter(code__in=chunk, changes=n).update(changes=0)
    rows = [UnitMark(code=v, changes=0, as_of=as_of) for v in sorted(dirty)]
    UnitMark.objects.bulk_create(
        rows, batch_size=BATCH, update_conflicts=True, unique_fields=["code"], update_fields=["as_of"]
    )


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


def _with_ancestors(
    villages: dict[str, dict[Cell, Decimal]], under: str, above_county: bool = True
) -> dict[str, dict[Cell, Decimal]]:
    """Villages rolled up; for a partial refresh, the areas above it are re-summed from the cache
    (those above the county only when `above_county`)."""
    figures = roll_up(villages)
    if not under:
        return figures
    for code in {c for v in villages for c in ancestor_codes(v)} | set(ancestor_codes(under.ljust(12, "0"))):
        if not code.startswith(under):
            if above_county or level_of(code) in _UP_TO_COUNTY:
                figures[code] = _sum_cached_villages(code, under, villages)
            else:
                figures.pop(code, None)
    return figures


def _add_county_funds(figures: dict[str, dict[Cell, Decimal]], under: str, as_of: dt.date) -> None:
    """Add every county's fund, rolled up, to the areas this refresh recomputes.

    Funds are counted for all counties whatever the refresh covers (one small query): an area above
    a partial refresh is re-summed from villages, which carry no fund, so it needs them all.
    """
    for code, cells in roll_up(counts.county_funds(as_of)).items():
        if code in figures or code.startswith(under):
            figures.setdefault(code, {}).update(cells)


def _sum_cached_villages(
    code: str, under: str, fresh: dict[str, dict[Cell, Decimal]], recounted: Iterable[str] = ()
) -> dict[Cell, Decimal]:
    """An ancestor's total: fresh figures of the refreshed villages + cached ones of the others (those
    under `under` and those `recounted` are left out of the cache), added up in the database.

    Villages are the 12-digit units not ending in 000 (a village code never does); grid units
    ("grid:…") sort after digits and so fall outside the code range. A cell is kept when some
    village still has it (a count of the rows, so a total that comes to 0 is kept as the full
    refresh keeps it).
    """
    level = level_of(code)
    own = prefix(code, level) if level else code
    cached = IndicatorValue.objects.filter(under_code_q("unit", own)).exclude(unit__endswith="000")
    if under:
        cached = cached.exclude(unit__startswith=under)
    total: dict[Cell, Decimal] = {}
    rows: dict[Cell, int] = {}

    def add(qs: Any, sign: int) -> None:
        for key, period, value, n in qs.values_list("key", "period").annotate(s=Sum("value"), n=Count("id")).order_by():
            total[(key, period)] = total.get((key, period), Decimal(0)) + sign * (value or Decimal(0))
            rows[(key, period)] = rows.get((key, period), 0) + sign * n

    add(cached, 1)
    for chunk in _chunks(sorted(v for v in recounted if v.startswith(own))):
        add(cached.filter(unit__in=chunk), -1)
    for village, cells in fresh.items():
        if village.startswith(own):
            for cell, value in cells.items():
                total[cell] = total.get(cell, Decimal(0)) + value
                rows[cell] = rows.get(cell, 0) + 1
    return {cell: value for cell, value in total.items() if rows[cell] > 0}


def _replace(figures: dict[str, dict[Cell, Decimal]], under: str, now: dt.datetime) -> int:
    """Swap the cached rows of the refreshed units for the new ones (a unit that has lost its last
    household disappears instead of keeping a stale figure)."""
    units = set(figures)
    stale = IndicatorValue.objects.filter(unit__startswith=under) if under else IndicatorValue.objects.all()
    stale.delete()
    for chunk in _chunks(sorted(units)):
        IndicatorValue.objects.filter(unit__in=chunk).delete()
    return _write(figures, now)


def _write(figures: dict[str, dict[Cell, Decimal]], now: dt.datetime) -> int:
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
