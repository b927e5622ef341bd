"""The batch refresh: grouped counts per village and grid, rolled up to every level, cached."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from bangfu.analytics import services
from bangfu.analytics.domain.periods import month_of, year_of
from bangfu.analytics.models import IndicatorRun, IndicatorValue
from bangfu.core.errors import ValidationFailed
from bangfu.core.models import AuditEvent
from bangfu.testing import new_household

pytestmark = pytest.mark.django_db


def cached(unit: str, key: str, period: str | None = None) -> Decimal | None:
    row = IndicatorValue.objects.filter(unit=unit, key=key, period=period or month_of(timezone.localdate())).first()
    return row.value if row else None


def test_full_refresh_counts_every_level(county):
    run = services.indicators_refresh(trigger="cli")
    assert run.villages == 3 and run.finished is not None and run.cells == IndicatorValue.objects.count()
    today = timezone.localdate()
    t1, v1a, v1b = county.area_t1.code, county.v1a.code, county.v1b.code
    assert cached(v1a, "households") == 2 and cached(v1b, "households") == 1
    assert cached(t1, "households") == 3 and cached(county.area_county.code, "households") == 4
    assert cached("510000000000", "households") == 4 and cached("511100000000", "people") == 12
    assert cached(t1, "monitored") == 2 and cached(t1, "monitored.脱贫不稳定户") == 1
    assert cached(t1, "relocated") == 1 and cached(v1b, "eliminated", year_of(today)) == 1
    assert cached(county.area_t2.code, "monitored.突发严重困难户") == 1
    assert cached(v1a, "warnings.new") == 1 and cached(v1a, "warnings.open") == 1
    assert cached(f"grid:{county.g1.pk}", "monitored") == 1 and cached(f"grid:{county.g2.pk}", "monitored") == 0
    assert AuditEvent.objects.filter(action="indicators_refresh", object_id=str(run.pk)).exists()


def test_trend_counts_households_at_risk_at_each_month_end(county):
    services.indicators_refresh()
    trend = dict(
        IndicatorValue.objects.filter(unit=county.area_county.code, key="monitored_trend").values_list(
            "period", "value"
        )
    )
    assert len(trend) == 12
    # h4 was at risk from January last year until it was eliminated today: gone from this month.
    assert trend[month_of(timezone.localdate())] == 2
    h1_since = timezone.localdate() - dt.timedelta(days=200)
    before_h1 = [p for p in trend if p < month_of(h1_since)]
    assert all(trend[p] == 1 for p in before_h1)


def test_overdue_steps_counted_after_the_due_date(county):
    due = county.case.due_on
    assert due is not None
    services.indicators_refresh(as_of=due)
    assert cached(county.v1a.code, "cases.overdue", month_of(due)) in (None, Decimal(0))
    services.indicators_refresh(as_of=due + dt.timedelta(days=1))
    assert cached(county.area_t1.code, "cases.overdue", month_of(due + dt.timedelta(days=1))) == 1
    assert cached(f"grid:{county.g2.pk}", "cases.overdue", month_of(due + dt.timedelta(days=1))) == 1


def test_partial_refresh_updates_the_township_and_resums_the_county(county):
    services.indicators_refresh()
    new_household(county.v1a, county.g1)
    new_household(county.v2a, county.g3)  # T2: not refreshed below, so its cached figure stays
    services.indicators_refresh(area_code=county.area_t1.code)
    assert cached(county.v1a.code, "households") == 3 and cached(county.area_t1.code, "households") == 4
    assert cached(county.area_t2.code, "households") == 1
    assert cached(county.area_county.code, "households") == 5 and cached("510000000000", "households") == 5


def test_refresh_of_a_bad_code_explains_and_writes_nothing(county):
    with pytest.raises(ValidationFailed) as err:
        services.indicators_refresh(area_code="5111")
    assert "12位" in err.value.zh and "12-digit" in err.value.en
    assert not IndicatorRun.objects.exists() and not IndicatorValue.objects.exists()


def test_management_command_refreshes(county, capsys):
    call_command("indicators", "--area", county.area_county.code)
    assert cached(county.area_county.code, "households") == 4
    assert "511133000000" in capsys.readouterr().out


def test_task_runs_the_refresh(county, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    from bangfu.analytics.tasks import refresh_indicators

    result = refresh_indicators.enqueue(area_code=county.area_t1.code)
    assert IndicatorRun.objects.get(pk=result.return_value).area_code == county.area_t1.code
    assert cached(county.area_t1.code, "households") == 3
