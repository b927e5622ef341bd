"""The periodic cleanup of self-report attempt rows: the service, the task and its nightly chain."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bangfu.casework import services, tasks
from bangfu.casework.models import SelfReportAttempt
from bangfu.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _attempt(hours_ago: float) -> SelfReportAttempt:
    row = SelfReportAttempt.objects.create(address_hash="a", id_hash="i")
    SelfReportAttempt.objects.filter(pk=row.pk).update(at=timezone.now() - dt.timedelta(hours=hours_ago))
    return row


def test_purge_keeps_what_the_longest_window_can_still_count(world, params) -> None:
    services.params_set(
        actor=None,
        area_code=world.v1b.code,
        effective_from=dt.date(2020, 1, 1),
        values=services.ParamValues(report_window_hours=48),
    )
    old, inside_long, recent = _attempt(49), _attempt(30), _attempt(1)
    assert services.self_report_attempts_purge() == 1
    assert set(SelfReportAttempt.objects.values_list("pk", flat=True)) == {inside_long.pk, recent.pk}
    assert not SelfReportAttempt.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(action="self_report_attempts_purge", data__deleted=1).exists()


def test_purge_uses_the_model_default_window_without_parameters(db) -> None:
    _attempt(25)
    kept = _attempt(23)
    assert services.self_report_attempts_purge() == 1
    assert list(SelfReportAttempt.objects.values_list("pk", flat=True)) == [kept.pk]


def test_task_purges_when_run(world, params, settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    _attempt(30)
    result = tasks.self_report_cleanup.enqueue(reschedule=False)
    assert result.return_value == 1 and not SelfReportAttempt.objects.exists()


def test_the_chain_queues_one_run_at_the_next_half_past_three(db) -> None:
    now = dt.datetime(2025, 3, 10, 4, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert tasks.next_cleanup(now) == now.replace(day=11, hour=3, minute=30)
    early = now.replace(hour=1)
    assert tasks.next_cleanup(early) == early.replace(hour=3, minute=30)
    assert tasks.schedule_cleanup(now) is True
    assert tasks.schedule_cleanup(now) is False  # one waiting run is enough
    waiting = DBTaskResult.objects.get(task_path=tasks.self_report_cleanup.module_path)
    assert timezone.localtime(waiting.run_after).hour == 3
