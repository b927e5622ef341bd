"""The public catalogue a buyer can use (UX review P12) and buyer self-service orders.

- The catalogue searches and filters by category, marks an out-of-stock product 缺货, and offers the
  order button only to someone who may order (a buyer's own account, or a market officer).
- A buyer's own account (enterprise_user membership naming the unit's 统一社会信用代码) orders for its
  unit and for no other; the supplier confirms; other counties see nothing.
- Without a buyer to order for, the order form says so with the way to register one, and a post keeps
  the quantities typed (review l12).
- The small forms of the product and certification pages show a problem beside its field and keep what
  was typed; irreversible steps ask for confirmation (data-confirm).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from bangfu.accounts.domain.roles import Role
from bangfu.areas import services as areas
from bangfu.core.domain.credit_code import make
from bangfu.market import selectors, services
from bangfu.market.models import Order, PriceRecord, Product
from bangfu.market.tests.conftest import certify, new_product
from bangfu.testing import account

pytestmark = pytest.mark.django_db
SCHOOL = make("12", "511133", "MB1C0L4Y2")


@pytest.fixture
def school(market: Any) -> Any:
    """A school canteen with its own buyer account, in the test county."""
    county = market.world.area_county.code
    buyer = services.buyer_create(
        actor=None, name="马边县中学食堂", kind="canteen", area_code=county, credit_code=SCHOOL
    )
    return buyer, account("school_buyer", Role.ENTERPRISE, county, SCHOOL)


@pytest.fixture
def far_admin(market: Any) -> Any:
    other = areas.area_create(code="511134000000", name="另一县", parent_code="511100000000")
    return account("far_admin", Role.COUNTY_ADMIN, other.code)


def _second_product(market: Any, name: str, category: str, stock: str) -> Product:
    p = new_product(market.enterprise, name, category, Decimal("12.00"), market.today)
    if Decimal(stock):
        services.production_record(actor=None, product=p, day=market.today, quantity=Decimal(stock))
    certify(p, market.today, f"BF-{name}")
    return p


def test_catalogue_searches_filters_and_marks_out_of_stock(market):
    _second_product(market, "米汉堡", "糕点", "0")
    _second_product(market, "青稞挂面", "粮油", "40")
    html = Client().get("/market/catalogue/").content.decode()
    assert "苦荞茶" in html and "米汉堡" in html and "青稞挂面" in html
    card = re.search(r'<article class="card product soldout"[^>]*>.*?</article>', html, re.S)
    assert card and "米汉堡" in card.group(0) and "缺货" in card.group(0)
    assert '<option value="糕点"' in html and '<option value="粮油"' in html
    html = Client().get("/market/catalogue/", {"category": "粮油"}).content.decode()
    assert "青稞挂面" in html and "苦荞茶" not in html and "米汉堡" not in html
    html = Client().get("/market/catalogue/", {"q": "雪口山"}).content.decode()  # the producer's name
    assert "苦荞茶" in html and "青稞挂面" in html
    html = Client().get("/market/catalogue/", {"q": "挂面"}).content.decode()
    assert "青稞挂面" in html and "苦荞茶" not in html


def test_catalogue_order_button_only_for_who_may_order(market, school, client_for):
    order_link = f"/market/orders/new/?enterprise={market.enterprise.pk}"
    anonymous = Client().get("/market/catalogue/").content.decode()
    assert order_link not in anonymous and 'id="how-to-order"' in anonymous
    assert order_link in client_for(school[1]).get("/market/catalogue/").content.decode()
    assert order_link in client_for(market.world.county).get("/market/catalogue/").content.decode()
    assert order_link not in client_for(market.owner).get("/market/catalogue/").content.decode()


def test_buyer_account_orders_for_its_own_unit_and_the_supplier_confirms(market, school, client_for):
    buyer, account = school
    p = market.product
    c = client_for(account)
    page = c.get(f"/market/orders/new/?enterprise={market.enterprise.pk}").content.decode()
    assert "马边县中学食堂" in page and "马边县机关食堂" not in page  # only its own unit is offered
    r = c.post(
        "/market/orders/new/", {"enterprise": market.enterprise.pk, "buyer": market.buyer.pk, f"qty_{p.pk}": "2"}
    )
    assert r.status_code == 422 and not Order.objects.exists()  # not its unit: refused beside the field
    r = c.post("/market/orders/new/", {"enterprise": market.enterprise.pk, "buyer": buyer.pk, f"qty_{p.pk}": "2"})
    order = Order.objects.get()
    assert r.status_code == 302 and order.buyer == buyer and order.state == "placed"
    assert Product.objects.get(pk=p.pk).reserved == Decimal("2")
    assert c.get(f"/market/orders/{order.pk}/").status_code == 200
    assert order.number in c.get("/market/orders/").content.decode()
    client_for(market.owner).post(f"/market/orders/{order.pk}/move/", {"event": "confirm"})
    assert Order.objects.get().state == "confirmed"
    # the buyer may cancel its own order, with a reason
    c.post(f"/market/orders/{order.pk}/move/", {"event": "cancel", "note": "改期采购"})
    assert Order.objects.get().state == "cancelled" and Product.objects.get(pk=p.pk).reserved == 0


def test_buyer_account_reaches_nothing_else(market, school, client_for, far_admin):
    buyer, account = school
    p = market.product
    order = services.order_place(actor=None, buyer=market.buyer, lines=[(p, Decimal("1"))])
    c = client_for(account)
    assert c.get(f"/market/orders/{order.pk}/").status_code == 404  # another unit's order
    assert c.post(f"/market/orders/{order.pk}/move/", {"event": "cancel", "note": "x"}).status_code in (403, 404)
    assert c.get(f"/market/enterprises/{market.enterprise.pk}/").status_code == 404
    assert list(selectors.buyers_orderable(account)) == [buyer]
    assert selectors.buyers_orderable(far_admin) == [] and selectors.own_buyers(far_admin).count() == 0
    assert client_for(far_admin).get(f"/market/orders/{order.pk}/").status_code == 404
    assert Order.objects.get(pk=order.pk).state == "placed"


def test_order_form_without_a_buyer_says_so_and_keeps_the_quantities(market, far_admin, client_for):
    p = market.product
    c = client_for(far_admin)
    page = c.get(f"/market/orders/new/?enterprise={market.enterprise.pk}").content.decode()
    assert "本辖区没有采购单位，请先登记" in page and 'href="/market/buyers/new/"' in page
    r = c.post("/market/orders/new/", {"enterprise": market.enterprise.pk, f"qty_{p.pk}": "7", "note": "周五送"})
    html = r.content.decode()
    assert r.status_code == 422 and "本辖区没有采购单位，请先登记" in html
    assert f'name="qty_{p.pk}" value="7"' in html and 'value="周五送"' in html
    assert not Order.objects.exists() and Product.objects.get(pk=p.pk).reserved == 0


def test_order_form_bad_quantity_beside_its_row(market, client_for):
    p = market.product
    r = client_for(market.world.county).post(
        "/market/orders/new/", {"enterprise": market.enterprise.pk, "buyer": market.buyer.pk, f"qty_{p.pk}": "abc"}
    )
    html = r.content.decode()
    row = re.search(rf'<tr id="qty-{p.pk}">.*?</tr>', html, re.S)
    assert r.status_code == 422 and row and "苦荞茶应为数字" in row.group(0) and 'value="abc"' in row.group(0)
    assert not Order.objects.exists()


def test_price_form_problem_beside_its_field_and_typed_kept(market, client_for):
    p = market.product
    r = client_for(market.owner).post(
        f"/market/products/{p.pk}/prices/", {"price": "abc", "effective_from": str(market.today), "note": "调价说明"}
    )
    html = r.content.decode()
    assert r.status_code == 422 and PriceRecord.objects.filter(product=p).count() == 1
    price_form = re.search(r'<section class="card" id="price">.*?</section>', html, re.S)
    assert price_form and "单价应为数字" in price_form.group(0) and 'value="abc"' in price_form.group(0)
    assert 'value="调价说明"' in price_form.group(0)


def test_certification_step_without_reason_shown_beside_the_field(market, client_for):
    p = new_product(market.enterprise, "花椒", "调味品", Decimal("60"), market.today)
    c = services.certification_apply(actor=None, product=p, applied_on=market.today)
    r = client_for(market.world.t1).post(f"/market/certifications/{c.pk}/decide/", {"decision": "return", "note": ""})
    assert r.status_code == 422 and "请填写原因" in r.content.decode()
    c.refresh_from_db()
    assert c.state == "applied"


def test_irreversible_steps_ask_for_confirmation(market, client_for):
    order = services.order_place(actor=None, buyer=market.buyer, lines=[(market.product, Decimal("1"))])
    html = client_for(market.owner).get(f"/market/orders/{order.pk}/").content.decode()
    forms = re.findall(rf'<form[^>]*action="/market/orders/{order.pk}/move/"[^>]*>', html)
    assert len(forms) == 2 and all("data-confirm=" in f for f in forms)  # confirm, cancel
    asked = re.search(r'data-confirm="([^"]*)"', html)
    assert asked and order.number in asked.group(1)


def test_enterprise_user_lands_on_their_company(market, client_for):
    assert selectors.own_enterprise(market.owner) == market.enterprise
    assert selectors.own_enterprise(market.world.county) is None
    r = client_for(market.owner).get("/market/")
    assert r.status_code == 302 and r["Location"] == f"/market/enterprises/{market.enterprise.pk}/"
    assert client_for(market.world.county).get("/market/").status_code == 200


def test_order_list_keeps_the_area_and_searches_filters_sorts_and_pages(market, client_for):
    w, p = market.world, market.product
    yesterday = market.today - dt.timedelta(days=1)
    services.production_record(actor=None, product=p, day=yesterday, quantity=Decimal("100"))
    t2_buyer = services.buyer_create(actor=None, name="民建镇中心校食堂", kind="canteen", area_code=w.area_t2.code)
    t2_order = services.order_place(actor=None, buyer=t2_buyer, lines=[(p, Decimal("1"))])
    for _ in range(50):
        services.order_place(actor=None, buyer=market.buyer, lines=[(p, Decimal("0.5"))])
    county = client_for(w.county)
    html = county.get("/market/orders/").content.decode()
    assert "共 51 条" in html and 'href="/market/orders/?page=2"' in html
    html = county.get("/market/orders/", {"area": w.area_t2.code}).content.decode()
    assert "共 1 条" in html and t2_order.number in html and 'class="chip"' in html
    html = county.get("/market/orders/", {"q": t2_order.number}).content.decode()
    assert "共 1 条" in html and t2_order.number in html
    services.order_transition(actor=None, order=t2_order, event="confirm")
    html = county.get("/market/orders/", {"state": "confirmed", "sort": "-total"}).content.decode()
    assert "共 1 条" in html and t2_order.number in html
    assert county.get("/market/orders/", {"state": "certified"}).status_code == 400  # not an order state
    t2 = client_for(w.t2)
    assert t2.get("/market/orders/", {"area": w.area_t1.code}).status_code == 404  # another township
    html = t2.get("/market/orders/").content.decode()
    assert "共 1 条" in html and t2_order.number in html  # the order of its own buyer only
