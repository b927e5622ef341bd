"""Content-Security-Policy on every response, and templates that need no inline script or style.

The browser side (pages work under the policy, no violation reported) is tests/test_browser_csp.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.template import engines
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

import bangfu

ROOT = Path(bangfu.__file__).parent


def _plain_routes(patterns: list, prefix: str = "") -> list[str]:
    """Every route of the URL conf without path parameters (those need objects; the browser test opens them)."""
    out: list[str] = []
    for p in patterns:
        route = str(p.pattern)
        if isinstance(p, URLResolver):
            if route.startswith("admin/"):
                continue
            out += _plain_routes(p.url_patterns, prefix + route)
        elif isinstance(p, URLPattern) and "<" not in route and not route.startswith("^"):
            out.append("/" + prefix + route)
    return sorted(set(out))


def _assert_policy(response, path: str) -> None:
    policy = response.get("Content-Security-Policy", "")
    assert "default-src 'self'" in policy, (path, response.status_code)
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, path
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy, path


@pytest.mark.django_db
def test_every_response_carries_the_policy(world, client_for) -> None:
    routes = _plain_routes(get_resolver().url_patterns)
    assert len(routes) > 40 and "/" in routes and "/api/v1/docs" in routes
    county, anonymous = client_for(world.county), Client()
    for path in routes:
        for client in (county, anonymous):
            _assert_policy(client.get(path), path)
    _assert_policy(county.get("/no/such/page/"), "404")
    _assert_policy(county.get("/registry/households/999999/"), "404 from a view")
    _assert_policy(county.get("/api/v1/registry/households/999999"), "API problem document")


def test_a_page_that_needs_an_inline_script_gets_a_fresh_nonce(rf) -> None:
    """No template needs one today; a future one writes nonce="{{ csp_nonce }}" and the header matches."""
    tpl = engines["django"].from_string('<script nonce="{{ csp_nonce }}"></script>')
    mw = ContentSecurityPolicyMiddleware(lambda request: HttpResponse(tpl.render({}, request)))
    nonces = []
    for _ in range(2):
        response = mw(rf.get("/"))
        nonce = re.search(r'nonce="([^"]+)"', response.content.decode())
        assert nonce and f"'nonce-{nonce.group(1)}'" in response["Content-Security-Policy"]
        nonces.append(nonce.group(1))
    assert nonces[0] != nonces[1]


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")(?![^>]*nonce=)[^>]*>"), "inline <script>"),
    (re.compile(r"<style(?![^>]*nonce=)[^>]*>"), "inline <style>"),
    (re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I), "event-handler attribute"),
    (re.compile(r"\sstyle\s*=\s*[\"']", re.I), "style attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_templates_have_no_inline_script_style_or_handlers() -> None:
    found = []
    for path in ROOT.rglob("templates/**/*.html"):
        text = path.read_text()
        for pattern, what in INLINE:
            for m in pattern.finditer(text):
                found.append(f"{path.relative_to(ROOT)}: {what}: {m.group(0)[:60]}")
    assert found == []
