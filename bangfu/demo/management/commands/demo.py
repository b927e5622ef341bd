"""`bangfu demo`: load the demo county and the three seed stories (idempotent)."""

from __future__ import annotations

import importlib
import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from bangfu.demo import base, services
from bangfu.demo.context import DemoContext

# Each app's demo step runs after the apps it builds on.
APP_ORDER = ["employment", "market", "rules", "monitoring", "casework", "insurance", "analytics"]


class Command(BaseCommand):
    help = "Load the demo county with the seed stories (does nothing if already loaded)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--households", type=int, default=6000, help="synthetic households of 甘南县 (default 6000)"
        )

    def handle(self, *args: object, **opts: int) -> None:
        if base.already_loaded():
            self.stdout.write("演示数据已加载 Demo data already loaded.")
        else:
            started = time.monotonic()
            ctx = DemoContext(today=timezone.localdate(), rng=random.Random(20201201))
            with transaction.atomic():
                base.load(ctx, households=opts["households"])
                for app in APP_ORDER:
                    try:
                        module = importlib.import_module(f"bangfu.{app}.demo")
                    except ModuleNotFoundError as e:
                        if e.name != f"bangfu.{app}.demo":  # a broken import inside the step is an error
                            raise
                        continue
                    module.load(ctx)
                # Other apps' steps append their logins; keep them so later runs can list them too.
                services.logins_save(logins=ctx.logins)
            self.stdout.write(f"演示数据已加载，用时 {time.monotonic() - started:.1f} 秒 Demo loaded.")
        self._print_logins()

    def _print_logins(self) -> None:
        self.stdout.write(f"\n演示账号 Demo logins (password 密码: {settings.BANGFU_DEMO_PASSWORD})")
        for username, role, area in base.demo_logins():
            self.stdout.write(f"  {username:<22} {role} · {area}")
