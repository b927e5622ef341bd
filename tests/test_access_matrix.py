"""Access matrix generated from the URL conf and the API router (issue #12, security review D2/D14).

Every route that writes (a page accepting POST, an API operation with POST/PUT/PATCH/DELETE) declares
the capabilities it needs with `accounts.domain.roles.writes`, next to its code. These tests read the
declarations from the live URL conf, so a new writing route without one fails here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from bangfu.accounts.domain.roles import Cap, writes_of

pytestmark = pytest.mark.django_db

# Routes outside the declaration rule: Django's own login/logout, language switch and admin.
NOT_OURS = re.compile(r"^(accounts/login/|accounts/logout/|i18n/|admin/|api/v1/)")


@dataclass(frozen=True)
class Route:
    kind: str  # "page" | "api"
    name: str  # URL name (pages) or "METHOD /path" (API)
    pattern: str  # Django route or API path with {param}
    methods: tuple[str, ...]
    view: object

    @property
    def caps(self) -> frozenset[Cap] | None:
        return writes_of(self.view)


def _walk(resolver: URLResolver, prefix: str = "", ns: str = "") -> Iterator[tuple[str, str, URLPattern]]:
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _walk(p, route, f"{ns}{p.namespace}:" if p.namespace else ns)
        elif isinstance(p, URLPattern):
            yield route, f"{ns}{p.name}", p


def page_routes() -> list[Route]:
    out = []
    for route, name, p in _walk(get_resolver()):
        if NOT_OURS.match(route):
            continue
        out.append(Route("page", name, route, ("GET", "POST"), p.callback))
    return out


def api_routes() -> list[Route]:
    from bangfu.api import api

    out = []
    for bound in api._get_bound_routers():
        for path, path_view in bound.path_operations.items():
            for op in path_view.operations:
                full = "/api/v1" + bound.prefix + path
                for m in op.methods:
                    out.append(Route("api", f"{m} {full}", full, (m,), op.view_func))
    return out


_SAMPLE = {"int": 1, "str": "x", "slug": "x", "uuid": "00000000-0000-4000-8000-000000000001", "path": "x"}


def sample_url(route: Route, ids: dict[str, object] | None = None) -> str:
    ids = ids or {}
    if route.kind == "page":
        url = re.sub(
            r"<(?:(\w+):)?(\w+)>", lambda m: str(ids.get(m.group(2), _SAMPLE[m.group(1) or "str"])), route.pattern
        )
        return "/" + url
    return re.sub(r"\{(\w+)\}", lambda m: str(ids.get(m.group(1), 1)), route.pattern)


def _call(client: Client, method: str, url: str):
    if method == "GET":
        return client.get(url)
    return getattr(client, method.lower())(url, data="{}", content_type="application/json")


def table_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models() if m._meta.managed}


def test_every_writing_route_declares_its_capability(world, client_for):
    """An API operation with POST/PUT/PATCH/DELETE must say what it needs with @writes(...) (or
    @writes() when any logged-in user may call it). A page without a declaration only reads: POST
    to it is refused with 405 (safe by default), so a form page that forgets it cannot work."""
    undeclared = [r.name for r in api_routes() if r.methods != ("GET",) and r.caps is None]
    assert not undeclared, f"writing API operations without @writes(...): {undeclared}"
    county = client_for(world.county)
    accepting = []
    for r in page_routes():
        if r.caps is None:
            resp = county.post(sample_url(r), data={})
            if resp.status_code != 405:
                accepting.append((r.name, resp.status_code))
    assert not accepting, f"undeclared pages accepting POST: {accepting}"


def _writes() -> list[Route]:
    return [r for r in page_routes() + api_routes() if r.caps and (r.kind == "page" or r.methods != ("GET",))]


def test_writes_are_refused_to_every_user_lacking_the_capability(world, client_for, api_for):
    """Every declared write, called by each user of the test county who holds none of its
    capabilities (the read-only auditor above all), is refused with 403 and stores nothing —
    before its input is even read (so the empty body does not matter)."""
    h1 = world.households["h1"]
    ids = {"pk": h1.pk, "code": world.v1a.code, "year": 2025}
    users = [u for u in world.users.values()]
    pages = {u.username: client_for(u) for u in users}
    bearer = {u.username: api_for(u) for u in users}
    failures, tried = [], 0
    for r in _writes():
        lacking = [u for u in users if not (r.caps & _caps(u))]
        if not r.caps & READ_CAPS:  # a search sent by POST (find by ID) is open to readers
            assert world.auditor in lacking, f"{r.name}: the read-only auditor holds {sorted(r.caps)}?"
        before = table_counts()
        for u in lacking:
            client = pages[u.username] if r.kind == "page" else bearer[u.username]
            method = "POST" if r.kind == "page" else r.methods[0]
            resp = _call(client, method, sample_url(r, ids))
            tried += 1
            if resp.status_code != 403:
                failures.append((r.name, u.username, resp.status_code))
        if table_counts() != before:
            failures.append((r.name, "stored something", _diff(before, table_counts())))
    assert tried > 300
    assert not failures, "\n".join(map(str, failures))


READ_CAPS = frozenset({Cap.VIEW_PEOPLE, Cap.VIEW_REPORTS})


def _caps(user) -> frozenset[Cap]:
    from bangfu.accounts import selectors

    return selectors.capabilities_of(user)


def _diff(a: dict[str, int], b: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {k: (a.get(k, 0), v) for k, v in b.items() if a.get(k, 0) != v}
