"""employment.village_counts: workshops, workers, payroll and the relocation indicator for the
indicator batch; the indicator is the same as the site page's (site_kpi) in grouped queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bangfu.employment import selectors, services
from bangfu.employment.tests.conftest import Story, hire
from bangfu.registry import selectors as registry
from bangfu.registry import services as reg

pytestmark = pytest.mark.django_db
ON = dt.date(2025, 6, 30)


def as_dict(rows):
    return {(unit, key): value for unit, key, value in rows}


def members(story: Story, h):
    return list(registry.members_of(story.world.county, h.pk))


def test_relocation_indicator_matches_the_site_page(story: Story) -> None:
    world = story.world
    hire(world.t1, story, members(story, story.a)[0])
    for m in members(story, story.liming[1]):
        reg.member_update(actor=None, member=m, changes={"labour": "丧失劳动力"})
    with CaptureQueriesContext(connection) as q:
        rows = as_dict(selectors.village_counts(ON))
    assert len(q.captured_queries) == 3 + 1 + 1 + 2  # 3 grouped, villages, policies, 2 per age rule
    page = selectors.site_kpi(world.county, story.site.pk, ON).summary
    batch_labour = sum(v for (u, k), v in rows.items() if k == "relocation.with_labour")
    batch_met = sum(v for (u, k), v in rows.items() if k == "relocation.met")
    assert (batch_labour, batch_met) == (page.with_labour, page.met) == (2, 1)
    assert rows[(world.v1a.code, "relocation.met")] == 1  # 吉石罗布's household lives in V1a


def test_workers_and_payroll_by_the_workshop_village(story: Story) -> None:
    world = story.world
    c = hire(world.t1, story, members(story, story.a)[0], start="2025-01-01", probation_months=0)
    services.payslip_record(
        actor=world.t1, contract=c, month=dt.date(2025, 3, 1), scheduled_days=22, days_worked=22, pieces=100
    )
    rows = as_dict(selectors.village_counts(ON))
    assert rows[(world.v1b.code, "workshops")] == 1 and rows[(world.v1b.code, "workers")] == 1
    assert rows[(world.v1b.code, "payroll")] == Decimal("1500.00")
    assert (world.v1b.code, "payroll") not in as_dict(selectors.village_counts(dt.date(2026, 6, 30)))
    assert selectors.village_counts(ON, prefix=world.area_t2.code[:9]) == []


def test_villages_without_parameters_are_left_out_not_failed(world) -> None:
    site = reg.site_create(actor=None, area_code=world.v2a.code, name="安置点", kind="village", planned_households=5)
    reg.household_set_relocation(household=world.households["h3"], site=site, moved_on=dt.date(2020, 1, 1))
    assert selectors.village_counts(ON) == []
