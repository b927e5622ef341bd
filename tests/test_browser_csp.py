"""Content-Security-Policy in a real browser (Debian's Chromium): the main pages of several roles —
dashboards with ECharts, htmx lists, forms, the case page with an attachment preview, the enterprise
page with charts, the API docs (Swagger UI) — load and work without a single CSP violation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bangfu.analytics import services as analytics
from bangfu.casework import services as casework
from bangfu.casework.models import CaseAttachment
from bangfu.casework.tests.conftest import params  # noqa: F401  (casework parameters of the county)
from bangfu.market import services as market_services
from bangfu.market.tests.conftest import market  # noqa: F401  (the market fixture, used by `story`)
from bangfu.registry import services as registry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Reports every violation to the console, whatever wording the browser uses for its own message.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + e.blockedURI +
                " at " + e.sourceFile + ":" + e.lineNumber);
});
"""
PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360f8cf00000301010018dd8db40000000049454e44ae426082"
)


def _watched(page: Any) -> list[str]:
    problems: list[str] = []
    page.context.add_init_script(REPORT_VIOLATIONS)

    def on_console(msg: Any) -> None:
        text = msg.text
        if "CSP violation" in text or "Content Security Policy" in text or "Content-Security-Policy" in text:
            problems.append(f"{page.url}: {text}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: problems.append(f"{page.url}: script error {exc}"))
    return problems


def _visit(page: Any, paths: list[str], problems: list[str]) -> None:
    for path in paths:
        response = page.goto(page.base_url + path)
        assert response is not None and response.status == 200, path
        assert "default-src 'self'" in (response.headers.get("content-security-policy") or ""), path
        page.wait_for_load_state("networkidle")
    assert problems == []


@pytest.fixture
def story(market, params, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    w = market.world
    since = timezone.localdate() - dt.timedelta(days=90)
    registry.household_set_monitoring(
        household=w.households["h1"], monitoring_type="脱贫不稳定户", risk_codes=["因病"], since=since
    )
    market_services.sale_record(
        actor=None,
        product=market.product,
        day=timezone.localdate() - dt.timedelta(days=3),
        channel="counter",
        quantity=Decimal(1),
        amount=Decimal("400"),
        from_stock=False,
    )
    analytics.indicators_refresh()
    case = casework.case_open(
        actor=w.gw1, household=w.households["h1"], source="grid", summary="因病", on=timezone.localdate()
    )
    casework.case_step(
        actor=w.t1, case=case, event="accept", files=[SimpleUploadedFile("签字.png", PNG_1PX)], note="受理"
    )
    return market, case


def test_county_pages_and_api_docs_have_no_csp_violation(story, browser_page) -> None:
    m, case = story
    w = m.world
    page = browser_page(w.county)
    problems = _watched(page)
    h1 = w.households["h1"]
    _visit(
        page,
        [
            "/",
            "/registry/households/",
            f"/registry/households/{h1.pk}/",
            "/monitoring/",
            "/cases/",
            f"/cases/{case.pk}/",
            "/cases/settings/",
            "/insurance/",
            "/areas/",
            f"/market/enterprises/{m.enterprise.pk}/",
            "/accounts/me/",
        ],
        problems,
    )
    page.goto(page.base_url + "/")
    page.wait_for_selector("#chart-trend svg")  # ECharts drew under the policy
    page.goto(page.base_url + "/registry/households/")
    page.fill("input[name=q]", h1.number)
    page.press("input[name=q]", "Enter")  # htmx swaps the rows in place and pushes the address
    page.wait_for_url(f"**q={h1.number}*")
    assert w.households["h2"].number not in page.inner_text("#rows")
    page.goto(page.base_url + "/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info")  # Swagger UI runs from its own static files
    page.wait_for_load_state("networkidle")
    assert problems == []


def test_case_attachment_preview_and_grid_worker_pages(story, browser_page) -> None:
    m, case = story
    w = m.world
    page = browser_page(w.t1)
    problems = _watched(page)
    _visit(page, ["/cases/leads/", f"/cases/{case.pk}/"], problems)
    att = CaseAttachment.objects.get()
    assert page.locator(f"a[href='/cases/attachments/{att.pk}/'][target=_blank]").count() >= 1  # a new tab
    preview = page.context.new_page()  # what that tab shows, under the file view's own policy
    preview.goto(page.base_url + f"/cases/attachments/{att.pk}/")
    preview.wait_for_load_state()
    assert preview.evaluate("document.images.length === 1 && document.images[0].naturalWidth === 1")
    grid = browser_page(w.gw1, viewport={"width": 360, "height": 740})
    grid_problems = _watched(grid)
    _visit(grid, ["/", "/cases/grid/mine/", f"/cases/grid/visit/{w.households['h1'].pk}/"], grid_problems)


def test_enterprise_and_anonymous_pages(story, browser_page) -> None:
    m, _ = story
    page = browser_page(m.owner)
    problems = _watched(page)
    _visit(page, ["/", f"/market/enterprises/{m.enterprise.pk}/", "/market/orders/new/"], problems)
    page.goto(page.base_url + f"/market/enterprises/{m.enterprise.pk}/")
    page.wait_for_selector("#chart-channel svg")
    assert problems == []
    anonymous = browser_page()
    anon_problems = _watched(anonymous)
    _visit(anonymous, ["/accounts/login/", "/cases/report/", "/market/catalogue/"], anon_problems)


@pytest.mark.parametrize(
    "viewport", [{"width": 1440, "height": 900}, {"width": 360, "height": 740}], ids=["1440x900", "360x740"]
)
def test_the_township_reviewer_opens_a_steps_attachment(story, browser_page, viewport) -> None:
    """Done-when of #16: the township reviewer (world.t1) opens the evidence of a case step from the case
    page at desktop and phone width: the link opens a new tab that shows the image through the
    authenticated file view (no /media/ address), and the page does not overflow."""
    m, case = story
    w = m.world
    page = browser_page(w.t1, viewport=viewport)
    problems = _watched(page)
    page.goto(page.base_url + f"/cases/{case.pk}/")
    att = CaseAttachment.objects.get()
    link = page.locator(f"a[href='/cases/attachments/{att.pk}/'][target=_blank]", has_text="预览").first
    link.scroll_into_view_if_needed()
    with page.context.expect_page() as opened:
        link.click()
    tab = opened.value
    tab.wait_for_load_state()
    assert tab.url.endswith(f"/cases/attachments/{att.pk}/") and "/media/" not in tab.url
    assert tab.evaluate("document.images.length === 1 && document.images[0].naturalWidth === 1")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert "/media/" not in page.content()
    assert problems == []
