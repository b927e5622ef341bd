"""`bangfu calendar_national`: add the national holidays and 调休 days of the installed chinesecalendar."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from bangfu.casework import services
from bangfu.casework.domain.national_calendar import covered_years


class Command(BaseCommand):
    help = "Load the national working-day calendar (holidays and make-up working days) from chinesecalendar."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, action="append", help="only this year (repeatable)")

    def handle(self, *args: Any, **opts: Any) -> None:
        years = opts["year"] or None
        added = services.calendar_load_national(actor=None, years=years)
        covered = covered_years()
        self.stdout.write(f"已添加 added {added} days; the package covers {covered.start}–{covered.stop - 1}")
