"""employment.demo.load on a hand-built context (the demo base provides the same keys)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

import pytest

from bangfu.demo.context import DemoContext
from bangfu.employment import demo, selectors
from bangfu.employment.tests.conftest import Story, household
from bangfu.registry import selectors as registry
from bangfu.registry import services as reg

pytestmark = pytest.mark.django_db


def test_demo_loads_story_a_end_to_end(story: Story) -> None:
    world = story.world
    extra_workers = []
    for name in ("阿来", "吉克"):
        h = household(world.v1a, name, dt.date(1995, 1, 1), poverty_exited=True, exit_year=2019)
        reg.household_set_relocation(household=h, site=story.site, moved_on=dt.date(2019, 12, 1))
        extra_workers.append(h)
    today = dt.date(2026, 6, 30)
    ctx = DemoContext(
        today=today,
        rng=random.Random(1),
        areas={"liming": world.v1b, "mabian": world.area_county},
        users={"mabian_admin": world.county},
        households={"A": story.a},
        extra={"A_site": story.site, "A_workers": story.liming + extra_workers, "liming_relocated": story.liming},
    )
    demo.load(ctx)
    w = ctx.extra["A_workshop"]
    assert w.status == "recognised"
    assert ("east_west", "浙江") in [(f.kind, f.partner_province) for f in w.funding.all()]
    jishi = registry.members_of(world.county, story.a.pk)[0]
    history = selectors.training_history(world.county, [jishi.pk])[jishi.pk]
    assert [(r.course.province, r.course.order_based) for r in history] == [("浙江", True), ("浙江", True)]
    contract = selectors.contracts_visible(world.county).get(member=jishi)
    slips = {f"{p.month:%Y-%m}": p.gross for p in selectors.payslips_of(world.county, contract.pk)}
    assert slips == {
        "2025-10": Decimal("2000.00"),
        "2025-11": Decimal("2000.00"),
        "2025-12": Decimal("2000.00"),
        "2026-01": Decimal("3000.00"),
    }
    kpi: Any = selectors.site_kpi(world.county, story.site.pk, today)
    assert story.a.pk not in [r.household.pk for r in kpi.action_rows] and kpi.summary.met >= 1
    income = selectors.asset_incomes(world.county, w.assets.get().pk)[0]
    assert income.collective_amount == Decimal("8000.00")
    assert {s.household_id for s in income.shares.all()} == {h.pk for h in story.liming}
    assert sum(s.amount for s in income.shares.all()) == Decimal("12000.00")
    assert ("mabian_factory", "企业用户", "马边针纺工艺公司") in ctx.logins
    assert selectors.workshop_get(ctx.users["mabian_factory"], w.pk) == w
