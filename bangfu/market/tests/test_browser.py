"""In Debian's Chromium: the public catalogue on a phone and on desktops (no card's content spills out
of its card, review ux05), and an order walked through its states by the buyer's side and the
supplier, each clicking the buttons they are offered and confirming the step."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bangfu.core.domain.credit_code import make
from bangfu.market import services
from bangfu.market.models import Order, Product
from bangfu.market.tests.conftest import certify, new_product

PHONE = {"width": 360, "height": 740}
# Every element of a card inside the card's box (half a pixel for rounding), and nothing scrolled inside.
SPILLS = """() => [...document.querySelectorAll('article.product')].flatMap(card => {
  const box = card.getBoundingClientRect();
  const out = [...card.querySelectorAll('*')].filter(el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && (r.right > box.right + 0.5 || r.left < box.left - 0.5);
  }).map(el => card.dataset.product + ' ' + el.tagName + '.' + el.className);
  return card.scrollWidth > card.clientWidth ? out.concat([card.dataset.product + ' scrolls']) : out;
})"""


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
def test_catalogue_cards_keep_their_content_at_every_width(market, browser_page) -> None:
    """A long producer name and certificate number wrap inside the card at 1440, 1024 and 360 pixels."""
    long = services.enterprise_create(
        actor=None,
        name="马边彝族自治县雪口山乡羊店儿村高山生态苦荞茶种植加工农民专业合作社联合社",
        kind="cooperative",
        credit_code=make("93", "511133", "MA6XYW009"),
        area_code=market.world.v1a.code,
        leader="阿说",
    )
    p = new_product(long, "高山苦荞茶礼盒装特级", "茶叶", Decimal("88.00"), market.today)
    certify(p, market.today, "MBXRZ-2026-XKS-TS-000000123456")
    for width in (1440, 1024, 360):
        page = browser_page(None, viewport={"width": width, "height": 900})
        page.goto(page.base_url + "/market/catalogue/")
        assert page.locator("article.product").count() == 2
        assert page.evaluate(SPILLS) == [], width
        assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_order_through_the_pages(market, browser_page) -> None:
    county = browser_page(market.world.county)
    county.on("dialog", lambda d: d.accept())  # each irreversible step asks first (data-confirm)
    county.goto(county.base_url + f"/market/orders/new/?enterprise={market.enterprise.pk}")
    county.fill(f"input[name=qty_{market.product.pk}]", "4")
    county.get_by_role("button", name="提交订单").click()
    county.wait_for_selector("#state")
    order = Order.objects.get()
    assert Product.objects.get(pk=market.product.pk).reserved == Decimal("4")

    owner = browser_page(market.owner, viewport=PHONE)
    owner.on("dialog", lambda d: d.accept())
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
