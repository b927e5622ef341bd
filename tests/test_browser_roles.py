"""Browser, every demo role at 1440×900 and at 360×740 (touch phone): the home page and every page of the
role's navigation (issue #16, the review's checks). For each page:

- it answers (no 4xx/5xx) and logs no console error (a CSP violation, a script error, a missing file);
- nothing overflows sideways: document.documentElement.scrollWidth <= the viewport (a wide table may
  scroll inside its .table-wrap);
- the navigation has at most seven top entries, and the current one is marked (aria-current);
- below the home page, breadcrumbs;
- no inline English gloss (`.en`) in the Chinese interface;
- the favicon (the page's icon and /favicon.ico) answers 200.

One browser context per role and size. The failure lists every page and problem ("gannan_admin 360
/monitoring/: overflows (412 px > 360)"), so what remains is visible at a glance.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command

from bangfu.demo.base import demo_logins

SIZES: dict[str, dict[str, Any]] = {
    "1440": {"viewport": {"width": 1440, "height": 900}},
    "360": {"viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2},
}
TOP_ENTRIES = 7
PAGE_STATE = """() => ({
  width: window.innerWidth,
  scroll: document.documentElement.scrollWidth,
  top: document.querySelectorAll('#nav > .nav-top').length,
  current: document.querySelectorAll('#nav [aria-current]').length,
  crumbs: document.querySelectorAll('nav.crumbs li').length,
  glosses: document.querySelectorAll('.en').length,
  icon: (document.querySelector('link[rel=icon]') || {}).href || '',
})"""


def _nav_paths(page: Any) -> list[str]:
    hrefs = page.eval_on_selector_all("#nav a[href]", "els => els.map(e => e.getAttribute('href'))")
    return list(dict.fromkeys(h for h in hrefs if h.startswith("/") and h != "/"))


def _check(page: Any, path: str, problems: list[str]) -> None:
    s = page.evaluate(PAGE_STATE)
    if s["scroll"] > s["width"]:
        problems.append(f"overflows sideways ({s['scroll']} px > {s['width']})")
    if not 0 < s["top"] <= TOP_ENTRIES:
        problems.append(f"{s['top']} top navigation entries (at most {TOP_ENTRIES})")
    if not s["current"]:
        problems.append("the navigation does not mark the current place")
    if path != "/" and s["crumbs"] < 2:
        problems.append("no breadcrumbs")
    if s["glosses"]:
        problems.append(f"{s['glosses']} inline English glosses (.en)")
    if not s["icon"]:
        problems.append("no <link rel=icon>")


def _visit_role(browser: Any, base: str, username: str, size: str) -> list[str]:
    ctx = browser.new_context(locale="zh-CN", **SIZES[size])
    page = ctx.new_page()
    page.set_default_timeout(30000)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(str(e)))
    out: list[str] = []
    try:
        page.goto(base + "/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", settings.BANGFU_DEMO_PASSWORD)
        page.locator("button[type=submit]").click()
        page.wait_for_load_state()
        paths = ["/", *_nav_paths(page)]
        for path in paths:
            console.clear()
            response = page.goto(base + path)
            problems: list[str] = []
            if response is None or response.status >= 400:
                problems.append(f"answers {response.status if response else 'nothing'}")
            else:
                _check(page, urlsplit(page.url).path, problems)
            problems += [f"console error: {text[:160]}" for text in console]
            out += [f"{username} {size} {path}: {p}" for p in problems]
        for icon in ("/favicon.ico", page.evaluate("document.querySelector('link[rel=icon]').getAttribute('href')")):
            status = page.request.get(base + icon).status
            if status != 200:
                out.append(f"{username} {size} {icon}: favicon answers {status}")
    finally:
        ctx.close()
    return out


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_role_finds_its_way_at_desktop_and_phone_width(_browser, live_server) -> None:
    call_command("demo", households=60, stdout=open("/dev/null", "w"))  # noqa: SIM115
    logins = demo_logins()
    assert logins
    problems: list[str] = []
    for username, _role, _area in logins:
        for size in SIZES:
            problems += _visit_role(_browser, live_server.url, username, size)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
