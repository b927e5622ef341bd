"""Fixtures of the casework tests: the test county plus its casework parameters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from bangfu.casework import services
from bangfu.rules import services as rules


@pytest.fixture
def params(world):
    """County parameters from 2020 (Anhui elimination guards), visit obligations, and the province's
    monitoring line of 6000 yuan for every year since 2020 (kept by rules, read by the guard)."""
    start = dt.date(2020, 1, 1)
    row = services.params_set(
        actor=None, area_code=world.area_county.code, effective_from=start, values=services.ParamValues()
    )
    for year in range(2020, timezone.localdate().year + 1):
        rules.monitoring_line_set(actor=None, area_code=world.province.code, year=year, amount=Decimal("6000.00"))
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
