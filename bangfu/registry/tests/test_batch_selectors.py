"""registry.village_counts: the batch count behind the indicator cache (one grouped query)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bangfu.registry import selectors, services
from bangfu.testing import new_household

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 15)


def as_dict(rows):
    return {(unit, key): value for unit, key, value in rows}


def test_counts_by_village_and_grid_match_the_households(world):
    h = new_household(world.v1b, None, members=3, relocated=True)
    services.household_set_monitoring(
        household=h, monitoring_type="边缘易致贫户", risk_codes=["因病"], since=dt.date(2026, 3, 2)
    )
    trend = [("2026-02", dt.date(2026, 2, 28)), ("2026-06", TODAY)]
    with CaptureQueriesContext(connection) as q:
        rows = as_dict(selectors.village_counts(TODAY, trend=trend))
    assert len(q.captured_queries) == 1
    assert rows[(world.v1a.code, "households")] == 2 and rows[(world.v1b.code, "households")] == 1
    assert rows[(world.v1b.code, "people")] == 3 and rows[(world.v1b.code, "relocated")] == 1
    assert rows[(world.v1b.code, "monitored.边缘易致贫户")] == 1
    assert rows[(world.v1b.code, "monitored_at:2026-02")] == 0 and rows[(world.v1b.code, "monitored_at:2026-06")] == 1
    grids = as_dict(selectors.village_counts(TODAY, by="grid"))
    assert grids[(str(world.g1.pk), "households")] == 1 and (str(h.pk), "households") not in grids


def test_prefix_limits_the_count_to_the_area(world):
    rows = as_dict(selectors.village_counts(TODAY, prefix=world.area_t2.code[:9]))
    assert {unit for unit, _ in rows} == {world.v2a.code}
    assert rows[(world.v2a.code, "households")] == Decimal(1)
    assert selectors.batch_households(world.area_t1.code[:9]).count() == 2
