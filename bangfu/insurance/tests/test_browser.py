"""The insurer's path through a claim in Debian's Chromium: queue → claim → calculate, on PC and phone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from bangfu.insurance import services
from bangfu.insurance.models import Claim
from bangfu.insurance.tests.helpers import YEAR, scheme, submit

PHONE = {"width": 360, "height": 740}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_insurer_calculates_story_b_claim_and_county_reads_it_on_a_phone(world, browser_page) -> None:
    scheme(world.county, world.area_county.code)
    claim = submit(world.gw1, world.households["h1"].pk)
    services.claim_survey(
        actor=world.insurer,
        claim_id=claim.pk,
        surveyed_on=dt.date(YEAR, 2, 20),
        notes="属实",
        per_capita_income=D("6500"),
    )
    page = browser_page(world.insurer)
    page.goto(page.base_url + "/insurance/?status=surveyed")
    page.get_by_role("link", name=f"#{claim.pk}").click()
    page.get_by_role("button", name="理赔核算").click()
    page.wait_for_selector("#payout")
    assert page.inner_text("#payout") == "8,120.00"
    assert page.locator("tr.band").count() == 2
    assert Claim.objects.get(pk=claim.pk).status == "calculated"

    phone = browser_page(world.county, viewport=PHONE)
    phone.goto(phone.base_url + f"/insurance/claims/{claim.pk}/")
    assert phone.inner_text("#payout") == "8,120.00"
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
    assert phone.get_by_role("button", name="县级审批").is_visible()
