"""The grid worker's visit form on a phone-sized screen, in Debian's Chromium."""

from __future__ import annotations

import pytest

from bangfu.casework.models import Visit

PHONE = {"width": 360, "height": 740}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_grid_worker_logs_a_visit_on_a_phone(world, params, browser_page) -> None:
    h = world.households["h1"]
    page = browser_page(world.gw1, viewport=PHONE)
    page.goto(page.base_url + "/cases/grid/mine/")
    page.locator(".hhlist a.button").first.click()  # 走访 (the English gloss is hidden on a phone)
    page.wait_for_selector("#visit-form")
    # the form fits the phone: no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_label("电话").check()
    page.get_by_label("上学").check()
    page.fill("textarea[name=note]", "长女考上大学，学费约1.9万元")
    page.get_by_label("报告风险（生成线索交乡镇受理）").check()
    page.get_by_role("button", name="保存走访").click()
    page.wait_for_url("**/cases/grid/mine/")
    feedback = page.locator("main").get_by_text("已记录").first.inner_text()
    assert "已提交风险线索#" in feedback  # says that a lead was opened and who takes it up
    visit = Visit.objects.get(household=h)
    assert visit.mode == "phone" and visit.checks == ["schooling"] and visit.lead is not None
