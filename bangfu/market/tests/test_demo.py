"""Story C through the demo loader, checked on the real pages and API.

Until the demo base is loaded, the test builds the few objects load() needs under the documented
ctx keys (areas "luolong", "luolong_town", user "luolong_company", extra "C_linked")."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from bangfu.accounts import services as accounts
from bangfu.accounts.domain.roles import Role
from bangfu.areas import services as areas
from bangfu.demo.context import DemoContext
from bangfu.market import demo
from bangfu.market.models import Enterprise, Payment
from bangfu.registry.models import IncomeStatement
from bangfu.testing import PASSWORD, new_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(db):
    areas.area_create(code="540000000000", name="西藏自治区", parent_code=None)
    areas.area_create(code="540300000000", name="昌都市", parent_code="540000000000")
    county = areas.area_create(code="540329000000", name="洛隆县", parent_code="540300000000")
    town = areas.area_create(code="540329100000", name="孜托镇", parent_code=county.code)
    village = areas.area_create(code="540329100201", name="孜托村", parent_code=town.code)
    admin = accounts.user_create(username="luolong_admin", password=PASSWORD)
    accounts.membership_grant(user=admin, role=Role.COUNTY_ADMIN, area_code=county.code)
    company = accounts.user_create(username="luolong_company", password=PASSWORD, display_name="泽仁顿珠")
    accounts.membership_grant(user=company, role=Role.ENTERPRISE, area_code=county.code, organisation="洛宗公司")
    linked = [new_household(village, None, members=3, number=f"54032910020100{i:02d}") for i in range(35)]
    ctx = DemoContext(
        today=timezone.localdate(),
        rng=random.Random(20201201),
        areas={"luolong": county, "luolong_town": town},
        users={"luolong_admin": admin, "luolong_company": company},
        households={"C_sangding": linked[0]},
        extra={"C_linked": linked},
    )
    demo.load(ctx)
    return ctx


def test_story_c_on_the_enterprise_page(story, client_for):
    e = Enterprise.objects.get(name="洛隆县洛宗特色产品开发公司")
    for user in (story.users["luolong_admin"], story.users["luolong_company"]):
        r = client_for(user).get(f"/market/enterprises/{e.pk}/")
        assert r.status_code == 200
        html = r.content.decode()
        assert "泽仁顿珠" in html and "福建省援藏工作队" in html
        assert "6,230,000.00" in html and "1,620,000.00" in html  # 2019 output value and profit
        assert html.count('class="beneficiary"') == 35
    api = client_for(story.users["luolong_admin"])
    detail = api.get(f"/api/v1/market/enterprises/{e.pk}").json()
    assert [p["name"] for p in detail["products"]] == sorted([*demo.PRODUCTS, *demo.APPLICATIONS])
    prices = {p["name"]: Decimal(p["price"]) for p in detail["products"] if p["name"] in demo.PRODUCTS}
    assert prices["炒青稞"] == Decimal("19.80") and all(Decimal(15) <= v <= Decimal(26) for v in prices.values())
    assert [p["name"] for p in detail["products"] if p["certified"]] == sorted(demo.PRODUCTS)
    y2019 = next(y for y in detail["years"] if y["year"] == 2019)
    assert Decimal(y2019["output_value"]) > Decimal("6200000") and Decimal(y2019["profit"]) > Decimal("1600000")


def test_story_c_output_fair_and_households(story, client_for):
    api = client_for(story.users["luolong_admin"])
    e = Enterprise.objects.get(credit_code=demo.CREDIT_CODE)
    zanba = e.products.get(name="水磨糌粑")
    prod = api.get(f"/api/v1/market/products/{zanba.pk}/production").json()
    assert Decimal(prod["average"]) > Decimal("5000") and len(prod["records"]) == 30
    sales = api.get(f"/api/v1/market/enterprises/{e.pk}/sales?year=2019").json()
    [fair] = [ev for ev in sales["events"] if "双十一" in ev["name"]]
    t = api.get(f"/api/v1/market/events/{fair['id']}").json()
    assert set(t["places"]) == {"洛隆", "昌都", "拉萨", "成都"}
    assert Decimal(t["total"]) == Decimal("257400.00") > Decimal("250000")
    assert Decimal(t["online"]) + Decimal(t["offline"]) == Decimal(t["total"]) and Decimal(t["online"]) > 0
    assert {"展销会", "网店", "专柜门店"} <= set(sales["by_channel"])
    for h in story.extra["C_linked"]:
        st = IncomeStatement.objects.get(household=h, year=2019)
        paid = sum(Payment.objects.filter(household=h, year=2019).values_list("amount", flat=True))
        assert st.net_income > Decimal("30000") and st.net_income == paid
    rows = api.get(f"/api/v1/market/enterprises/{e.pk}/households?year=2019").json()
    assert len(rows) == 35 and all(Decimal(r["total"]) > Decimal("30000") for r in rows)


def test_story_c_catalogue_buyers_and_orders(story, client_for):
    names = {row["name"] for row in Client().get("/api/v1/market/catalogue?county=540329").json()}
    assert names == set(demo.PRODUCTS)
    api = client_for(story.users["luolong_admin"])
    buyers = {b["name"]: b for b in api.get("/api/v1/market/buyers").json()}
    canteen = buyers["洛隆县机关事务服务中心食堂"]
    assert Decimal(canteen["target"]) == Decimal("120000.00") and Decimal(canteen["done"]) > 0
    assert buyers["洛隆县总工会"]["target"] is None
    states = sorted(o["state"] for o in api.get("/api/v1/market/orders").json())
    assert states == ["placed", "settled", "settled", "shipped"]


def test_story_c_2019_certification_steps_carry_2019_dates(story, client_for):
    """The demo loads today, but the first certification of 2019 shows the days it was taken."""
    from bangfu.market.models import Certification, Product

    p = Product.objects.get(name="水磨糌粑")
    first = Certification.objects.filter(product=p).order_by("applied_on")[0]
    days = [ev.on for ev in first.events.all()]
    assert days == [dt.date(2019, 2, 20), dt.date(2019, 3, 1), dt.date(2019, 3, 1), dt.date(2019, 3, 1)]
    html = client_for(story.users["luolong_admin"]).get(f"/market/products/{p.pk}/").content.decode()
    assert "2019-02-20 · " in html and "2019-03-01 · " in html
    api = client_for(story.users["luolong_admin"]).get(f"/api/v1/market/certifications/{first.pk}").json()
    assert [s["on"] for s in api["steps"]] == ["2019-02-20", "2019-03-01", "2019-03-01", "2019-03-01"]
