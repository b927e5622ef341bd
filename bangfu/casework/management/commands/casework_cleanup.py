"""`bangfu casework_cleanup`: purge old self-report attempt rows now, or start the nightly chain."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from bangfu.casework import services, tasks


class Command(BaseCommand):
    help = "Purge self-report rate-limit rows older than the longest window; --schedule queues the nightly task."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--schedule", action="store_true", help="queue the nightly cleanup for `bangfu worker`")

    def handle(self, *args: object, **opts: object) -> None:
        if opts["schedule"]:
            queued = tasks.schedule_cleanup()
            self.stdout.write("已排队 queued" if queued else "已有待执行的清理任务 already queued")
            return
        self.stdout.write(f"已删除 deleted {services.self_report_attempts_purge()}")
