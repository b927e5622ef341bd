"""`bangfu screen` and `bangfu worker --once` (the nightly screening when due)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bangfu.monitoring.management.commands.worker import nightly_due
from bangfu.monitoring.models import ScreeningRun, Warning
from bangfu.monitoring.tests.helpers import feed_row, rules_in_force

pytestmark = pytest.mark.django_db(transaction=True)


def test_screen_command_prints_progress_and_writes_warnings(world) -> None:
    rules_in_force(world)
    feed_row(world.households["h2"], "disaster", "12000", timezone.localdate())
    out = io.StringIO()
    call_command("screen", "--area", world.area_county.code, stdout=out)
    text = out.getvalue()
    assert "已读取 read 3 households" in text and "1 条新预警" in text
    assert Warning.objects.get().rule_code == "disaster_loss"
    with pytest.raises(CommandError):
        call_command("screen", "--as-of", "yesterday")


def test_worker_runs_nightly_screening_once_a_day(world) -> None:
    rules_in_force(world)
    feed_row(world.households["h1"], "disaster", "30000", timezone.localdate())
    now = timezone.now()
    assert nightly_due(now, dt.time(0, 0)) and not nightly_due(now, dt.time(23, 59, 59, 999999))
    # The test world's households were just registered, which queued their re-screening; drop
    # those tasks so this test sees the nightly run find the hit (the queue's own test is test_rescreen).
    DBTaskResult.objects.filter(task_path__endswith="rescreen_households").delete()
    call_command("worker", "--once", "--screen-at", "00:00", stdout=io.StringIO())
    run = ScreeningRun.objects.get(trigger="nightly")
    assert run.new_warnings == 1 and Warning.objects.count() == 1
    assert not nightly_due(now, dt.time(0, 0))  # today's run exists: not again
    call_command("worker", "--once", "--screen-at", "00:00", stdout=io.StringIO())
    assert ScreeningRun.objects.filter(trigger="nightly").count() == 1


def test_the_nightly_screening_is_one_task_per_county_shared_by_workers(world) -> None:
    """Two counties: two parts; each screened by one worker; the run's totals are the sum (issue #18)."""
    from bangfu.areas import services as areas_services
    from bangfu.core.models import BatchPart, BatchRun
    from bangfu.monitoring import tasks
    from bangfu.testing import new_household

    other = areas_services.area_create(code="511132000000", name="峨边彝族自治县", parent_code="511100000000")
    town = areas_services.area_create(code="511132100000", name="沙坪镇", parent_code=other.code)
    village = areas_services.area_create(code="511132100201", name="红花村", parent_code=town.code)
    new_household(village, members=2)
    rules_in_force(world)
    DBTaskResult.objects.all().delete()
    out = tasks.nightly_screening.call()
    assert out == {"batch": BatchRun.objects.get().pk, "counties": 2, "queued": 2}
    parts = {p.area_code: p for p in BatchPart.objects.all()}
    assert set(parts) == {world.area_county.code, other.code}
    assert DBTaskResult.objects.filter(task_path__endswith="screen_county").count() == 2
    assert tasks.screen_county.call(parts[other.code].pk) == "done"
    assert BatchRun.objects.get().finished is None  # 马边 still to go
    assert tasks.screen_county.call(parts[other.code].pk) == "skipped"  # a second worker: nothing to do
    assert tasks.screen_county.call(parts[world.area_county.code].pk) == "done"
    run = BatchRun.objects.get()
    assert run.finished is not None and run.totals["households"] == 3 + 1
    assert ScreeningRun.objects.filter(trigger="nightly").count() == 2  # one per county
    assert tasks.nightly_screening.call()["queued"] == 0  # the same night again: nothing to hand out
