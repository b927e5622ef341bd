"""market.village_counts: sales by channel (by the enterprise's area) and payments to households (by
their village or grid) for the indicator batch, in two grouped queries; and the household's payments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bangfu.core.errors import NotFound
from bangfu.market import selectors, services

pytestmark = pytest.mark.django_db


def as_dict(rows):
    return {(unit, key): value for unit, key, value in rows}


@pytest.fixture
def sold(market):
    w, e, day = market.world, market.enterprise, market.today
    services.sale_record(
        actor=None, product=market.product, day=day, channel="counter", quantity=D("2"), amount=D("40")
    )
    services.sale_record(
        actor=None,
        product=market.product,
        day=day,
        channel="livestream",
        quantity=D("3"),
        amount=D("60"),
        platform="抖音",
        from_stock=False,
    )
    h1 = w.households["h1"]
    services.household_link_create(actor=w.county, enterprise=e, household_id=h1.pk, kind="employment", start=day)
    services.payment_record(actor=None, enterprise=e, household_id=h1.pk, kind="wage", amount=D("900"), paid_on=day)
    return market


def test_sales_by_channel_and_payments_by_village(sold):
    w = sold.world
    with CaptureQueriesContext(connection) as q:
        rows = as_dict(selectors.village_counts(sold.today))
    assert len(q.captured_queries) == 2
    assert rows[(w.v1a.code, "sales.counter")] == D("40.00") and rows[(w.v1a.code, "sales.livestream")] == D("60.00")
    assert rows[(w.v1a.code, "sales.total")] == D("100.00") and rows[(w.v1a.code, "market.paid")] == D("900.00")
    grid = as_dict(selectors.village_counts(sold.today, by="grid"))
    assert grid == {(str(w.g1.pk), "market.paid"): D("900.00")}
    assert selectors.village_counts(sold.today, prefix=w.area_t2.code[:9]) == []
    assert selectors.village_counts(dt.date(sold.today.year + 1, 1, 1)) == []


def test_payments_to_household_are_scoped(sold):
    w = sold.world
    h1 = w.households["h1"]
    assert [p.amount for p in selectors.payments_to_household(w.t1, h1.pk)] == [D("900.00")]
    for outsider in (w.t2, w.gw2):
        with pytest.raises(NotFound):
            selectors.payments_to_household(outsider, h1.pk)
