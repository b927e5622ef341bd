"""`bangfu worker`: run background tasks and start the nightly screening when it is due.

It wraps django-tasks-db's own worker loop (the `db_worker` command's Worker, in batch mode: run
every ready task, then return) and, between rounds, enqueues `monitoring.tasks.nightly_screening`
once a day after `--screen-at` (local time, Asia/Shanghai). On start it also makes sure the
casework cleanup chain and the nightly indicator refresh are queued (`bangfu casework_cleanup --schedule`,
`bangfu indicators --schedule`). Whether today's run is due is read from
the database (today's screening BatchRun, or the task already queued), so several workers or a
restart never screen twice; the night's work is one task per county (core.batch), shared by every
worker, and a county whose worker died is handed out again when a worker starts.
Stop it with Ctrl-C or SIGTERM; the running task finishes first.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from bangfu.core.models import BatchRun
from bangfu.monitoring import tasks

NIGHTLY = tasks.nightly_screening.module_path


def nightly_due(now: dt.datetime, screen_at: dt.time) -> bool:
    local = timezone.localtime(now)
    if local.time() < screen_at:
        return False
    if BatchRun.objects.filter(kind=tasks.BATCH, as_of=local.date()).exists():
        return False
    waiting = (TaskResultStatus.READY, TaskResultStatus.RUNNING)
    return not DBTaskResult.objects.filter(task_path=NIGHTLY, status__in=waiting).exists()


class Command(BaseCommand):
    help = "Run queued background tasks and the nightly screening (see module docstring)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--screen-at", default="02:00", help="local time of the nightly screening (HH:MM)")
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between polls")
        parser.add_argument(
            "--once", action="store_true", help="one round (enqueue if due, run ready tasks), then exit"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        screen_at = dt.time.fromisoformat(str(opts["screen_at"]))
        worker = Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=f"bangfu-{time.time_ns()}",
            excluded_queue_names=[],
        )
        worker.configure_signals()  # SIGINT/SIGTERM clear worker.running; the running task finishes first
        # Other apps' self-rescheduling chains: starting one that is already queued does nothing.
        call_command("casework_cleanup", "--schedule", stdout=self.stdout)
        call_command("indicators", "--schedule", stdout=self.stdout)  # the nightly full indicator refresh
        resumed = tasks.resume_screening()  # counties of a night whose worker died or failed
        if resumed:
            self.stdout.write(f"重新排队{resumed}个县的夜间筛查 requeued the nightly screening of {resumed} counties")
        self.stdout.write(f"worker started; nightly screening at {screen_at:%H:%M}")
        while worker.running:
            if nightly_due(timezone.now(), screen_at):
                tasks.nightly_screening.enqueue()
                self.stdout.write(f"{timezone.localtime():%Y-%m-%d %H:%M} 已排队夜间筛查 nightly screening queued")
            worker.run()  # batch mode: runs every ready task, then returns
            if opts["once"]:
                return
            time.sleep(float(opts["interval"]))
