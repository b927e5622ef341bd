"""Answers to logged-in users are never cached (D11); API docs are behind login when configured (D16)."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _no_store(response) -> bool:
    value = response.get("Cache-Control", "")
    return "no-store" in value and "private" in value


def test_pages_exports_and_api_answers_to_a_logged_in_user_are_private_no_store(world, client_for, api_for):
    h = world.households["h1"]
    page = client_for(world.t1)
    for url in ("/", f"/registry/households/{h.pk}/", "/registry/households/export.xlsx"):
        r = page.get(url)
        assert r.status_code == 200, url
        assert _no_store(r), (url, r.get("Cache-Control"))
    api = api_for(world.t1)
    r = api.get(f"/api/v1/registry/households/{h.pk}")
    assert r.status_code == 200
    assert _no_store(r), r.get("Cache-Control")
    # refusals to logged-in users too: they may still name what was asked for
    assert _no_store(client_for(world.t2).get(f"/registry/households/{h.pk}/"))


def test_anonymous_and_public_answers_are_left_alone(world):
    anon = Client()
    r = anon.get("/market/catalogue/")
    assert r.status_code == 200
    assert "no-store" not in r.get("Cache-Control", "")
    r = anon.get("/api/v1/registry/households/1")
    assert r.status_code == 401
    assert "private" not in r.get("Cache-Control", "")


def test_api_docs_and_schema_need_a_login_when_not_public(world, client_for, api_for, settings):
    settings.API_DOCS_PUBLIC = False
    anon = Client()
    r = anon.get("/api/v1/openapi.json")
    assert r.status_code == 401
    assert "paths" not in r.json()
    r = anon.get("/api/v1/docs")
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")
    bogus = Client(HTTP_AUTHORIZATION="Bearer bf_not-a-token")
    assert bogus.get("/api/v1/openapi.json").status_code == 401
    # a logged-in user and an integrator with a token read them
    assert "paths" in client_for(world.auditor).get("/api/v1/openapi.json").json()
    assert client_for(world.auditor).get("/api/v1/docs").status_code == 200
    assert "paths" in api_for(world.dept).get("/api/v1/openapi.json").json()


def test_api_docs_and_schema_are_open_when_configured_public(db, settings):
    settings.API_DOCS_PUBLIC = True
    anon = Client()
    assert "paths" in anon.get("/api/v1/openapi.json").json()
    assert anon.get("/api/v1/docs").status_code == 200


def test_production_defaults_to_docs_behind_login():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "BANGFU_API_DOCS_PUBLIC"} | {"BANGFU_PRODUCTION": "1"}
    code = "import django; django.setup(); from django.conf import settings; print(settings.API_DOCS_PUBLIC)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=env | {"DJANGO_SETTINGS_MODULE": "bangfu.settings"},
    )
    assert out.stdout.strip() == "False"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=env | {"DJANGO_SETTINGS_MODULE": "bangfu.settings", "BANGFU_API_DOCS_PUBLIC": "1"},
    )
    assert out.stdout.strip() == "True"
