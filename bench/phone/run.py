"""Phone budget benchmark (issue #15): the grid worker's home on an emulated slow 3G line.

Serves a copy of the product as in production (gunicorn, BANGFU_PRODUCTION=1, collectstatic,
WhiteNoise's compressed files) on a fresh SQLite database with the demo county (`bangfu demo`), then
drives Debian's Chromium through Playwright on a 360×740 touch screen as the demo grid worker
`zhoujingcai` (周景财):

1. first load: signed in, with an empty browser cache, no service worker and no offline data, the
   line set by CDP `Network.emulateNetworkConditions` (400 ms latency, 400 kbit/s down and up), open
   `/`: bytes transferred (CDP `encodedDataLength`, headers included) until DOMContentLoaded, until the
   first task is visible and until the network is idle, and those times;
2. later navigation: the same line, the service worker installed (when the build has one): open the
   households list and come back home, time to DOMContentLoaded and bytes of each;
3. taps to log a visit from home: the fewest taps found by following links from `/` to a visit form
   (each link one tap; choosing the mode, the note and Save counted as the review counted them).

Prints figures; asserts nothing (tests never time anything). Takes ~3–6 minutes (the demo load).

    .venv/bin/python bench/phone/run.py [--source DIR] [--label after] [--households 6000] [--runs 3]

`--source` is a directory with a copy of the product (default: this checkout); to measure an older
revision: `git archive <rev> | tar -x -C /tmp/before` and pass `--source /tmp/before`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
USER = "zhoujingcai"
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}
# What "the first task is visible" means on the page: the task home's first task card or link;
# on a build without one (the old dashboard) the first tile or table row of <main>.
FIRST_TASK = "[data-task], .task, main .tile, main table tbody tr, main .card"
# What the service worker fetched in the background (its requests are not the page's, so CDP on the page
# does not see them): entries and bytes (uncompressed bodies) in Cache Storage after the first load.
KEPT = """async () => {
  if (!self.caches) return [0, 0];
  let n = 0, bytes = 0;
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const req of await cache.keys()) { n += 1; bytes += (await (await cache.match(req)).blob()).size; }
  }
  return [n, bytes];
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(source: Path, households: int) -> tuple[subprocess.Popen[bytes], str, Path]:
    var = Path(tempfile.mkdtemp(prefix="bangfu-bench-phone-"))
    env = {
        **os.environ,
        "BANGFU_VAR": str(var),
        "DATABASE_URL": f"sqlite:///{var / 'bench.sqlite3'}",
        "BANGFU_PRODUCTION": "1",
        "DJANGO_SETTINGS_MODULE": "bangfu.settings",
        "PYTHONPATH": str(source),
    }
    env.pop("DEBUG", None)
    py = sys.executable
    manage = [py, "-c", "import sys; from bangfu.cli import main; sys.argv[0] = 'bangfu'; main()"]
    started = time.monotonic()
    for args in (
        ["migrate", "--noinput", "-v", "0"],
        ["demo", "--households", str(households)],
        ["collectstatic", "--noinput", "-v", "0"],
    ):
        subprocess.run([*manage, *args], cwd=source, env=env, check=True, stdout=subprocess.DEVNULL)
    print(f"  set-up (migrate, demo of {households} households, collectstatic): {time.monotonic() - started:.0f} s")
    port = _free_port()
    server = subprocess.Popen(
        [
            py,
            "-m",
            "gunicorn",
            "bangfu.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--timeout",
            "120",
        ],
        cwd=source,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.2)
    return server, url, var


class Meter:
    """Bytes received by the page (CDP encodedDataLength per finished request)."""

    def __init__(self, cdp: Any) -> None:
        self.bytes = 0
        self.requests = 0
        cdp.on("Network.loadingFinished", self._done)

    def _done(self, p: dict[str, Any]) -> None:
        self.bytes += int(p.get("encodedDataLength", 0))
        self.requests += 1

    def reset(self) -> None:
        self.bytes = self.requests = 0


def _password(source: Path) -> str:
    return os.environ.get("BANGFU_DEMO_PASSWORD", "bangfu-demo-2026")


def _timed_goto(page: Any, meter: Meter, url: str) -> dict[str, float]:
    meter.reset()
    t0 = time.monotonic()
    page.goto(url, wait_until="domcontentloaded", timeout=120_000)
    dcl = time.monotonic() - t0
    dcl_bytes = meter.bytes
    page.wait_for_selector(FIRST_TASK, state="visible", timeout=120_000)
    task = time.monotonic() - t0
    task_bytes = meter.bytes
    page.wait_for_load_state("networkidle", timeout=180_000)
    idle = time.monotonic() - t0
    return {
        "dcl_s": dcl,
        "dcl_kb": dcl_bytes / 1024,
        "task_s": task,
        "task_kb": task_bytes / 1024,
        "idle_s": idle,
        "idle_kb": meter.bytes / 1024,
        "requests": meter.requests,
    }


def _taps_to_visit(page: Any, base: str) -> str:
    """Fewest links from home to a visit form (breadth-first over the links of <main> and the nav)."""
    page.goto(base + "/", wait_until="domcontentloaded")
    seen = {"/"}
    frontier = [("/", 0)]
    while frontier:
        path, depth = frontier.pop(0)
        if depth >= 3:
            continue
        page.goto(base + path, wait_until="domcontentloaded")
        links = page.eval_on_selector_all("a[href^='/']", "els => els.map(e => e.getAttribute('href'))")
        for href in links:
            clean = href.split("#")[0]
            if "/cases/grid/visit/" in clean:
                # the links to the form, then on the form: mode, note, save (as the UX review counted)
                return f"{depth + 1} to the form + 3 on it = {depth + 4}"
            if clean not in seen and not clean.startswith(("/accounts/", "/static/", "/i18n/", "/admin/")):
                seen.add(clean)
                frontier.append((clean, depth + 1))
    return "no visit form reachable within 3 links"


def measure(base: str, runs: int) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless=new", "--no-sandbox"])
        firsts, laters, kept = [], [], []
        for _ in range(runs):
            ctx = browser.new_context(
                viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True, locale="zh-CN"
            )
            page = ctx.new_page()
            page.goto(base + "/accounts/login/")
            page.fill("input[name=username]", USER)
            page.fill("input[name=password]", _password(Path()))
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            cdp = ctx.new_cdp_session(page)
            cdp.send("Network.enable")
            # Cold: nothing kept from the sign-in (HTTP cache, service worker, caches, IndexedDB), cookies kept.
            cdp.send("Network.clearBrowserCache")
            origin = base
            cdp.send(
                "Storage.clearDataForOrigin",
                {"origin": origin, "storageTypes": "service_workers,cache_storage,indexeddb,local_storage"},
            )
            page.goto("about:blank")
            meter = Meter(cdp)
            cdp.send("Network.emulateNetworkConditions", SLOW_3G)
            firsts.append(_timed_goto(page, meter, base + "/"))
            # Later navigations on the same line, with whatever the first load installed.
            page.wait_for_timeout(8000)  # the service worker installs and keeps the pages the data names
            kept.append(page.evaluate(KEPT))
            later = {}
            for path in ("/cases/grid/mine/", "/"):
                meter.reset()
                t0 = time.monotonic()
                page.goto(base + path, wait_until="domcontentloaded", timeout=120_000)
                later[path] = (time.monotonic() - t0, meter.bytes / 1024)
            ctx.set_offline(True)  # no line at all: only what the phone kept
            for path in ("/cases/grid/mine/", "/"):
                t0 = time.monotonic()
                try:
                    page.goto(base + path, wait_until="domcontentloaded", timeout=30_000)
                    ok = page.locator("main").count() > 0 and "没有网络" not in page.inner_text("main")
                except Exception:  # a build without a service worker has nothing to show
                    ok = False
                later["offline " + path] = (time.monotonic() - t0, 0.0 if ok else float("nan"))
            ctx.set_offline(False)
            laters.append(later)
            cdp.send(
                "Network.emulateNetworkConditions",
                {**SLOW_3G, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
            )
            if len(firsts) == 1:
                print(f"  taps from home to a logged visit: {_taps_to_visit(page, base)}")
            ctx.close()
        browser.close()

    def med(key: str) -> float:
        return statistics.median(f[key] for f in firsts)

    print(f"  first load of / (median of {runs}), slow 3G 400 ms / 400 kbit/s:")
    print(f"    DOMContentLoaded      {med('dcl_s'):6.2f} s   {med('dcl_kb'):7.1f} KB")
    print(f"    first task visible    {med('task_s'):6.2f} s   {med('task_kb'):7.1f} KB")
    idle = f"{med('idle_s'):6.2f} s   {med('idle_kb'):7.1f} KB"
    print(f"    network idle          {idle}   {med('requests'):.0f} requests")
    entries, kb = statistics.median(k[0] for k in kept), statistics.median(k[1] for k in kept) / 1024
    print(f"  then kept by the service worker in the background: {entries:.0f} entries, {kb:.1f} KB uncompressed")
    for path in ("/cases/grid/mine/", "/"):
        t = statistics.median(lv[path][0] for lv in laters)
        kb = statistics.median(lv[path][1] for lv in laters)
        print(f"  later navigation to {path:<18} {t:6.2f} s   {kb:7.1f} KB from the network")
    for path in ("/cases/grid/mine/", "/"):
        key = "offline " + path
        t = statistics.median(lv[key][0] for lv in laters)
        shown = all(lv[key][1] == 0.0 for lv in laters)
        where = "from the cache" if shown else "NOT available offline"
        print(f"  offline navigation to {path:<16} {t:6.2f} s   {where}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, default=ROOT)
    parser.add_argument("--label", default="this checkout")
    parser.add_argument("--households", type=int, default=6000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--url", help="measure a server already running (signed-in demo data) instead")
    args = parser.parse_args()
    print(f"phone benchmark: {args.label} ({args.source})")
    server = var = None
    if args.url:
        base = args.url.rstrip("/")
    else:
        server, base, var = _serve(args.source.resolve(), args.households)
    try:
        measure(base, args.runs)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if var is not None:
            shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
