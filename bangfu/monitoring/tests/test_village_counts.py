"""monitoring.selectors.village_counts: the batch figures the indicator cache reads (ADR 0005)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from bangfu.monitoring import selectors, services
from bangfu.monitoring.models import Warning
from bangfu.monitoring.tests.helpers import rules_in_force
from bangfu.registry import services as registry

pytestmark = pytest.mark.django_db


def _warnings(world) -> tuple[dt.date, list[Warning]]:
    rules_in_force(world)
    today = timezone.localdate()
    for name in ("h1", "h2", "h3"):
        registry.income_record(
            household_id=world.households[name].pk, year=today.year - 1, item="wage.local", amount="100", source="t"
        )
    services.screen(area_code=world.area_county.code, as_of=today)
    return today, list(Warning.objects.order_by("pk"))


def test_new_this_month_and_open_by_village_and_by_grid(world):
    today, found = _warnings(world)
    assert len(found) == 3
    old = found[0]
    Warning.objects.filter(pk=old.pk).update(as_of=today - dt.timedelta(days=40), status="dismissed")
    rows = selectors.village_counts(today)
    expected: dict[tuple[str, str], Decimal] = {}
    for w in found:
        is_old = w.pk == old.pk
        for key, counts in (("warnings.new", not is_old), ("warnings.open", not is_old)):
            cell = (w.village_code, key)
            expected[cell] = expected.get(cell, Decimal(0)) + (1 if counts else 0)
    assert {(unit, key): value for unit, key, value in rows} == expected
    by_grid = {(unit, key): value for unit, key, value in selectors.village_counts(today, by="grid")}
    assert sum(v for (_, k), v in by_grid.items() if k == "warnings.open") == 2
    assert {unit for unit, _ in by_grid} == {str(w.grid_id) for w in found if w.grid_id is not None}


def test_prefix_keeps_to_the_township(world):
    today, found = _warnings(world)
    township = world.area_t2.code[:9]
    assert any(not w.village_code.startswith(township) for w in found)  # some are left out
    rows = selectors.village_counts(today, prefix=township)
    assert {unit for unit, _, _ in rows} == {w.village_code for w in found if w.village_code.startswith(township)}
