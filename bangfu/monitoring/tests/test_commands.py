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
