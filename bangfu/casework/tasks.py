"""Background work of casework, run by `bangfu worker` (django-tasks database backend)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus

from bangfu.casework import services
from bangfu.core import idempotency

CLEANUP_AT = dt.time(3, 30)  # a quiet hour, after the nightly screening (02:00) has finished


def next_cleanup(now: dt.datetime) -> dt.datetime:
    """The next CLEANUP_AT in Asia/Shanghai strictly after `now`."""
    local = timezone.localtime(now)
    at = local.replace(hour=CLEANUP_AT.hour, minute=CLEANUP_AT.minute, second=0, microsecond=0)
    return at if at > local else at + dt.timedelta(days=1)


@task()
def self_report_cleanup(reschedule: bool = True) -> int:
    """Purge old self-report attempt rows and idempotency keys older than core.idempotency.KEEP_DAYS
    (the phone's queued visits), then queue tomorrow's run: the chain makes it periodic.

    Start the chain once with `bangfu casework_cleanup --schedule`; a second chain is never queued
    while one is waiting, so restarts and repeated starts do not multiply the job.
    """
    deleted = services.self_report_attempts_purge()
    idempotency.purge()
    if reschedule:
        schedule_cleanup()
    return deleted


def cleanup_waiting() -> bool:
    from django_tasks_db.models import DBTaskResult  # only the database backend can defer work

    waiting = DBTaskResult.objects.filter(task_path=self_report_cleanup.module_path, status=TaskResultStatus.READY)
    return waiting.exists()


def schedule_cleanup(now: dt.datetime | None = None) -> bool:
    """Queue the next run unless one is already waiting; True when a run was queued."""
    if not self_report_cleanup.get_backend().supports_defer or cleanup_waiting():
        return False
    self_report_cleanup.using(run_after=next_cleanup(now or timezone.now())).enqueue()
    return True
