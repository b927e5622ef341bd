"""The enterprise user enters a month's piece count on the payroll page (one grid, one save) and sees the
computed pay; the household's income statement shows it (Debian chromium, a phone-sized screen)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from bangfu.employment import selectors
from bangfu.employment.tests.conftest import Story, hire, story  # noqa: F401  (the story fixture)
from bangfu.registry import selectors as registry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_enterprise_enters_pieces_and_the_pay_reaches_the_household(story: Story, browser_page: Any) -> None:  # noqa: F811
    world = story.world
    jishi = registry.members_of(world.county, story.a.pk)[0]
    contract = hire(world.t1, story, jishi, start="2024-10-01")  # probation Oct–Dec, the rule from January
    page = browser_page(story.enterprise, viewport={"width": 360, "height": 740})
    page.goto(page.base_url + reverse("employment:workshop_detail", args=[story.workshop.pk]))
    assert page.locator("#funding").count() == 0  # the officers' sections are not the enterprise's
    page.click("#payroll-summary a.primary")
    page.goto(page.url.split("?")[0] + "?month=2025-01")
    row = page.locator(f"#payroll tr[data-contract='{contract.pk}']")
    assert jishi.name in row.inner_text() and jishi.masked in row.inner_text()
    row.locator(f"input[name=days_worked-{contract.pk}]").fill("26")
    row.locator(f"input[name=pieces-{contract.pk}]").fill("600")
    page.click("#grid button.primary")
    page.wait_for_selector(".msg")
    assert "3,000.00" in page.inner_text(".msg")
    gross = page.locator(f"#payroll tr[data-contract='{contract.pk}'] a.gross")
    assert gross.inner_text() == "3,000.00"  # 1,200 base + 600 × 3.00
    gross.click()
    page.wait_for_selector("#gross")
    assert page.inner_text("#gross") == "3,000.00"
    assert selectors.payslips_of(world.t1, contract.pk).get().gross == Decimal("3000.00")

    officer = browser_page(world.t1)
    officer.goto(officer.base_url + reverse("registry:household_detail", args=[story.a.pk]))
    income = officer.locator("h2:has-text('收入') + .table-wrap").inner_text()
    assert "2025" in income and "3,000.00" in income
    # the recognition conditions keep their width beside the figures (they wrapped two characters a line)
    officer.goto(officer.base_url + reverse("employment:workshop_detail", args=[story.workshop.pk]))
    widths = officer.eval_on_selector(
        "ul.checks",
        "u => [u.getBoundingClientRect().width, u.querySelector('.check-what').getBoundingClientRect().width]",
    )
    assert widths[1] >= 0.5 * widths[0], widths
