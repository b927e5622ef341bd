"""casework.demo.load on a small county built with the test helpers (ctx keys as in demo/context.py)."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from bangfu.casework import demo, selectors
from bangfu.casework.domain.procedure import State
from bangfu.casework.models import Case, Measure, Visit
from bangfu.demo.context import DemoContext
from bangfu.demo.domain import story_b

pytestmark = pytest.mark.django_db


def _load(world) -> None:
    demo.load(
        DemoContext(
            today=timezone.localdate(),
            rng=random.Random(1),
            areas={"gannan": world.area_county, "yongli": world.v1a},
            users={
                "zhoujingcai": world.gw1,
                "gannan_admin": world.county,
                "gannan_township": world.t1,
                "gannan_village": world.v1,
            },
            households={"B": world.households["h1"]},
        )
    )


def test_story_b_visits_and_the_school_cost_case(world, client_for) -> None:
    today = timezone.localdate()
    household = world.households["h1"]
    _load(world)
    visits = list(Visit.objects.filter(household=household).order_by("visited_on"))
    per_month: dict[tuple[int, int], int] = {}
    for v in visits:
        per_month[(v.visited_on.year, v.visited_on.month)] = (
            per_month.get((v.visited_on.year, v.visited_on.month), 0) + 1
        )
    full_months = [
        n
        for (y, m), n in per_month.items()
        if dt.date(y, m, 1) > visits[0].visited_on and (y, m) != (today.year, today.month)
    ]
    assert full_months and all(2 <= n <= 4 for n in full_months)  # 2–3 a month (+ the school visit)
    assert all(v.worker_id == world.gw1.pk for v in visits)
    case = Case.objects.get(household=household)
    assert case.state == State.MONITORED and case.source == "grid"
    assert list(case.events.values_list("event", flat=True))[:2] == ["open", "accept"]
    assert Measure.objects.filter(case=case, status="done").count() == 4
    # story B's order: the visit opens the case on 12 January, before the claim (14 January) is filed
    # and long before it is paid (3 April); the claim measure carries the day it was filed
    year = story_b.story_year(today)
    assert case.opened_on == dt.date(year, 1, 12) < story_b.claim_applied(year) < dt.date(year, 4, 3)
    claim = Measure.objects.get(case=case, title__contains="防贫保险")
    assert claim.starts_on == dt.date(year, 1, 14)
    # each duty by its own person: village verifies and deliberates, township reviews, county approves
    who = dict(case.events.exclude(event__in=["open", "plan"]).values_list("event", "actor_id"))
    assert who["verify"] == who["deliberate"] == world.v1.pk
    assert who["township_review"] == world.t1.pk and who["approve"] == world.county.pk
    household.refresh_from_db()
    assert household.monitoring_type == "突发严重困难户" and "因学" in household.risk_codes
    others = Case.objects.exclude(pk=case.pk)
    assert others.count() == 2 and others.filter(state=State.ACCEPTED).count() == 1
    page = client_for(world.gw1).get("/cases/grid/mine/")
    assert household.head_name in page.content.decode()


def test_grid_workers_visit_most_households_this_period_so_the_dashboard_is_not_zero(world) -> None:
    """G1 is 周景财's (story visits only), G2's worker visits as required, G3's worker is behind."""
    today = timezone.localdate()
    _load(world)
    county = world.area_county.code[:6]
    rows = selectors.village_counts(today, prefix=county)
    due = sum(v for _, key, v in rows if key == "visits.due")
    met = sum(v for _, key, v in rows if key == "visits.met")
    assert due == 3 and 0 < met < due
    grids = {(unit, key): v for unit, key, v in selectors.village_counts(today, prefix=county, by="grid")}
    g2, g3 = str(world.g2.pk), str(world.g3.pk)
    assert grids[(g2, "visits.due")] == grids[(g2, "visits.met")] == 1
    assert grids[(g3, "visits.due")] == 1 and grids[(g3, "visits.met")] == 0
    visit = Visit.objects.get(household=world.households["h2"])
    assert visit.worker_id == world.gw2.pk and visit.mode == "in_person"
    assert (visit.visited_on.year, visit.visited_on.month) == (today.year, today.month) and visit.visited_on <= today
