"""Shared pytest fixtures (see bangfu/testing/__init__.py for the test county)."""

from __future__ import annotations

import os
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

# The suite never asserts wall-clock time (benchmarks in bench/ do): hypothesis' per-example deadline
# is one, and it fails property tests at random on a loaded two-core CI machine.
hypothesis_settings.register_profile("bangfu", deadline=None)
hypothesis_settings.load_profile("bangfu")


def pytest_configure(config: pytest.Config) -> None:
    """The English catalogues as the .po files say (docs/i18n.md): compiled once, before xdist's
    workers start, so a test never reads a stale .mo."""
    if not hasattr(config, "workerinput"):
        subprocess.run(["bash", str(Path(__file__).parent / "scripts/messages.sh"), "compile"], check=True)


def _serial_live_server_on_sqlite() -> None:
    """On SQLite the test database lives in memory and pytest-django hands the live server's threads that
    one connection. A page that asks several things at once (htmx partials, the service worker's
    warm-up beside the page's own requests) then uses it from two threads together, and sqlite answers
    "bad parameter or other API misuse". Serve the live server's requests one at a time there; the
    PostgreSQL run keeps a connection per thread and stays concurrent."""
    from django.contrib.staticfiles import handlers

    base = handlers.StaticFilesHandler
    lock = threading.Lock()

    class SerialStaticFilesHandler(base):  # type: ignore[misc,valid-type]
        def __call__(self, environ: Any, start_response: Any) -> Any:
            from django.db import connection

            if connection.vendor != "sqlite":
                return super().__call__(environ, start_response)
            with lock:
                return super().__call__(environ, start_response)

    handlers.StaticFilesHandler = SerialStaticFilesHandler  # type: ignore[misc]


_serial_live_server_on_sqlite()


@pytest.fixture(autouse=True)
def _default_language():
    """A request read in English (the language cookie) leaves English active in the thread after it;
    the next test starts in the default language again, whatever ran before it."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """argon2 is deliberately slow; the suite creates many users. Production keeps argon2."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    from bangfu.testing import world as build

    return build()


@pytest.fixture
def client_for(client):
    """client_for(user) → a Django test client logged in as that user."""
    from django.test import Client

    def make(user):
        c = Client()
        c.force_login(user, backend="bangfu.accounts.sessions.AccountBackend")
        return c

    return make


@pytest.fixture
def api_for(db):
    """api_for(user) → a client sending that user's Bearer token (as an integrator would). Its
    requests and responses are checked against the published openapi.json (a departure fails the test)."""
    from bangfu.accounts import services
    from bangfu.core.testing_api import ContractClient

    def make(user):
        token = services.token_create(user=user, name="test")
        return ContractClient(HTTP_AUTHORIZATION=f"Bearer {token}")

    return make


CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def _browser():
    """Debian's chromium driven by Playwright (never a downloaded browser)."""
    if not os.path.exists("/usr/bin/chromium"):
        pytest.skip("/usr/bin/chromium is not installed (scripts/bootstrap.sh --dev installs it)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(_browser, live_server):
    """browser_page(user=None, viewport=None) → a Playwright page; logged in as `user` when given."""
    from bangfu.testing import PASSWORD

    contexts = []

    def make(user=None, viewport=None):
        ctx = _browser.new_context(viewport=viewport or {"width": 1280, "height": 900}, locale="zh-CN")
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(15000)
        page.base_url = live_server.url  # type: ignore[attr-defined]
        if user is not None:
            page.goto(live_server.url + "/accounts/login/")
            page.fill("input[name=username]", user.username)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state()
        return page

    yield make
    for ctx in contexts:
        ctx.close()
