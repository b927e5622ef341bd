"""Pages through the Django client: the catalogue without login, the enterprise page, forms, orders.
Each page with the access trio; list pages with a bounded number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bangfu.core.domain.credit_code import make
from bangfu.market import services
from bangfu.market.models import Order, Payment, PriceRecord, Product, SaleRecord
from bangfu.market.tests.conftest import certify, new_product
from bangfu.registry.models import IncomeStatement

pytestmark = pytest.mark.django_db


def test_catalogue_without_login_and_bounded_queries(market):
    for i in range(5):
        p = new_product(market.enterprise, f"青稞{i}", "粮油", Decimal("19.80"), market.today)
        certify(p, market.today, f"BF-1{i}")
    new_product(market.enterprise, "未认定土豆", "蔬菜", Decimal("2"), market.today)
    with CaptureQueriesContext(connection) as ctx:
        r = Client().get("/market/catalogue/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "苦荞茶" in html and "青稞4" in html and "未认定土豆" not in html and "19.80" in html
    assert len(ctx.captured_queries) <= 4, [q["sql"] for q in ctx.captured_queries]


def test_enterprise_page_trio(market, client_for):
    w, pk = market.world, market.enterprise.pk
    r = client_for(w.t1).get(f"/market/enterprises/{pk}/")
    assert r.status_code == 200 and "雪口山特产合作社" in r.content.decode()
    assert "登记销售" not in r.content.decode()  # t1 sees, but market edits are the county's and the owner's
    assert "登记销售" in client_for(market.owner).get(f"/market/enterprises/{pk}/").content.decode()
    for outsider in (w.t2, w.gw2, market.rival):
        assert client_for(outsider).get(f"/market/enterprises/{pk}/").status_code == 404
    assert Client().get(f"/market/enterprises/{pk}/").status_code == 302  # to the login page


def test_enterprise_user_lands_on_their_enterprise(market, client_for):
    r = client_for(market.owner).get("/market/")
    assert r.status_code == 302 and r["Location"] == f"/market/enterprises/{market.enterprise.pk}/"


def test_enterprise_list_queries_do_not_grow(market, client_for):
    c = client_for(market.world.county)
    c.get("/market/")  # warm the session and memberships
    with CaptureQueriesContext(connection) as before:
        c.get("/market/")
    for i in range(4):
        services.enterprise_create(
            actor=None,
            name=f"合作社{i}",
            kind="cooperative",
            credit_code=make("93", "511133", f"MA6XYW1{i:02d}"),
            area_code=market.world.v1a.code,
            leader="X",
        )
    with CaptureQueriesContext(connection) as after:
        r = c.get("/market/")
    assert r.content.decode().count("合作社") >= 5
    assert len(after.captured_queries) == len(before.captured_queries)


def test_sale_form_trio(market, client_for):
    w, e, p = market.world, market.enterprise, market.product
    data = {"product": p.pk, "day": str(market.today), "channel": "counter", "quantity": "2", "amount": "40"}
    for outsider in (w.t2, w.gw2, market.rival):
        assert client_for(outsider).post(f"/market/enterprises/{e.pk}/sales/", data).status_code in (403, 404)
    assert client_for(w.t1).post(f"/market/enterprises/{e.pk}/sales/", data).status_code == 403
    assert not SaleRecord.objects.exists()
    r = client_for(market.owner).post(f"/market/enterprises/{e.pk}/sales/", data, follow=True)
    assert "销售已登记" in r.content.decode() and SaleRecord.objects.get().amount == Decimal("40")
    bad = dict(data, amount="四十")
    r = client_for(market.owner).post(f"/market/enterprises/{e.pk}/sales/", bad, follow=True)
    assert "金额应为数字" in r.content.decode() and SaleRecord.objects.count() == 1


def test_payment_form_flows_into_statement(market, client_for):
    w, e = market.world, market.enterprise
    h1 = w.households["h1"]
    services.household_link_create(
        actor=None, enterprise=e, household_id=h1.pk, kind="employment", start=dt.date(2019, 1, 1)
    )
    data = {"household": h1.pk, "kind": "wage", "amount": "2800", "paid_on": str(market.today)}
    for outsider in (w.t2, w.gw2, market.rival):
        assert client_for(outsider).post(f"/market/enterprises/{e.pk}/payments/", data).status_code in (403, 404)
    assert not Payment.objects.exists()
    client_for(market.owner).post(f"/market/enterprises/{e.pk}/payments/", data)
    assert IncomeStatement.objects.get(household=h1, year=market.today.year).wage == Decimal("2800.00")
    html = client_for(w.t1).get(f"/market/enterprises/{e.pk}/").content.decode()
    assert h1.head_name in html and "2,800.00" in html


def test_product_page_and_price_form_trio(market, client_for):
    w, p = market.world, market.product
    assert client_for(w.t1).get(f"/market/products/{p.pk}/").status_code == 200
    data = {"price": "22.50", "effective_from": str(market.today)}
    for outsider in (w.t2, w.gw2, market.rival):
        assert client_for(outsider).get(f"/market/products/{p.pk}/").status_code == 404
        assert client_for(outsider).post(f"/market/products/{p.pk}/prices/", data).status_code in (403, 404)
    assert PriceRecord.objects.filter(product=p).count() == 1
    client_for(market.owner).post(f"/market/products/{p.pk}/prices/", data)
    assert "22.50" in client_for(market.owner).get(f"/market/products/{p.pk}/").content.decode()
    r = client_for(market.owner).post(
        f"/market/products/{p.pk}/production/", {"day": str(market.today - dt.timedelta(days=1)), "quantity": "5000"}
    )
    assert r.status_code == 302 and Product.objects.get(pk=p.pk).on_hand == Decimal("5010")


def test_order_pages_trio(market, client_for):
    w, p = market.world, market.product
    county = client_for(w.county)
    r = county.get(f"/market/orders/new/?enterprise={market.enterprise.pk}")
    assert r.status_code == 200 and "苦荞茶" in r.content.decode()
    r = county.post(
        "/market/orders/new/", {"enterprise": market.enterprise.pk, "buyer": market.buyer.pk, f"qty_{p.pk}": "20"}
    )
    assert r.status_code == 409 and "库存不足" in r.content.decode()  # a conflict (form_post keeps its status)
    for outsider in (w.t2, w.gw2):
        r = client_for(outsider).post(
            "/market/orders/new/", {"enterprise": market.enterprise.pk, "buyer": market.buyer.pk, f"qty_{p.pk}": "2"}
        )
        assert r.status_code in (403, 404)
    assert not Order.objects.exists()
    r = county.post(
        "/market/orders/new/", {"enterprise": market.enterprise.pk, "buyer": market.buyer.pk, f"qty_{p.pk}": "2"}
    )
    order = Order.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/market/orders/{order.pk}/"
    for outsider in (w.t2, w.gw2, market.rival):
        assert client_for(outsider).get(f"/market/orders/{order.pk}/").status_code == 404
        assert client_for(outsider).post(
            f"/market/orders/{order.pk}/move/", {"event": "cancel", "note": "x"}
        ).status_code in (403, 404)
    owner = client_for(market.owner)
    assert 'data-event="confirm"' in owner.get(f"/market/orders/{order.pk}/").content.decode()
    owner.post(f"/market/orders/{order.pk}/move/", {"event": "confirm"})
    order.refresh_from_db()
    assert order.state == "confirmed"
    assert "马边县机关食堂" in client_for(w.t1).get("/market/buyers/").content.decode()
    assert "马边县机关食堂" not in client_for(w.t2).get("/market/buyers/").content.decode()
