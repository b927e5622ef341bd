"""Fixtures of the analytics tests: the test county with a few monitored households, a warning and
an overdue case, so every counter has something to count."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from bangfu.casework import services as casework
from bangfu.monitoring import services as monitoring
from bangfu.monitoring.tests.helpers import feed_row, rules_in_force
from bangfu.registry import services as registry
from bangfu.testing import new_household


def monitor(h: Any, kind: str, since: dt.date, eliminated: dt.date | None = None) -> None:
    registry.household_set_monitoring(
        household=h, monitoring_type=kind, risk_codes=["因病"], since=since, eliminated_on=eliminated
    )


@pytest.fixture
def county(world):
    """world + h4 (V1b, relocated, monitored then eliminated this year), h1 monitored (V1a, G1),
    h3 monitored (V2a under T2), one warning on h1 and one overdue case on h2."""
    today = timezone.localdate()
    w = world
    # born in 1962: past working age (the relocation ledger's 有劳动力 is 否), however many tests ran before
    w.households["h4"] = new_household(w.v1b, None, members=3, born=dt.date(1962, 3, 1), relocated=True)
    monitor(w.households["h1"], "脱贫不稳定户", today - dt.timedelta(days=200))
    monitor(w.households["h3"], "突发严重困难户", today - dt.timedelta(days=40))
    monitor(w.households["h4"], "边缘易致贫户", dt.date(today.year - 1, 1, 1), eliminated=today)
    rules_in_force(w)
    feed_row(w.households["h1"], "disaster", "25000", today)
    w.warning = monitoring.screen_household(household_id=w.households["h1"].pk, as_of=today)[0]
    casework.params_set(
        actor=None,
        area_code=w.area_county.code,
        effective_from=dt.date(2020, 1, 1),
        values=casework.ParamValues(),
    )
    w.case = casework.case_open(
        actor=w.t1, household=w.households["h2"], source="grid", summary="突发疾病", on=today - dt.timedelta(days=30)
    )
    return w
