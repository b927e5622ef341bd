"""The API through HTTP, each endpoint with the access trio: the area's people see or change,
the neighbouring township (t2) and a grid worker of another grid (gw2) get 404 and change nothing."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from bangfu.market import services
from bangfu.market.models import (
    Buyer,
    Certification,
    CounterpartLink,
    Enterprise,
    EnterpriseYear,
    Order,
    Payment,
    PriceRecord,
    ProcurementTarget,
    Product,
    SaleRecord,
    SalesEvent,
)
from bangfu.market.tests.conftest import new_product, sector_officer
from bangfu.registry.models import IncomeStatement

pytestmark = pytest.mark.django_db
API = "/api/v1/market"


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(API + url, data=json.dumps(body, default=str), content_type="application/json")


def test_catalogue_is_public_and_lists_only_valid_products(market):
    new_product(market.enterprise, "土豆", "蔬菜", Decimal("2"), market.today)
    r = Client().get(API + "/catalogue")
    assert r.status_code == 200
    rows = r.json()
    assert [x["name"] for x in rows] == ["苦荞茶"]
    assert rows[0]["price"] == "20.00" and rows[0]["producer"] == "雪口山特产合作社"
    assert rows[0]["certificate"] == "BF-001" and Decimal(rows[0]["stock"]) == Decimal("10")
    assert Client().get(API + "/catalogue?county=542428").json() == []


def test_enterprise_detail_trio(market, api_for):
    w, pk = market.world, market.enterprise.pk
    r = api_for(w.t1).get(f"{API}/enterprises/{pk}")
    assert r.status_code == 200 and r.json()["name"] == "雪口山特产合作社" and r.json()["can_edit"] is False
    assert api_for(market.owner).get(f"{API}/enterprises/{pk}").json()["can_edit"] is True
    for outsider in (w.t2, w.gw2, market.rival):
        assert api_for(outsider).get(f"{API}/enterprises/{pk}").status_code == 404
    assert [e["id"] for e in api_for(w.t1).get(f"{API}/enterprises").json()] == [pk]
    assert api_for(w.gw2).get(f"{API}/enterprises").json() == []
    assert Client().get(f"{API}/enterprises/{pk}").status_code == 401


def test_price_change_trio(market, api_for):
    w, pk = market.world, market.product.pk
    body = {"price": "19.80", "effective_from": str(market.today)}
    for outsider in (w.t2, w.gw2, market.rival):
        assert post(api_for(outsider), f"/products/{pk}/prices", body).status_code in (403, 404)
    assert post(api_for(w.t1), f"/products/{pk}/prices", body).status_code == 403
    assert PriceRecord.objects.filter(product_id=pk).count() == 1
    r = post(api_for(market.owner), f"/products/{pk}/prices", body)
    assert r.status_code == 201
    assert Client().get(API + "/catalogue").json()[0]["price"] == "19.80"


def test_bad_input_is_explained_in_both_languages(market, api_for):
    r = post(
        api_for(market.owner),
        f"/products/{market.product.pk}/production",
        {"day": str(market.today + dt.timedelta(days=3)), "quantity": "5000"},
    )
    assert r.status_code == 422
    body = r.json()
    assert body["errors"][0]["field"] == "day" and "今天" in body["message"] + body["errors"][0]["message"]
    assert "future" in body["errors"][0]["message_en"]
    assert Product.objects.get(pk=market.product.pk).on_hand == Decimal("10")


def test_production_and_sales_trio(market, api_for):
    w, p = market.world, market.product
    day = str(market.today - dt.timedelta(days=1))
    for outsider in (w.t2, w.gw2, market.rival):
        assert post(api_for(outsider), f"/products/{p.pk}/production", {"day": day, "quantity": "5"}).status_code in (
            403,
            404,
        )
        assert post(
            api_for(outsider),
            "/sales",
            {"product_id": p.pk, "day": day, "channel": "counter", "quantity": "1", "amount": "20"},
        ).status_code in (403, 404)
    assert not SaleRecord.objects.exists()
    assert post(api_for(market.owner), f"/products/{p.pk}/production", {"day": day, "quantity": "5"}).status_code == 201
    r = post(
        api_for(market.owner),
        "/sales",
        {
            "product_id": p.pk,
            "day": day,
            "channel": "online_shop",
            "quantity": "2",
            "amount": "40",
            "platform": "淘宝店",
        },
    )
    assert r.status_code == 201 and r.json()["online"] is True
    s = api_for(w.t1).get(f"{API}/enterprises/{market.enterprise.pk}/sales?year={market.today.year}").json()
    assert s["by_channel"] == {"网店": "40.00"} and s["online"] == "40.00"
    prod = api_for(w.t1).get(f"{API}/products/{p.pk}/production").json()
    assert [r["quantity"] for r in prod["records"]] == ["10.00", "5.00"] and prod["average"] == "7.50"
    assert api_for(w.t2).get(f"{API}/products/{p.pk}/production").status_code == 404


def test_payment_trio_and_statement(market, api_for):
    w, e = market.world, market.enterprise
    h1 = w.households["h1"]
    r = post(
        api_for(w.county),
        f"/enterprises/{e.pk}/links",
        {"household_id": h1.pk, "kind": "employment", "start": "2019-01-01"},
    )
    assert r.status_code == 201
    body = {"enterprise_id": e.pk, "household_id": h1.pk, "kind": "wage", "amount": "3000", "paid_on": "2019-03-31"}
    for outsider in (w.t2, w.gw2, market.rival):
        assert post(api_for(outsider), "/payments", body).status_code in (403, 404)
    assert not Payment.objects.exists()
    r = post(api_for(market.owner), "/payments", body)
    assert r.status_code == 201 and r.json()["income_item"] == "wage.local"
    assert IncomeStatement.objects.get(household=h1, year=2019).wage == Decimal("3000.00")
    rows = api_for(w.t1).get(f"{API}/enterprises/{e.pk}/households?year=2019").json()
    assert rows == [
        {
            "household_id": h1.pk,
            "number": h1.number,
            "head_name": h1.head_name,
            "village": "羊店儿村",
            "links": ["务工就业"],
            "by_kind": {"工资": "3000.00"},
            "total": "3000.00",
        }
    ]
    assert api_for(w.gw2).get(f"{API}/enterprises/{e.pk}/households?year=2019").status_code == 404


def test_register_enterprise_trio(market, api_for):
    w = market.world
    from bangfu.core.domain.credit_code import make

    body = {
        "name": "羊店儿村合作社",
        "kind": "cooperative",
        "credit_code": make("93", "511133", "MA6XYW003"),
        "area_code": w.v1a.code,
        "leader": "吉克",
    }
    for outsider in (w.t2, w.gw2):
        assert post(api_for(outsider), "/enterprises", body).status_code in (403, 404)
    assert post(api_for(w.t1), "/enterprises", body).status_code == 403
    assert Enterprise.objects.count() == 2
    r = post(api_for(w.county), "/enterprises", body)
    assert r.status_code == 201 and r.json()["area_name"] == "羊店儿村"


def test_order_flow_through_the_api(market, api_for):
    w, p = market.world, market.product
    body = {"buyer_id": market.buyer.pk, "lines": [{"product_id": p.pk, "quantity": "3"}]}
    for outsider in (w.t2, w.gw2):
        assert post(api_for(outsider), "/orders", body).status_code in (403, 404)
    assert not Order.objects.exists()
    r = post(api_for(w.county), "/orders", body)
    assert r.status_code == 201
    order = r.json()
    # The county office may act for both sides (enterprises without their own account).
    assert order["total"] == "60.00" and order["allowed"] == ["confirm", "cancel"]
    pk = order["id"]
    for outsider in (w.t2, w.gw2, market.rival):
        assert api_for(outsider).get(f"{API}/orders/{pk}").status_code == 404
        assert post(api_for(outsider), f"/orders/{pk}/transitions", {"event": "confirm"}).status_code in (403, 404)
    owner = api_for(market.owner)
    assert owner.get(f"{API}/orders/{pk}").json()["allowed"] == ["confirm", "cancel"]
    assert post(owner, f"/orders/{pk}/transitions", {"event": "ship"}).status_code == 409
    for event in ("confirm", "ship"):
        assert post(owner, f"/orders/{pk}/transitions", {"event": event}).status_code == 200
    county = api_for(w.county)
    assert post(county, f"/orders/{pk}/transitions", {"event": "receive", "note": "抽检合格"}).status_code == 200
    r = post(county, f"/orders/{pk}/transitions", {"event": "settle"})
    assert r.status_code == 200 and r.json()["state"] == "settled"
    assert [e["event"] for e in r.json()["events"]] == ["place", "confirm", "ship", "receive", "settle"]
    r = post(county, f"/buyers/{market.buyer.pk}/targets", {"year": market.today.year, "canteen_purchases": "1000"})
    assert r.status_code == 200 and r.json()["share"] == "0.1000"
    [row] = county.get(f"{API}/buyers?year={market.today.year}").json()
    assert (row["target"], row["done"], row["met"]) == ("100.00", "60.00", False)
    assert api_for(w.t2).get(f"{API}/buyers").json() == []


def test_every_remaining_endpoint_hides_from_outsiders(market, api_for, client_for):
    """Reads answer 404 (or an empty list), writes answer 404 and leave every table as it was."""
    w, e, p = market.world, market.enterprise, market.product
    ev = services.sales_event_create(
        actor=None, enterprise=e, name="展销会", start=market.today, end=market.today, places=["马边"]
    )
    pending = services.certification_apply(actor=None, product=p, applied_on=market.today)
    order = services.order_place(actor=None, buyer=market.buyer, lines=[(p, Decimal("1"))])
    reads = [
        f"/enterprises/{e.pk}/sales",
        f"/enterprises/{e.pk}/households",
        f"/events/{ev.pk}",
        f"/orders/{order.pk}",
        f"/products/{p.pk}/production",
        f"/certifications/{pending.pk}",
    ]
    pages = [f"/market/events/{ev.pk}/", f"/market/orders/{order.pk}/", f"/market/products/{p.pk}/"]
    writes: list[tuple[str, dict[str, Any]]] = [
        (
            f"/enterprises/{e.pk}/counterparts",
            {"partner": "福建", "partner_province": "福建", "kind": "对口援藏", "start": "2019-01-01"},
        ),
        (f"/enterprises/{e.pk}/years", {"year": 2019, "output_value": "1", "revenue": "1", "profit": "1"}),
        (
            f"/enterprises/{e.pk}/products",
            {"name": "新品", "category": "粮油", "unit": "jin", "price": "1", "price_from": "2019-01-01"},
        ),
        (f"/enterprises/{e.pk}/events", {"name": "x", "start": "2019-01-01", "end": "2019-01-01", "places": ["a"]}),
        (f"/products/{p.pk}/certifications", {}),
        (f"/certifications/{pending.pk}/decision", {"decision": "certify", "on": str(market.today), "number": "X"}),
        (f"/buyers/{market.buyer.pk}/targets", {"year": 2025, "canteen_purchases": "100"}),
        ("/buyers", {"name": "食堂", "kind": "canteen", "area_code": w.area_t1.code}),
    ]
    tables = (CounterpartLink, EnterpriseYear, Product, SalesEvent, Certification, ProcurementTarget, Buyer)
    before = [m.objects.count() for m in tables]
    for outsider in (w.t2, w.gw2):
        api = api_for(outsider)
        for url in reads:
            assert api.get(API + url).status_code == 404, url
        for url in pages:
            assert client_for(outsider).get(url).status_code == 404, url
        assert api.get(API + "/orders").json() == [] and api.get(API + "/buyers").json() == []
        assert api.get(API + "/certifications").json() == []
        for url, body in writes:
            assert post(api, url, body).status_code in (403, 404), url
    assert [m.objects.count() for m in tables] == before
    Certification.objects.get(pk=pending.pk, state="applied")
    # The area's officer reads them all.
    for url in reads:
        assert api_for(w.t1).get(API + url).status_code == 200, url
    steps = [
        (w.t1, {"decision": "pass", "sector": "agriculture"}),
        (sector_officer("agri", w.area_county.code), {"decision": "pass"}),
        (w.county, {"decision": "certify", "on": str(market.today), "number": "BF-3"}),
    ]
    for user, body in steps:
        r = post(api_for(user), f"/certifications/{pending.pk}/decision", body)
    assert r.json()["state"] == "certified"
