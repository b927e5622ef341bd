"""In Debian's Chromium: the public catalogue on a phone, and an order walked through its states
by the buyer's side and the supplier, each clicking the buttons they are offered."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bangfu.market.models import Order, Product

PHONE = {"width": 360, "height": 740}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_catalogue_on_a_phone_without_login(market, browser_page) -> None:
    page = browser_page(None, viewport=PHONE)
    page.goto(page.base_url + "/market/catalogue/")
    card = page.locator("article.product").first
    assert "苦荞茶" in card.inner_text() and "20.00" in card.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_order_through_the_pages(market, browser_page) -> None:
    county = browser_page(market.world.county)
    county.goto(county.base_url + f"/market/orders/new/?enterprise={market.enterprise.pk}")
    county.fill(f"input[name=qty_{market.product.pk}]", "4")
    county.get_by_role("button", name="提交订单 Place order").click()
    county.wait_for_selector("#state")
    order = Order.objects.get()
    assert Product.objects.get(pk=market.product.pk).reserved == Decimal("4")

    owner = browser_page(market.owner, viewport=PHONE)
    for event in ("confirm", "ship"):
        owner.goto(owner.base_url + f"/market/orders/{order.pk}/")
        with owner.expect_navigation():
            owner.click(f"button[data-event={event}]")
    county.goto(county.base_url + f"/market/orders/{order.pk}/")
    county.fill("form:has(button[data-event=receive]) input[name=note]", "重量、包装抽检合格")
    # Each click posts and redirects: wait for that navigation, not for a message already shown.
    with county.expect_navigation():
        county.click("button[data-event=receive]")
    with county.expect_navigation():
        county.click("button[data-event=settle]")
    assert "已结算" in county.inner_text("#state")
    order.refresh_from_db()
    assert order.state == "settled" and order.inspection_note == "重量、包装抽检合格"
    p = Product.objects.get(pk=market.product.pk)
    assert (p.on_hand, p.reserved) == (Decimal("6"), Decimal("0"))
