"""County-parallel batch work (core.batch, issue #18): one run a day per kind, one worker per county,
a dead worker's county taken over, and the province total written once when the last county ends."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.utils import timezone

from bangfu.core import batch
from bangfu.core.models import BatchPart, BatchRun
from bangfu.testing.concurrency import race

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 12, 5)


def test_start_is_idempotent_per_kind_and_day() -> None:
    run, _ = batch.start("screening", DAY, ["511133000000", "230225000000", "511133000000"])
    again, todo = batch.start("screening", DAY, ["511133000000", "230225000000", "999999000000"])
    assert again.pk == run.pk and run.parts == 2 and BatchPart.objects.count() == 2
    assert [p.area_code for p in todo] == ["230225000000", "511133000000"]
    other, _ = batch.start("indicators", DAY, ["511133000000"])
    assert other.pk != run.pk


def test_one_worker_per_county_and_a_dead_ones_county_is_taken_over(settings) -> None:
    _, [part] = batch.start("screening", DAY, ["511133000000"])
    assert batch.claim(part.pk, "a:1") and not batch.claim(part.pk, "b:2")  # a has it
    assert batch.beat(part.pk, "a:1") and not batch.beat(part.pk, "b:2")
    BatchPart.objects.filter(pk=part.pk).update(heartbeat=timezone.now() - dt.timedelta(seconds=901))
    assert [p.pk for p in batch.resumable("screening")] == [part.pk]
    assert batch.claim(part.pk, "b:2")  # a's heartbeat is stale: b takes over
    assert not batch.beat(part.pk, "a:1")  # and a, if it wakes, learns it lost the county
    assert BatchPart.objects.get(pk=part.pk).attempts == 2


def test_the_run_closes_once_with_the_counties_added_up() -> None:
    run, parts = batch.start("screening", DAY, ["230225000000", "511133000000"])
    figures: dict[str, dict[str, object]] = {
        "230225000000": {"households": 6003, "new": 25},
        "511133000000": {"households": 120, "new": 2},
    }
    seen: list[str] = []

    def work(part: BatchPart, beat: object) -> dict[str, object]:
        seen.append(part.area_code)
        return figures[part.area_code]

    assert batch.run_part(parts[0].pk, work) == "done"
    run.refresh_from_db()
    assert run.finished is None and run.totals == {}  # one county still to go
    assert batch.run_part(parts[0].pk, work) == "skipped"  # done already: not again
    closed: list[int] = []
    assert batch.run_part(parts[1].pk, work, on_close=lambda r: closed.append(r.pk)) == "done"
    assert closed == [run.pk]  # the worker that closed the run, once
    run.refresh_from_db()
    assert run.finished is not None and run.totals == {"households": 6123, "new": 27}
    assert seen == ["230225000000", "511133000000"]


def test_a_failed_county_keeps_the_run_open_and_is_handed_out_again() -> None:
    _, [part] = batch.start("screening", DAY, ["511133000000"])

    def broken(part: BatchPart, beat: object) -> dict[str, object]:
        raise RuntimeError("disk full")

    assert batch.run_part(part.pk, broken) == "failed"
    assert BatchRun.objects.get().finished is None
    assert "disk full" in BatchPart.objects.get().error
    assert [p.pk for p in batch.resumable("screening")] == [part.pk]
    assert batch.run_part(part.pk, lambda p, b: {"households": 1}) == "done"
    assert BatchRun.objects.get().totals == {"households": 1}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_a_county_one_wins() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's concurrent connections")
    _, [part] = batch.start("screening", DAY, ["511133000000"])

    def attempt(worker: str) -> Callable[[], bool]:
        return lambda: batch.claim(part.pk, worker)

    outcomes = race([attempt(w) for w in ("host-a:1", "host-b:1", "host-c:1", "host-d:1")])
    assert sorted(outcomes, key=str) == [False, False, False, True]
