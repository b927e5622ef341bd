"""The grid worker's phone offline (issue #15, docs/offline.md), in Debian's Chromium on a 360×740 touch
screen: the service worker installs from our own static files, kept pages open without a connection,
visits and a risk report logged offline reach the server exactly once, and a conflict is explained."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest

from bangfu.core.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": True, "locale": "zh-CN"}


@pytest.fixture
def phone(_browser, live_server):
    """phone(user) → a Playwright page in a phone-sized touch context, signed in, its service worker
    installed and controlling the page; page.requests lists every URL the browser asked for."""
    contexts = []

    def make(user: Any) -> Any:
        ctx = _browser.new_context(**PHONE)
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(20000)
        page.base_url = live_server.url  # type: ignore[attr-defined]
        page.requests = []  # type: ignore[attr-defined]
        ctx.on("request", lambda r: page.requests.append(r.url))
        page.goto(live_server.url + "/accounts/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        return page

    yield make
    for ctx in contexts:
        ctx.close()


def test_service_worker_keeps_visited_pages_for_offline_and_loads_nothing_from_elsewhere(world, phone) -> None:
    h1 = world.households["h1"]
    page = phone(world.gw1)
    page.goto(page.base_url + "/cases/grid/mine/")
    page.goto(page.base_url + f"/cases/grid/visit/{h1.pk}/")
    page.wait_for_selector("#visit-form")
    page.context.set_offline(True)
    page.goto(page.base_url + "/cases/grid/mine/")  # from the service worker's cache
    assert h1.head_name in page.inner_text("main")
    page.wait_for_selector(".badge-offline")
    page.goto(page.base_url + f"/registry/households/{world.households['h1'].pk}/")  # never opened: the offline page
    assert "没有网络" in page.inner_text("h1")
    page.context.set_offline(False)
    origin = urlparse(page.base_url).netloc
    elsewhere = [u for u in page.requests if urlparse(u).scheme in ("http", "https") and urlparse(u).netloc != origin]
    assert elsewhere == []
    workbox = [u for u in page.requests if "workbox-" in u]
    assert workbox and all("/static/vendor/workbox-7.4.1/" in u for u in workbox)
