"""The grid worker's phone offline (issue #15, docs/offline.md), in Debian's Chromium on a 360×740 touch
screen: the service worker installs from our own static files, kept pages open without a connection,
visits and a risk report logged offline reach the server exactly once, and a conflict is explained."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest

from bangfu.casework.tests.conftest import params  # noqa: F401  (visit obligations of the county)
from bangfu.testing import PASSWORD

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


# --- the queue: visits and a risk report logged offline reach the server exactly once ----------------

WAIT_KEPT = """async (urls) => {
  const cache = await caches.open("bangfu-pages");
  for (const u of urls) { if (!(await cache.match(u, {ignoreVary: true}))) return false; }
  return true;
}"""
# A photo as a phone camera takes it: 3000×2000 px of noise (JPEG compresses noise worst), several MB.
CAMERA_PHOTO = """() => new Promise((resolve) => {
  const c = document.createElement("canvas"); c.width = 3000; c.height = 2000;
  const g = c.getContext("2d"); const img = g.createImageData(3000, 2000);
  for (let i = 0; i < img.data.length; i++) img.data[i] = (i % 4 === 3) ? 255 : (Math.random() * 255) | 0;
  g.putImageData(img, 0, 0);
  c.toBlob((b) => { const r = new FileReader(); r.onload = () => resolve(r.result.split(",")[1]); r.readAsDataURL(b); },
           "image/jpeg", 0.95);
})"""
# Reading IndexedDB from a test: open the queue's database, get / count a store.
IDB = """
  const req = (r) => new Promise((ok) => { r.onsuccess = () => ok(r.result); });
  const db = await req(indexedDB.open("bangfu"));
  const get = (s, k) => req(db.transaction(s).objectStore(s).get(k));
  const count = (s) => req(db.transaction(s).objectStore(s).count());
"""
COUNT = "const el = document.querySelector('.sync-count'); const count = el ? Number(el.dataset.count) : 0;"
WAITING = "() => { " + COUNT + " return count; }"  # the number the sync bar shows as waiting
WAITING_IS = "(n) => { " + COUNT + " return count === n; }"


def _log_visit(
    page: Any, household: Any, note: str, *, risk: bool = False, photo: bytes | None = None, back: str = ""
) -> None:
    """Fills and saves the visit form; `back`: the task list's link carries ?next= (kept page all the same)."""
    page.goto(page.base_url + f"/cases/grid/visit/{household.pk}/" + (f"?next={back}" if back else ""))
    page.wait_for_selector("#visit-form")
    page.check("input[name=mode][value=in_person]")
    page.check("input[name=checks] >> nth=0")
    page.fill("textarea[name=note]", note)
    if photo is not None:
        page.set_input_files("input[name=photo]", {"name": "camera.jpg", "mimeType": "image/jpeg", "buffer": photo})
    if risk:
        page.check("input[name=report_risk]")
    with page.expect_navigation():
        page.click("#visit-form button.primary")


@pytest.fixture
def grid(world, params, settings, tmp_path):  # noqa: F811
    """周景财's grid (world.g1, worker gw1) with three households; the third (h5) is also the one moved away."""
    from bangfu.testing import new_household

    settings.MEDIA_ROOT = tmp_path
    world.gw1.first_name, world.gw1.last_name = "景财", "周"
    world.gw1.save()
    world.households["h4"] = new_household(world.v1a, world.g1, members=2)
    world.households["h5"] = new_household(world.v1a, world.g1, members=1)
    return world


def _kept(page: Any, households: list[Any]) -> None:
    """Waits (≤ 30 s) until the service worker keeps the home and these households' visit forms."""
    urls = ["/", *(f"/cases/grid/visit/{h.pk}/" for h in households)]
    for _ in range(60):
        if page.evaluate(WAIT_KEPT, urls):
            return
        page.wait_for_timeout(500)
    raise AssertionError(f"not kept for offline use: {urls}")


def test_three_visits_and_a_risk_report_logged_offline_reach_the_server_exactly_once(grid, phone) -> None:
    from bangfu.casework.models import Case, Visit

    w = grid
    mine = [w.households[k] for k in ("h1", "h4", "h5")]
    page = phone(w.gw1)
    page.goto(page.base_url + "/cases/grid/mine/")
    _kept(page, mine)  # the offline data named his households: their visit forms are kept
    photo = __import__("base64").b64decode(page.evaluate(CAMERA_PHOTO))
    assert len(photo) > 1_000_000

    page.context.set_offline(True)
    _log_visit(page, mine[0], "入户，家中一切正常", photo=photo)
    _log_visit(page, mine[1], "入户，务工收入稳定", back="/cases/grid/mine/")
    assert page.url.endswith("/cases/grid/mine/")  # back where the task list sent him
    _log_visit(page, mine[2], "户主住院，医疗支出大", risk=True)
    page.wait_for_function(WAITING_IS, arg=3)
    assert "3" in page.inner_text(".sync-count") and page.is_visible(".badge-offline")
    page.reload()  # closing and opening the page changes nothing: the queue is in IndexedDB
    page.wait_for_function(WAITING_IS, arg=3)
    assert Visit.objects.filter(household__in=mine).count() == 0

    page.context.set_offline(False)  # the `online` event sends the queue
    page.wait_for_function(WAITING_IS, arg=0)
    page.wait_for_selector(".badge-offline", state="detached")
    page.wait_for_selector(".sync-done li >> nth=2")
    visits = Visit.objects.filter(household__in=mine)
    assert visits.count() == 3
    assert sorted(v.household_id for v in visits) == sorted(h.pk for h in mine)
    assert Case.objects.filter(household=mine[2]).count() == 1  # the risk report opened one lead
    assert Case.objects.filter(household__in=mine[:2]).count() == 0
    with_photo = visits.get(household=mine[0])
    assert with_photo.photo and with_photo.photo.size <= 200 * 1024  # compressed on the phone
    done = page.inner_text(".sync-done")
    assert "线索" in done  # the server's answer says a lead was opened and who acts on it

    # A replay of a sent action (its answer lost on a weak line) changes nothing.
    replay = page.evaluate(
        """async ([url, key]) => {
          const body = new FormData();
          for (const [k, v] of [["visited_on", new Date().toLocaleDateString("sv")], ["mode", "in_person"],
                                ["checks", "income_change"], ["note", "重放"]]) body.append(k, v);
          const token = document.cookie.match(/csrftoken=([^;]+)/)[1];
          const send = () => fetch(url, {method: "POST", body, headers: {"Idempotency-Key": key,
                                  "X-CSRFToken": token, Accept: "application/json"}});
          const a = await send(); const b = await send();
          return [a.status, b.status, b.headers.get("Idempotent-Replayed"), await a.text() === await b.text()];
        }""",
        [f"/cases/grid/visit/{mine[1].pk}/", "0b7c6a5e-4c1e-4d7e-9a55-5f1d2a7c9e01"],
    )
    assert replay[0] == 201 and replay[1] == 201 and replay[2] == "true" and replay[3]
    assert Visit.objects.filter(household__in=mine).count() == 4  # the first send only
    assert Case.objects.filter(household__in=mine).count() == 1


def test_an_answer_lost_on_the_line_is_sent_again_with_the_same_key_and_stored_once(grid, phone) -> None:
    from bangfu.casework.models import Visit

    w = grid
    h1 = w.households["h1"]
    page = phone(w.gw1)
    _kept(page, [h1])
    lost = []

    def lose_answer(route: Any) -> None:
        if route.request.method != "POST":
            route.continue_()
        elif not lost:  # the server gets the visit, the phone never hears back
            route.fetch()
            lost.append(route.request.headers.get("idempotency-key"))
            route.abort("connectionreset")
        else:  # the line stays down until the test says so
            route.abort("internetdisconnected")

    page.route("**/cases/grid/visit/**", lose_answer)
    _log_visit(page, h1, "信号很弱")
    assert lost and Visit.objects.filter(household=h1).count() == 1
    page.wait_for_function(WAITING_IS, arg=1)  # still waiting: the phone does not know it arrived
    page.unroute("**/cases/grid/visit/**")
    page.reload()  # the next page load sends it again, same key: the server answers from its record
    page.wait_for_function(WAITING_IS, arg=0)
    page.wait_for_selector(".sync-done li")
    assert Visit.objects.filter(household=h1).count() == 1


def test_a_visit_queued_for_a_household_moved_away_meanwhile_is_shown_as_not_saved_and_why(grid, phone) -> None:
    from bangfu.casework.models import Visit
    from bangfu.registry import services as registry

    w = grid
    h5 = w.households["h5"]
    page = phone(w.gw1)
    _kept(page, [h5])
    page.context.set_offline(True)
    _log_visit(page, h5, "户主外出务工")
    page.wait_for_function(WAITING_IS, arg=1)
    # Meanwhile the village moves the household to the second grid (another worker).
    registry.household_update(actor=w.county, household=h5, changes={"grid_id": w.g2.pk}, reason="网格调整")
    page.context.set_offline(False)
    page.wait_for_selector(".sync-failed li[data-code=moved_away]")
    failed = page.inner_text(".sync-failed")
    assert "未能保存" in failed and h5.head_name in failed
    assert page.evaluate(WAITING) == 0
    assert Visit.objects.filter(household=h5).count() == 0
    page.reload()  # kept until he dismisses it
    page.wait_for_selector(".sync-failed li[data-code=moved_away]")
    # The household left the phone's data and its kept form.
    gone = page.evaluate(
        "async (id) => {"
        + IDB
        + """
          const data = await get("data", "offline");
          const kept = await (await caches.open("bangfu-pages")).match(`/cases/grid/visit/${id}/`, {ignoreVary: true});
          return [data.households.some((h) => h.id === id), !!kept];
        }""",
        h5.pk,
    )
    assert gone == [False, False]
    page.click(".sync-failed button[data-dismiss]")
    page.wait_for_selector(".sync-failed", state="detached")


def test_signing_out_clears_the_phone(grid, phone) -> None:
    w = grid
    page = phone(w.gw1)
    _kept(page, [w.households["h1"]])
    page.context.set_offline(True)
    _log_visit(page, w.households["h1"], "退出前未同步")
    page.wait_for_function(WAITING_IS, arg=1)
    page.context.set_offline(False)
    page.route("**/cases/grid/visit/**", lambda route: route.abort())  # keep it waiting
    page.once("dialog", lambda d: d.accept())  # "1 条记录未同步，退出会删除它们"
    with page.expect_navigation():
        page.click("form[action='/accounts/logout/'] button")
    left = page.evaluate(
        "async () => {"
        + IDB
        + """
          const names = (await caches.keys()).filter((k) => k.startsWith("bangfu-pages"));
          const stores = ["queue", "data", "failed", "done"];
          const counts = db.objectStoreNames.length ? await Promise.all(stores.map(count)) : [];
          return [names.length ? (await (await caches.open("bangfu-pages")).keys()).length : 0, counts];
        }"""
    )
    assert left[0] == 0 and all(c == 0 for c in left[1])


@pytest.fixture
def warning(grid):
    """An open warning on 周景财's household h1 (a disaster reported by a department feed)."""
    import datetime as dt

    from django.utils import timezone

    from bangfu.monitoring import services as monitoring
    from bangfu.monitoring.tests.helpers import feed_row, rules_in_force

    rules_in_force(grid)
    feed_row(grid.households["h1"], "disaster", "25000", timezone.localdate() - dt.timedelta(days=1))
    (w,) = monitoring.screen_household(household_id=grid.households["h1"].pk, as_of=timezone.localdate())
    return w


def test_a_warning_verified_offline_but_decided_meanwhile_is_shown_as_not_needed(grid, warning, phone) -> None:
    from bangfu.monitoring import services as monitoring
    from bangfu.monitoring.models import WarningEvent

    w = grid
    page = phone(w.gw1)
    url = f"/monitoring/warnings/{warning.pk}/"
    for _ in range(60):  # the offline data listed the warning: its page is kept
        if page.evaluate(WAIT_KEPT, [url]):
            break
        page.wait_for_timeout(500)
    page.context.set_offline(True)
    page.goto(page.base_url + url)
    page.fill("textarea[name=reason]", "入户核实：房屋受损")
    with page.expect_navigation():
        page.click("button[name=event][value=verify]")
    page.wait_for_function(WAITING_IS, arg=1)
    monitoring.warning_transition(actor=w.v1, warning=warning, event="verify", reason="村里已核实")
    page.context.set_offline(False)
    page.wait_for_selector(".sync-failed li[data-code=already_decided]")
    assert "无需" in page.inner_text(".sync-failed li[data-code=already_decided]")
    assert WarningEvent.objects.filter(warning=warning, to_state="verified").count() == 1  # the village's only


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_refused_photo_is_shown_beside_the_photo_field_and_the_form_stays_filled(grid, phone, language) -> None:
    """Online, the visit form goes through the queue; a photo the server refuses (not an image: a phone
    that lets the worker pick a PDF) is said beside the photo field in the page's language, the note and
    the ticks stay, and the bar above does not say it again (issue #16)."""
    from django.conf import settings

    from bangfu.casework.models import Visit

    w = grid
    h1 = w.households["h1"]
    page = phone(w.gw1)
    host = urlparse(page.base_url).hostname or "localhost"
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "domain": host, "path": "/"}])
    page.goto(page.base_url + f"/cases/grid/visit/{h1.pk}/")
    page.wait_for_selector("#visit-form")
    page.check("input[name=checks] >> nth=0")
    page.fill("textarea[name=note]", "屋顶漏雨")
    page.set_input_files(
        "input[name=photo]", {"name": "scan.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 x"}
    )
    page.click("#visit-form button.primary")
    beside = page.wait_for_selector("label:has(input[name=photo]) ul.errorlist")
    said = beside.inner_text()
    assert ("not an accepted type" in said) if language == "en" else ("不是允许的类型" in said)
    assert ("不是" not in said) if language == "en" else ("not an accepted" not in said)  # one language
    assert page.input_value("textarea[name=note]") == "屋顶漏雨"
    assert page.is_checked("input[name=checks] >> nth=0")
    assert page.url.endswith(f"/cases/grid/visit/{h1.pk}/")
    page.wait_for_timeout(300)
    assert page.locator(".sync-failed").count() == 0  # said once, beside the field
    assert not Visit.objects.filter(household=h1).exists()
