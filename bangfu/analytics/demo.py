"""Demo step of analytics: compute the indicators of the demo county once everything else is loaded.

Runs last in APP_ORDER, so the dashboards show the households, warnings and cases the other demo
steps created. It creates no login: every demo user already has a dashboard on "/".
"""

from __future__ import annotations

from bangfu.analytics import services
from bangfu.demo.context import DemoContext


def load(ctx: DemoContext) -> None:
    services.indicators_refresh(as_of=ctx.today, trigger="demo")
