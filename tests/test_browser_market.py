"""Market forms in Debian's Chromium on a phone-sized screen: the county links a household by ID number
(a wrong number is reported next to its field), the enterprise reports its yearly figures, and the
enterprise page draws its sales charts from the self-hosted ECharts file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bangfu.market import services
from bangfu.market.models import EnterpriseYear, HouseholdLink
from bangfu.market.tests.conftest import market  # noqa: F401  (the market fixture, shared with the app's tests)
from bangfu.registry import selectors as registry

PHONE = {"width": 360, "height": 740}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_county_links_a_household_on_a_phone(market, browser_page) -> None:  # noqa: F811
    w, e = market.world, market.enterprise
    h1 = w.households["h1"]
    page = browser_page(w.county, viewport=PHONE)
    page.goto(page.base_url + f"/market/enterprises/{e.pk}/")
    page.click("#officer-actions >> text=登记联结农户")
    page.fill("input[name=id_number]", "511133196001010000")
    page.select_option("select[name=kind]", "employment")
    page.click("button[type=submit]")
    assert "未找到该身份证号" in page.inner_text("#field-id_number")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.fill("input[name=id_number]", registry.member_full_id(w.county, h1.members.first()))
    page.click("button[type=submit]")
    page.wait_for_selector("#households")
    assert HouseholdLink.objects.get().household_id == h1.pk
    assert h1.head_name in page.inner_text("#households")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_enterprise_reports_figures_and_sees_charts(market, browser_page) -> None:  # noqa: F811
    e, p = market.enterprise, market.product
    for channel, amount, kw in (("counter", "400", {}), ("livestream", "900", {"platform": "抖音"})):
        services.sale_record(
            actor=None,
            product=p,
            day=dt.date(2019, 11, 11),
            channel=channel,
            quantity=Decimal(1),
            amount=Decimal(amount),
            from_stock=False,
            **kw,
        )
    page = browser_page(market.owner, viewport=PHONE)
    page.goto(page.base_url + f"/market/enterprises/{e.pk}/years/new/")
    page.fill("input[name=year]", "2019")
    page.fill("input[name=output_value]", "6200000")
    page.fill("input[name=revenue]", "6000000")
    page.fill("input[name=profit]", "1600000")
    page.click("button[type=submit]")
    page.wait_for_selector("#figures tr[data-year='2019']")
    assert "6,200,000.00" in page.inner_text("#figures")
    assert EnterpriseYear.objects.get(enterprise=e, year=2019).profit == Decimal("1600000")
    page.wait_for_selector("#chart-channel svg")
    assert "直播带货" in page.inner_html("#chart-channel svg")  # the channel axis is drawn from the data
    assert page.locator("#chart-month svg").count() == 1
