"""`bangfu backup [--to DIR]`: database (consistent copy), keys and media with a checked manifest.

See bangfu/core/backup.py and docs/operations.md ("Backups").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bangfu.core import backup
from bangfu.core.errors import ApplicationError


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # a backup must be possible whatever state the keys are in
    help = "Write a backup directory: database, field/secret keys, media, manifest with checksums."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", type=Path, default=None, help="directory to write into (default: <var>/backups)")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            result = backup.backup(opts["to"])
        except ApplicationError as exc:
            raise CommandError(str(exc)) from None
        m = result.manifest
        self.stdout.write(
            f"备份完成 backup written: {result.path}\n"
            f"  {m['engine']}, {m['counts']['registry_household']} households, "
            f"{m['counts']['registry_member']} members, {len(m['files'])} files, "
            f"key fingerprint {m['field_key_fingerprint']}"
        )
