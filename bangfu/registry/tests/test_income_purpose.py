"""Which statement is "the household's income" for each purpose: one answer, in registry's domain."""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.registry.domain.income import Purpose, income_year
from bangfu.rules.domain.windows import window_for


@pytest.mark.parametrize("purpose", list(Purpose))
@pytest.mark.parametrize("on", [dt.date(2026, 1, 1), dt.date(2026, 4, 3), dt.date(2026, 12, 31)])
def test_every_purpose_reads_the_last_complete_year(purpose: Purpose, on: dt.date) -> None:
    assert income_year(purpose, on) == 2025


@pytest.mark.parametrize("kind", ["calendar_year", "rolling_12m"])
def test_the_screening_window_asks_the_registry_domain(kind: str) -> None:
    on = dt.date(2026, 12, 5)
    assert window_for(kind, on).income_year == income_year(Purpose.SCREENING, on)
