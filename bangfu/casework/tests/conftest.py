"""Fixtures of the casework tests: the test county plus its casework parameters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bangfu.casework import services


@pytest.fixture
def params(world):
    """County parameters from 2020 (6000 yuan line, Anhui elimination guards) and visit obligations."""
    start = dt.date(2020, 1, 1)
    row = services.params_set(
        actor=None,
        area_code=world.area_county.code,
        effective_from=start,
        values={"income_line": Decimal("6000.00")},
    )
    for category, visits, period, phone in (
        ("monitored", 2, "month", False),
        ("ordinary", 1, "month", False),
        ("absent", 1, "quarter", True),
    ):
        services.obligation_set(
            actor=None,
            area_code=world.area_county.code,
            category=category,
            visits=visits,
            period=period,
            phone_counts=phone,
            effective_from=start,
        )
    return row
