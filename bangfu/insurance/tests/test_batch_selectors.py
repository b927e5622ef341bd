"""insurance.village_counts / county_counts: payouts by village and grid, the fund by county, for
the indicator batch (grouped, a fixed number of queries; the fund equals fund_figures)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bangfu.insurance import selectors, services
from bangfu.insurance.tests.helpers import PAID, YEAR, scheme, submit, to_approved

pytestmark = pytest.mark.django_db


def as_dict(rows):
    return {(unit, key): value for unit, key, value in rows}


@pytest.fixture
def paid(world):
    s = scheme(world.county, world.area_county.code)
    services.premium_record(actor=world.county, scheme_id=s.pk, persons=1000, received_on=dt.date(YEAR, 1, 5))
    claim = to_approved(world, submit(world.gw1, world.households["h1"].pk))
    services.claim_pay(actor=world.insurer, claim_id=claim.pk, reference="TB1", paid_on=PAID)
    return s


def test_payouts_by_village_and_grid_in_the_year(world, paid):
    with CaptureQueriesContext(connection) as q:
        rows = as_dict(selectors.village_counts(dt.date(YEAR, 6, 30)))
    assert len(q.captured_queries) == 1
    assert rows[(world.v1a.code, "claims.paid")] == D("8120.00") and rows[(world.v1a.code, "claims.paid_count")] == 1
    grid = as_dict(selectors.village_counts(dt.date(YEAR, 6, 30), by="grid"))
    assert grid == {(str(world.g1.pk), "claims.paid"): D("8120.00"), (str(world.g1.pk), "claims.paid_count"): 1}
    assert selectors.village_counts(PAID - dt.timedelta(days=1)) == []  # not paid yet on that day
    assert selectors.village_counts(dt.date(YEAR, 6, 30), prefix=world.area_t2.code[:9]) == []


def test_fund_balance_by_county_equals_the_fund_page(world, paid):
    with CaptureQueriesContext(connection) as q:
        rows = as_dict(selectors.county_counts(dt.date(YEAR, 12, 31)))
    assert len(q.captured_queries) == 1
    fund = selectors.fund_figures(paid)
    assert rows[(world.area_county.code, "fund.balance")] == fund.balance == D("50000") - D("8120") - D("1218")
    assert rows[(world.area_county.code, "fund.premiums")] == D("50000.00")
    assert selectors.county_counts(dt.date(YEAR + 1, 1, 1)) == []  # next year's scheme has no ledger yet
