"""Fixtures shared by monitoring's tests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bangfu.casework import services as casework
from bangfu.monitoring import services
from bangfu.monitoring.tests.helpers import feed_row, rules_in_force


@pytest.fixture
def warning(world):
    rules_in_force(world)
    casework.params_set(
        actor=None, area_code=world.area_county.code, effective_from=dt.date(2020, 1, 1), values=casework.ParamValues()
    )
    h = world.households["h1"]  # grid G1, worker gw1
    feed_row(h, "disaster", "25000", timezone.localdate())
    (w,) = services.screen_household(household_id=h.pk, as_of=timezone.localdate())
    return w
