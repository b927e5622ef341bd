"""Two buyers racing for the last stock: exactly one order wins (PostgreSQL, real transactions)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from bangfu.core.errors import Conflict
from bangfu.market import services
from bangfu.market.models import Order, Product
from bangfu.testing.concurrency import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_orders_never_oversell(market):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises all writers")
    p, w = market.product, market.world
    # 10 on hand; six buyers want 4 each: only two orders can be served.
    results = race([lambda: services.order_place(actor=w.county, buyer=market.buyer, lines=[(p, Decimal("4"))])] * 6)
    won = [r for r in results if isinstance(r, Order)]
    lost = [r for r in results if isinstance(r, Conflict)]
    assert len(won) == 2 and len(lost) == 4, results
    p = Product.objects.get(pk=p.pk)
    assert (p.on_hand, p.reserved) == (Decimal("10"), Decimal("8"))
    assert Order.objects.count() == 2


def test_double_confirm_fires_once(market):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises all writers")
    order = services.order_place(actor=market.world.county, buyer=market.buyer, lines=[(market.product, Decimal("1"))])
    results = race([lambda: services.order_transition(actor=market.owner, order=order, event="confirm")] * 2)
    assert sum(isinstance(r, Order) for r in results) == 1, results
    assert order.events.filter(event="confirm").count() == 1
