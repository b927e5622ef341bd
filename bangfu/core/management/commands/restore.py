"""`bangfu restore PATH [--check]`: verify a backup completely, then put it in place.

Stop the web server and `bangfu worker` first, and start them again afterwards (the restored keys
are read at start). See bangfu/core/backup.py and docs/operations.md ("Testing a restore").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bangfu.core import backup
from bangfu.core.errors import ApplicationError


class Command(BaseCommand):
    requires_system_checks: list[
        str
    ] = []  # restore is how a database and its key are brought back together: the start-up key check must not stop it
    help = "Restore a backup made by `bangfu backup`, after checking it (--check: only check)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--check", action="store_true", help="verify the backup, change nothing")

    def handle(self, *args: Any, **opts: Any) -> None:
        path: Path = opts["path"]
        try:
            if opts["check"]:
                m = backup.verify(path)
                self.stdout.write(
                    f"备份完好 backup verified: {path} ({m['created']}, key {m['field_key_fingerprint']})"
                )
                return
            m = backup.restore(path)
        except ApplicationError as exc:
            raise CommandError(f"{exc}\n未做任何更改 Nothing was changed.") from None
        self.stdout.write(
            f"已恢复 restored {path} ({m['created']}). 请运行 bangfu migrate 并重启服务和 worker "
            "Run `bangfu migrate`, then restart the server and the worker."
        )
