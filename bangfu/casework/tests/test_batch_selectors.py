"""casework.village_counts: overdue steps and visit compliance for the indicator batch, the same
answer as the compliance page, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bangfu.casework import selectors, services
from bangfu.registry import services as registry
from bangfu.testing import new_household

pytestmark = pytest.mark.django_db


def as_dict(rows):
    return {(unit, key): value for unit, key, value in rows}


@pytest.fixture
def visited(world, params):
    """h1 monitored with two visits (met), h2 one phone call (not met), h3 away with a phone call
    this quarter (met)."""
    today = timezone.localdate()
    h1, h2, h3 = (world.households[k] for k in ("h1", "h2", "h3"))
    registry.household_set_monitoring(household=h1, monitoring_type="脱贫不稳定户", risk_codes=["因病"], since=today)
    for worker, h, mode in ((world.gw1, h1, "in_person"), (world.gw1, h1, "in_person"), (world.gw2, h2, "phone")):
        services.visit_log(actor=worker, household=h, visited_on=today, mode=mode)
    services.absence_mark(actor=world.gw3, household=h3, since=today - dt.timedelta(days=90))
    services.visit_log(actor=world.gw3, household=h3, visited_on=today, mode="phone")
    return world


def test_visit_compliance_matches_the_compliance_report(visited):
    today = timezone.localdate()
    with CaptureQueriesContext(connection) as q:
        rows = as_dict(selectors.village_counts(today))
    assert len(q.captured_queries) == 4  # overdue steps, combinations in force, visit groups, obligations
    report = {r.key: r for r in selectors.compliance_report(visited.county, today)["village"]}
    for village in (visited.v1a.code, visited.v2a.code):
        assert rows[(village, "visits.due")] == report[village].households
        assert rows[(village, "visits.met")] == report[village].met
    assert rows[(visited.v1a.code, "visits.met")] == 1 and rows[(visited.v2a.code, "visits.met")] == 1


def test_grid_counts_and_overdue_steps(visited):
    h = new_household(visited.v1a, visited.g1)
    case = services.case_open(actor=visited.t1, household=h, source="grid", summary="突发疾病", on=timezone.localdate())
    assert case.due_on is not None
    later = case.due_on + dt.timedelta(days=1)
    rows = as_dict(selectors.village_counts(later, by="grid"))
    assert rows[(str(visited.g1.pk), "cases.overdue")] == 1
    assert (str(visited.g2.pk), "cases.overdue") not in rows
    assert as_dict(selectors.village_counts(case.due_on)).get((visited.v1a.code, "cases.overdue")) is None
    assert as_dict(selectors.village_counts(later, prefix=visited.area_t2.code[:9])).keys() <= {
        (visited.v2a.code, "visits.due"),
        (visited.v2a.code, "visits.met"),
    }
