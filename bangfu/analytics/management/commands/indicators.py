import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bangfu.analytics import services, tasks
from bangfu.core.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "Recompute the cached dashboard indicators: bangfu indicators [--area CODE] [--full]; only the villages "
        "whose figures may have moved unless --full"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--area", default="", help="12-digit division code; all areas when left out")
        parser.add_argument("--full", action="store_true", help="count every village, changed or not")
        parser.add_argument(
            "--schedule", action="store_true", help="queue the nightly full refresh for `bangfu worker`"
        )

    def handle(self, *args: object, **opts: str) -> None:
        if opts["schedule"]:
            queued = tasks.schedule_nightly()
            self.stdout.write(
                "已排队每晚指标刷新 nightly refresh queued" if queued else "已有待执行的刷新 already queued"
            )
            return
        started = time.perf_counter()
        try:
            run = services.indicators_refresh(
                area_code=opts["area"] or None, trigger="cli", incremental=not opts["full"]
            )
        except ApplicationError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"{run.area_code or '全部 all'}: {run.villages} villages, {run.cells} cells, "
            f"{time.perf_counter() - started:.2f} s"
        )
