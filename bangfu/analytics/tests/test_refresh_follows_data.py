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
    casework.params_set(actor=None, area_code=world.area_county.code, effective_from=dt.date(2020, 1, 1), values={})
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
    casework.params_set(actor=None, area_code=world.area_county.code, effective_from=dt.date(2020, 1, 1), values={})
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
    assert tasks.nightly_indicators.call(reschedule=False) == IndicatorRun.objects.get(trigger="nightly").pk
