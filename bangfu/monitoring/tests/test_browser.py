"""The grid worker's warning list and a warning on a cheap phone's screen (Playwright, Debian chromium)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from bangfu.monitoring import services
from bangfu.monitoring.tests.helpers import feed_row, rules_in_force


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_grid_worker_verifies_warning_on_phone(world, browser_page) -> None:
    rules_in_force(world)
    h = world.households["h1"]
    feed_row(h, "disaster", "25000", timezone.localdate())
    (w,) = services.screen_household(household_id=h.pk, as_of=timezone.localdate())
    services.warning_transition(actor=world.t1, warning=w, event="assign")
    page = browser_page(world.gw1, viewport={"width": 360, "height": 640})
    page.goto(page.base_url + "/monitoring/")
    assert "灾害损失 25,000 元，高于阈值 10,000 元" in page.content()
    page.click(f"a[href='/monitoring/warnings/{w.pk}/']")
    page.fill("textarea[name=reason]", "入户核实：房屋受损")
    with page.expect_navigation():  # the form posts and redirects back to the warning
        page.click("button[value=verify]")
    assert "已核实" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1  # no sideways scrolling
