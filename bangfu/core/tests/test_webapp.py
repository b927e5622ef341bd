"""The installable web app: manifest, icons, service worker, offline page, vendored libraries (docs/offline.md).

The browser side (the worker installs, pages open offline, the queue syncs once) is
tests/test_browser_offline.py."""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

import bangfu
from bangfu.core import views_webapp as views

STATIC = Path(bangfu.__file__).parent / "static"


def _static_path(url: str) -> Path:
    assert url.startswith("/static/"), url
    found = finders.find(url.removeprefix("/static/"))
    assert found, f"{url} is not a static file"
    return Path(str(found))


def _sw_config(body: str) -> dict:
    m = re.match(r"//[^\n]*\nself\.BANGFU = (\{.*?\});\n", body)
    assert m, body[:200]
    return json.loads(m.group(1))


@pytest.mark.django_db
def test_service_worker_is_served_from_the_root_with_its_scope_and_our_own_modules(world, client_for) -> None:
    for client in (Client(), client_for(world.gw1)):  # anyone: the browser re-fetches it to update
        r = client.get("/sw.js")
        assert r.status_code == 200
        assert r["Content-Type"].startswith("text/javascript")
        assert r["Service-Worker-Allowed"] == "/"
        assert r["Cache-Control"] == "no-cache"
        assert "default-src 'self'" in r["Content-Security-Policy"]
    body = r.content.decode()
    config = _sw_config(body)
    # Workbox loads every module from our static files, never from its default CDN.
    assert "modulePathCb" in body and "debug: false" in body
    urls = [config["workbox"], config["idb"], config["queue"], *config["modules"].values()]
    assert set(config["modules"]) == {f"workbox-{m}" for m in views.WORKBOX_MODULES}
    for url in urls:
        assert _static_path(url).stat().st_size > 0
    for entry in config["precache"]:
        assert entry["url"] == "/offline/" or _static_path(entry["url"]).exists()
        assert re.fullmatch(r"[0-9a-f]{16}", entry["revision"])
    assert config["offlinePage"] == "/offline/"
    assert "https:" not in json.dumps(config)
    assert Client().post("/sw.js").status_code == 405


def test_a_changed_static_file_changes_the_worker_bytes(tmp_path, settings) -> None:
    """The browser installs a new worker only if /sw.js differs by a byte: each precached file's hash is in it."""
    views._service_worker_source.cache_clear()
    before = views._service_worker_source()
    copy = tmp_path / "bangfu"
    copy.mkdir()
    (copy / "app.css").write_text("body{color:red}")
    settings.STATICFILES_DIRS = [tmp_path, *settings.STATICFILES_DIRS]  # the copy is found first
    finders.get_finder.cache_clear()  # type: ignore[attr-defined]
    views._service_worker_source.cache_clear()
    try:
        after = views._service_worker_source()
    finally:
        finders.get_finder.cache_clear()  # type: ignore[attr-defined]
        views._service_worker_source.cache_clear()
    assert before != after
    changed = [
        (a["url"], a["revision"] != b["revision"])
        for a, b in zip(_sw_config(before)["precache"], _sw_config(after)["precache"], strict=True)
    ]
    assert [u for u, c in changed if c] == ["/static/bangfu/app.css"]


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", head[16:24])


@pytest.mark.django_db
def test_manifest_names_the_app_in_chinese_with_icons_of_the_sizes_it_claims() -> None:
    r = Client().get("/manifest.webmanifest")
    assert r.status_code == 200 and r["Content-Type"] == "application/manifest+json"
    m = json.loads(r.content)
    assert "帮扶" in m["name"] and m["short_name"] == "帮扶"
    assert m["start_url"] == "/" and m["scope"] == "/" and m["display"] == "standalone"
    sizes = set()
    for icon in m["icons"]:
        w, h = _png_size(_static_path(icon["src"]))
        assert icon["sizes"] == f"{w}x{h}" and icon["type"] == "image/png"
        sizes.add(w)
    assert {192, 512} <= sizes and any(i.get("purpose") == "maskable" for i in m["icons"])


@pytest.mark.django_db
def test_pages_link_the_manifest_and_load_the_queue_only_for_a_signed_in_user(world, client_for) -> None:
    anonymous = Client().get("/accounts/login/").content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in anonymous
    assert "offline.js" not in anonymous and "bangfu-offline" not in anonymous
    page = client_for(world.gw1).get("/cases/grid/mine/").content.decode()
    assert "offline.js" in page and "queue.js" in page
    assert f'data-user="{world.gw1.pk}"' in page and 'data-sw="/sw.js"' in page


@pytest.mark.django_db
def test_the_queue_loads_only_for_those_who_log_visits(world, client_for) -> None:
    """Anyone else would fetch an offline copy that answers 404 and keep a worker busy on every page."""
    for user in (world.enterprise, world.insurer, world.auditor):
        page = client_for(user).get("/").content.decode()
        assert "offline.js" not in page and "bangfu-offline" not in page, user
        assert client_for(user).get("/tasks/offline.json").status_code == 404
    assert "offline.js" in client_for(world.v1).get("/").content.decode()


@pytest.mark.django_db
def test_offline_page_is_public_and_holds_no_data(world) -> None:
    r = Client().get("/offline/")
    assert r.status_code == 200 and "没有网络" in r.content.decode()
    assert world.households["h1"].head_name not in r.content.decode()


def test_every_vendored_file_is_listed_with_its_version_and_licence() -> None:
    readme = (STATIC / "vendor" / "README.md").read_text()
    vendored = [
        p.relative_to(STATIC / "vendor").as_posix()
        for p in (STATIC / "vendor").rglob("*")
        if p.is_file() and p.suffix == ".js"
    ]
    assert len(vendored) >= 10
    missing = [v for v in vendored if f"`{v}`" not in readme and f"`{Path(v).name}`" not in readme]
    assert not missing, f"add these to bangfu/static/vendor/README.md: {missing}"
    for v in vendored:
        text = (STATIC / "vendor" / v).read_text(errors="replace")
        assert "sourceMappingURL" not in text.splitlines()[-1], v
    assert (STATIC / "vendor" / "idb-8.0.4.LICENSE").exists()
    assert (STATIC / "vendor" / "workbox-7.4.1" / "LICENSE").exists()
