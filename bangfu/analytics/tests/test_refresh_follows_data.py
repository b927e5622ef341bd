"""Dashboards follow the data: a change queues one debounced refresh of its village, the worker runs
it, the village's (and its county's) figures move; a full refresh is queued for every night."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from bangfu.analytics import services, tasks
from bangfu.analytics.models import IndicatorRun, IndicatorValue
from bangfu.analytics.tests.test_services import cached
from bangfu.casework import services as casework
from bangfu.insurance import services as insurance
from bangfu.insurance.tests.helpers import PAID, scheme, submit, to_approved

pytestmark = pytest.mark.django_db(transaction=True)  # the refresh is queued when the change commits


def _queued(village: str) -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(
            task_path=tasks.refresh_village.module_path, status=TaskResultStatus.READY, args_kwargs__args=[village]
        )
    )


def _settled() -> None:
    """The test county's own set-up queued refreshes (30 s ahead): take them as done."""
    DBTaskResult.objects.all().delete()


def _worker() -> None:
    call_command("worker", "--once", "--screen-at", "23:59:59", stdout=io.StringIO())


def test_a_paid_claim_moves_the_village_after_the_worker_runs(world, settings) -> None:
    settings.BANGFU_INDICATOR_DEBOUNCE_SECONDS = 0
    services.indicators_refresh(trigger="nightly")
    _settled()
    year = str(PAID.year)
    village, county = world.v1a.code, world.area_county.code
    assert cached(village, "claims.paid_count", year) is None
    scheme(world.county, county)
    claim = to_approved(world, submit(world.gw1, world.households["h1"].pk))
    insurance.claim_pay(actor=world.insurer, claim_id=claim.pk, reference="TB1", paid_on=PAID)
    assert len(_queued(village)) == 1  # many writes in the village, one waiting refresh
    assert cached(village, "claims.paid_count", year) is None  # not before the worker has run
    _worker()
    assert cached(village, "claims.paid_count", year) == 1
    assert cached(county, "claims.paid_count", year) == 1  # the areas above it are re-summed
    assert _queued(village) == [] and IndicatorRun.objects.filter(trigger="change", area_code=village).exists()
    assert _queued(world.v2a.code) == []  # a village nobody touched is left alone


def test_a_new_case_moves_the_village_and_the_dashboard_says_when(world, settings, client_for) -> None:
    settings.BANGFU_INDICATOR_DEBOUNCE_SECONDS = 0
    casework.params_set(
        actor=None, area_code=world.area_county.code, effective_from=dt.date(2020, 1, 1), values=casework.ParamValues()
    )
    services.indicators_refresh(trigger="nightly")
    _settled()
    village = world.v1a.code
    assert cached(village, "cases.overdue") is None
    casework.case_open(
        actor=world.t1,
        household=world.households["h1"],
        source="grid",
        summary="突发疾病",
        on=timezone.localdate() - dt.timedelta(days=20),
    )
    _worker()
    assert cached(village, "cases.overdue") == 1
    last = IndicatorValue.objects.filter(unit=village).latest("computed_at").computed_at
    page = client_for(world.t1).get(f"/?area={village}").content.decode()
    assert f"最近更新 {timezone.localtime(last):%Y-%m-%d %H:%M}" in page


def test_changes_inside_the_window_share_one_refresh(world, settings) -> None:
    settings.BANGFU_INDICATOR_DEBOUNCE_SECONDS = 60
    casework.params_set(
        actor=None, area_code=world.area_county.code, effective_from=dt.date(2020, 1, 1), values=casework.ParamValues()
    )
    _settled()
    for h in ("h1", "h2"):  # both in 羊店儿村
        casework.case_open(actor=world.t1, household=world.households[h], source="grid", summary="患病")
    (waiting,) = _queued(world.v1a.code)
    assert waiting.run_after > timezone.now() + dt.timedelta(seconds=30)
    _worker()
    assert len(_queued(world.v1a.code)) == 1  # not due yet: still waiting, still one


def test_the_worker_queues_one_nightly_full_refresh(world) -> None:
    _worker()
    _worker()
    (nightly,) = DBTaskResult.objects.filter(
        task_path=tasks.nightly_indicators.module_path, status=TaskResultStatus.READY
    )
    assert timezone.localtime(nightly.run_after).time() == tasks.NIGHTLY_AT
    out = tasks.nightly_indicators.call(reschedule=False)
    assert out["counties"] == 1 and out["queued"] == 1  # the test world has one county


def test_the_nightly_refresh_is_one_task_per_county_then_the_province(world) -> None:
    """Counties refreshed side by side by any worker; the province re-summed once after the last
    (issue #18): its figure is the counties' sum even if each county summed the others' old figures."""
    from bangfu.areas import services as areas_services
    from bangfu.core.models import BatchPart, BatchRun
    from bangfu.testing import new_household

    other = areas_services.area_create(code="511132000000", name="峨边彝族自治县", parent_code="511100000000")
    town = areas_services.area_create(code="511132100000", name="沙坪镇", parent_code=other.code)
    new_household(areas_services.area_create(code="511132100201", name="红花村", parent_code=town.code), members=2)
    DBTaskResult.objects.all().delete()
    tasks.nightly_indicators.call(reschedule=False)
    parts = {p.area_code: p for p in BatchPart.objects.all()}
    assert set(parts) == {world.area_county.code, other.code}
    assert tasks.refresh_county.call(parts[other.code].pk) == "done"
    assert tasks.refresh_county.call(parts[world.area_county.code].pk) == "done"
    assert tasks.refresh_county.call(parts[world.area_county.code].pk) == "skipped"
    assert BatchRun.objects.get().finished is not None
    province = IndicatorValue.objects.get(unit=world.province.code, key="households")
    assert province.value == 3 + 1  # 马边's three households and 峨边's one
    # Two counties running side by side each summed the other's figures as they stood: the last step
    # re-sums the areas above the counties from the cache, whatever they held.
    IndicatorValue.objects.filter(pk=province.pk).update(value=999)
    services.indicators_roll_up()
    assert IndicatorValue.objects.get(unit=world.province.code, key="households").value == 4
