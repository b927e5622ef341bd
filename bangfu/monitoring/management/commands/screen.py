"""`bangfu screen [--area CODE] [--as-of DATE]`: run the screening now, with progress on the terminal."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from bangfu.areas import selectors as areas
from bangfu.monitoring import services


class Command(BaseCommand):
    help = "Screen households with the rule sets in force and open new warnings (set-wise)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--area", default="", help="12-digit area code (default: every area)")
        parser.add_argument("--as-of", default="", help="screening date YYYY-MM-DD (default: today)")

    def handle(self, *args: object, **opts: str) -> None:
        area = opts["area"].strip()
        if area and areas.area_by_code(area) is None:
            raise CommandError(f"区划 {area} 不存在 / area {area} does not exist")
        try:
            as_of = dt.date.fromisoformat(opts["as_of"]) if opts["as_of"] else timezone.localdate()
        except ValueError:
            raise CommandError("--as-of 应为 YYYY-MM-DD / --as-of must be YYYY-MM-DD") from None
        self.stdout.write(f"筛查 screening {area or '全部区域 all areas'} as of {as_of}")
        run = services.screen(
            area_code=area, as_of=as_of, trigger="cli", progress=lambda msg: self.stdout.write(f"  · {msg}")
        )
        rate = run.households / run.seconds if run.seconds else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"完成 done: {run.households} 户 households, {run.hits} 条命中 hits, {run.new_warnings} 条新预警 "
                f"new warnings in {run.seconds:.2f}s ({rate:,.0f} households/s)"
            )
        )
