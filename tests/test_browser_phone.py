"""Browser, 360×740 touch phone: 周景财 (demo grid worker) opens his task home, sees his due visits and
warnings, and logs a visit in at most 5 taps from the home, with feedback that says what it counted
towards (issue #15). The demo county is loaded small (90 households in 甘南)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.casework import selectors as casework
from bangfu.casework.models import Visit
from bangfu.monitoring import services as monitoring
from bangfu.monitoring.models import Warning
from bangfu.monitoring.tests.helpers import feed_row
from bangfu.registry.models import Household

PHONE = {"width": 360, "height": 740}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_zhoujingcai_task_home_and_a_visit_in_five_taps(_browser, live_server) -> None:
    call_command("demo", households=90, stdout=open("/dev/null", "w"))  # noqa: SIM115
    zhou = User.objects.get(username="zhoujingcai")
    today = timezone.localdate()
    if not Warning.objects.filter(assigned_to__isnull=True, status="open", grid_id__in=zhou.grids.all()).exists():
        # the small demo may draw no hospital bill in his grid: a flood on one of his households does
        h = Household.objects.filter(grid__worker=zhou).exclude(pk__in=Warning.objects.values("household_id")).first()
        feed_row(h, "disaster", "25000", today)
        assert monitoring.screen_household(household_id=h.pk, as_of=today)
    ctx = _browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, device_scale_factor=2, locale="zh-CN")
    page = ctx.new_page()
    page.set_default_timeout(20000)
    problems: list[str] = []
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and "favicon" not in (m.location or {}).get("url", "")
            else None
        ),
    )
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "zhoujingcai")
    page.fill("input[name=password]", settings.BANGFU_DEMO_PASSWORD)
    page.tap("button[type=submit]")
    page.wait_for_selector("#tasks")

    # his work, in order of urgency: warnings to verify, then the visits due with their reasons
    sections = page.eval_on_selector_all(".task-group", "els => els.map(e => e.id)")
    assert sections[:2] == ["task-warnings", "task-visits"], sections
    assert page.locator("#task-warnings .task").count() >= 1
    due = page.locator("#task-visits .task")
    assert due.count() >= 1
    assert "次" in due.first.locator(".task-why").inner_text()  # the reason it is due
    # a phone screen: no sideways scrolling, a compact header, the bottom tab bar, 44 px targets
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    header = page.locator("header.top").bounding_box()
    assert header is not None and header["height"] <= 60
    assert not page.locator("header .nav").is_visible()
    tabs = page.locator("nav.tabbar a")
    assert tabs.all_inner_texts() == ["任务", "农户", "走访", "我的"]
    for box in [tabs.nth(i).bounding_box() for i in range(4)] + [due.first.locator(".task-main").bounding_box()]:
        assert box is not None and box["height"] >= 44
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "15px"  # readable without zoom
    assert page.locator("script[src*=echarts]").count() == 0

    # a visit by phone: tap the task (1), tap 电话 (2), tap 保存走访 (3)
    before = Visit.objects.filter(worker=zhou).count()
    taps = 0
    due.first.locator(".task-main").tap()
    taps += 1
    page.wait_for_selector("#visit-form")
    household_id = int(page.url.split("/cases/grid/visit/")[1].split("/")[0])
    page.locator("input[name=mode][value=phone]").tap()
    taps += 1
    page.locator("#visit-form button.primary").tap()
    taps += 1
    page.wait_for_selector("#tasks")
    assert taps <= 5
    assert Visit.objects.filter(worker=zhou).count() == before + 1
    # the answer is shown by the sync bar (the offline client sends the form with its Idempotency-Key)
    message = page.locator("main").get_by_text("已记录对").first.inner_text()
    due_now = casework.household_due(casework.household_for_visit(zhou, household_id), timezone.localdate())
    assert "已记录对" in message
    if due_now.obligation and not due_now.obligation.phone_counts:
        assert "电话走访不计入" in message and "还需" in message  # says why, not just 还需1次
    else:
        assert "计入" in message

    # his warnings list: the rows come first; the filters (none of them a one-grid choice) fold away
    page.goto(live_server.url + "/monitoring/")
    page.wait_for_selector("table")
    assert page.locator("details.list-filters").count() == 1
    assert not page.locator("details.list-filters select").first.is_visible()
    assert page.locator("select[name=grid], select[name=area]").count() == 0  # his one grid, no choice
    first_row = page.locator("tbody tr").first.bounding_box()
    assert first_row is not None and first_row["y"] < PHONE["height"], first_row  # on the first screen
    page.locator("details.list-filters > summary").tap()
    assert page.locator("select[name=status]").is_visible()
    assert problems == []  # no CSP violation, no script error
    ctx.close()

    wide = _browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    desk = wide.new_page()
    desk.goto(live_server.url + "/accounts/login/")
    desk.fill("input[name=username]", "gannan_admin")
    desk.fill("input[name=password]", settings.BANGFU_DEMO_PASSWORD)
    desk.click("button[type=submit]")
    desk.goto(live_server.url + "/monitoring/")
    assert desk.locator("select[name=status]").is_visible()  # a wide screen shows the filters unfolded
    assert desk.locator("select[name=area]").is_visible()  # a county has villages to choose from
    assert not desk.locator("details.list-filters > summary").is_visible()
    wide.close()
