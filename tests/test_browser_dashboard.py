"""Browser: the county officer opens the dashboard, clicks a number, lands on the filtered list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bangfu.analytics import services
from bangfu.registry import services as registry


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_click_a_number_lands_on_the_matching_list(world, browser_page):
    since = timezone.localdate() - dt.timedelta(days=90)
    for key in ("h1", "h3"):
        registry.household_set_monitoring(
            household=world.households[key], monitoring_type="脱贫不稳定户", risk_codes=["因病"], since=since
        )
    services.indicators_refresh()
    page = browser_page(world.county)
    page.goto(page.base_url + "/")
    tile = page.locator('a.stat[data-key="monitored"]')
    assert tile.locator("b").inner_text() == "2"
    assert page.locator('script[src$="vendor/echarts-5.6.0.min.js"]').count() == 1  # self-hosted, no CDN
    tile.click()
    page.wait_for_url("**/registry/households/?flag=monitored*")
    body = page.content()
    assert world.households["h1"].number in body and world.households["h3"].number in body
    assert world.households["h2"].number not in body
    page.goto(page.base_url + "/?area=511133100000")  # drill down to the township
    assert page.locator('a.stat[data-key="monitored"] b').inner_text() == "1"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_claims_paid_figure_leads_to_the_paid_claims(world, browser_page):
    from bangfu.insurance import services as insurance
    from bangfu.insurance.tests.helpers import YEAR, scheme, submit, to_approved

    scheme(world.county, world.area_county.code)
    claim = to_approved(world, submit(world.gw1, world.households["h1"].pk))
    insurance.claim_pay(actor=world.insurer, claim_id=claim.pk, reference="TB1", paid_on=dt.date(YEAR, 4, 3))
    services.indicators_refresh(as_of=dt.date(YEAR, 6, 30))
    page = browser_page(world.county)
    page.set_viewport_size({"width": 360, "height": 740})  # a cheap phone
    page.goto(page.base_url + "/")
    tile = page.locator('a.stat[data-key="claims.paid_count"]')
    assert tile.locator("b").inner_text() == "1"
    assert page.locator('a.stat[data-key="claims.paid"] b').inner_text() == "8,120.00元"
    tile.click()
    page.wait_for_url("**/insurance/?status=paid*")
    assert f"#{claim.pk}" in page.content()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "viewport", [{"width": 1440, "height": 900}, {"width": 360, "height": 740}], ids=["1440x900", "360x740"]
)
def test_a_village_tile_opens_a_list_of_that_villages_rows_only(world, browser_page, viewport):
    """Done-when of #16: from a VILLAGE's dashboard a tile opens the list of that village's rows only (the
    area kept as a removable filter), at desktop and phone width."""
    since = timezone.localdate() - dt.timedelta(days=90)
    for key in ("h1", "h2", "h3"):  # h1, h2 in village V1a; h3 in V2a (another township)
        registry.household_set_monitoring(
            household=world.households[key], monitoring_type="脱贫不稳定户", risk_codes=["因病"], since=since
        )
    services.indicators_refresh()
    page = browser_page(world.county, viewport=viewport)
    page.goto(page.base_url + f"/?area={world.v1a.code}")  # the village's own dashboard
    tile = page.locator('a.stat[data-key="monitored"]')
    assert tile.locator("b").inner_text() == "2"
    tile.scroll_into_view_if_needed()
    tile.click()
    page.wait_for_url("**/registry/households/?*")
    assert world.v1a.code in page.url
    rows = page.inner_text("#rows")
    assert world.households["h1"].number in rows and world.households["h2"].number in rows
    assert world.households["h3"].number not in rows  # another village's row is not on the village's list
    assert world.v1a.name in page.inner_text(".chips")  # the village shown as a removable filter
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
