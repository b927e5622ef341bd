"""Access matrix generated from the URL conf and the API router (issue #12, security review D2/D14).

Every route that writes (a page accepting POST, an API operation with POST/PUT/PATCH/DELETE) declares
the capabilities it needs with `accounts.domain.roles.writes`, next to its code. These tests read the
declarations from the live URL conf, so a new writing route without one fails here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from ninja.utils import normalize_path

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
                full = normalize_path("/api/v1/" + bound.prefix + path)  # a nested router's prefix is "market/"
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
# A list whose search is posted (an ID number stays out of URLs) declares the capabilities of its
# readers: people and reports, and for the claims queue the insurer's (it reads claims only).
SEARCH_CAPS = READ_CAPS | {Cap.CLAIM_SURVEY}


def _caps(user) -> frozenset[Cap]:
    from bangfu.accounts import selectors

    return selectors.capabilities_of(user)


def _diff(a: dict[str, int], b: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {k: (a.get(k, 0), v) for k, v in b.items() if a.get(k, 0) != v}


# --- The access matrix: every route × the personas who must be refused ------------------------------
#
# The objects addressed by route parameters live in village V1a, grid G1 (household h1 of the test
# county). Each persona below cannot see them (the auditor sees them but may change nothing).
# OBJECTS says which object each route parameter names, by the route's prefix; a route whose
# parameter matches no row fails the test (so a new route must be entered here). `None` marks a
# parameter that names no object of an area (a report key, a step name, a feed kind).

OBJECTS: list[tuple[str, str, str | None]] = (
    [
        # (route prefix, parameter, object kind)
        ("registry/households/", "pk", "household"),
        ("/api/v1/registry/households/", "pk", "household"),
        ("/api/v1/registry/households/", "year", None),
        ("households/", "pk", "household"),  # analytics timeline
        ("/api/v1/analytics/households/", "household_id", "household"),
        ("/api/v1/insurance/households/", "household_id", "household"),
        ("/api/v1/monitoring/households/", "pk", "household"),
        ("cases/grid/visit/", "pk", "household"),
        ("registry/members/", "pk", "member"),
        ("/api/v1/registry/members/", "pk", "member"),
        ("registry/income-items/", "pk", "income_item"),
        ("/api/v1/registry/income-items/", "pk", "income_item"),
        ("cases/grids/", "code", "village"),
        ("cases/report/poster/", "code", "village"),
        ("/api/v1/areas/", "code", "village"),
        ("cases/grids/handover/", "pk", "grid"),
        ("cases/", "pk", "case"),
        ("cases/", "measure_pk", "absent"),
        ("/api/v1/casework/cases/", "case_id", "case"),
        ("cases/notices/", "pk", "absent"),
        ("cases/attachments/", "pk", "absent"),
        ("cases/visits/", "pk", "absent"),
        ("cases/settings/calendar/", "pk", "absent"),
        ("accounts/me/tokens/", "token_id", "token"),
        ("accounts/lockouts/", "user_id", "user"),
        ("accounts/people/", "pk", "user"),
        ("accounts/delegations/", "pk", "absent"),
        ("accounts/memberships/", "pk", "absent"),
        ("accounts/areas/", "code", "village"),
        ("/api/v1/accounts/users/", "user_id", "user"),
        ("/api/v1/accounts/users/", "pk", "user"),
        ("/api/v1/accounts/delegations/", "delegation_id", "absent"),
        ("/api/v1/accounts/memberships/", "pk", "absent"),
        ("/api/v1/accounts/policy/", "code", None),
        ("/api/v1/accounts/areas/", "code", "village"),
        ("/api/v1/insurance/claims/", "doc_id", "absent"),  # a county's account rules: no personal data
        ("/api/v1/casework/cases/", "measure_id", "absent"),
        ("/api/v1/casework/config/calendar/", "day_id", "absent"),
        ("/api/v1/casework/grids/", "code", "village"),
        ("/api/v1/casework/grids/handover/", "grid_id", "grid"),
        ("monitoring/warnings/", "pk", "absent"),
        ("/api/v1/monitoring/warnings/", "pk", "absent"),
        ("monitoring/feeds/template/", "kind", None),
        ("/api/v1/monitoring/feeds/", "kind", None),
        ("reports/", "key", None),
        ("/api/v1/analytics/reports/", "key", None),
        ("insurance/claims/", "event", None),
        ("insurance/claims/", "pk", "absent"),
        ("insurance/claims/", "doc_id", "absent"),
        ("/api/v1/insurance/claims/", "claim_id", "absent"),
        ("insurance/schemes/", "pk", "absent"),
        ("/api/v1/insurance/schemes/", "scheme_id", "absent"),
        ("rules/", "pk", "absent"),
        ("/api/v1/rules/rulesets/", "pk", "absent"),
        ("/api/v1/registry/sites/", "pk", "site"),
        ("registry/sites/", "pk", "site"),
        ("/api/v1/employment/workshops/", "year", None),
        ("jobs/", "pk", "absent"),
        ("/api/v1/jobs/", "pk", "absent"),
    ]
    + [
        (prefix + part, "pk", "absent")
        for prefix in ("employment/", "/api/v1/employment/")
        for part in (
            "assets/",
            "contracts/",
            "courses/",
            "payslips/",
            "sites/",
            "welfare-posts/",
            "posts/",
            "workshops/",
        )
    ]
    + [
        (prefix + part, "pk", "absent")
        for prefix in ("market/", "/api/v1/market/")
        for part in ("buyers/", "certifications/", "enterprises/", "events/", "orders/", "products/", "photos/")
    ]
)
ABSENT_ID = 987654  # kinds the test county does not build yet: an id nobody has (refused trivially)

# Routes anyone may call without an account (checked in test_architecture.py).
PUBLIC_ROUTES = re.compile(
    r"^/?(cases/report/|market/catalogue/|market/photos/|api/v1/market/catalogue|sw\.js$|manifest\.webmanifest$|offline/$|favicon\.ico$)"
)


def _kind(route: Route, param: str) -> str | None:
    rows = [(p, k) for p, name, k in OBJECTS if name == param and route.pattern.startswith(p)]
    assert rows, f"{route.name}: parameter {param!r} has no row in OBJECTS (declare what it names)"
    return max(rows, key=lambda r: len(r[0]))[1]


def _params(route: Route) -> list[str]:
    return [m.group(1) or m.group(2) for m in re.finditer(r"<(?:\w+:)?(\w+)>|\{(\w+)\}", route.pattern)]


@pytest.fixture
def matrix(world):
    """The objects of V1a/G1 and the personas who must not reach them."""
    from bangfu.accounts import services as accounts
    from bangfu.accounts.domain.roles import Role
    from bangfu.areas import services as areas
    from bangfu.casework import services as casework
    from bangfu.registry import services as registry
    from bangfu.testing import PASSWORD, new_household

    h1 = world.households["h1"]
    member = h1.members.first()
    item = registry.income_item_set(actor=world.county, household=h1, year=2025, item="wage.local", amount="1200")
    site = registry.site_create(actor=None, area_code=world.v1a.code, name="矩阵安置点", kind="town")
    casework.params_set(
        actor=None, area_code=world.area_county.code, effective_from=dt.date(2020, 1, 1), values=casework.ParamValues()
    )
    case = casework.case_open(actor=world.county, household=h1, source="hotline", summary="矩阵测试案件")
    token_owner = world.gw1
    accounts.token_create(user=token_owner, name="matrix")
    token = token_owner.api_tokens.get()
    other = areas.area_create(code="511134000000", name="邻县", parent_code="511100000000")
    other_township = areas.area_create(code="511134100000", name="邻县一乡", parent_code=other.code)
    other_village = areas.area_create(code="511134100201", name="邻县一村", parent_code=other_township.code)
    new_household(other_village)
    officer = accounts.user_create(username="far_admin", password=PASSWORD, display_name="far_admin")
    accounts.membership_grant(user=officer, role=Role.COUNTY_ADMIN, area_code=other.code)
    cadre = accounts.user_create(username="v2_cadre", password=PASSWORD, display_name="v2_cadre")
    accounts.membership_grant(user=cadre, role=Role.VILLAGE_CADRE, area_code=world.v2a.code)
    ids = {
        "household": h1.pk,
        "member": member.pk,
        "income_item": item.pk,
        "case": case.pk,
        "village": world.v1b.code,  # gw2 works in V1a and may see that village; V1b is nobody's here
        "grid": world.g1.pk,
        "token": token.pk,
        "user": world.gw1.pk,
        "site": site.pk,
        "absent": ABSENT_ID,
    }
    personas = {"gw_other_grid": world.gw2, "cadre_other_village": cadre, "officer_other_county": officer}
    personas["auditor"] = world.auditor
    secrets = [h1.number, member.name]
    return ids, personas, secrets


def _url(route: Route, ids: dict[str, object]) -> str:
    values: dict[str, object] = {}
    for p in _params(route):
        kind = _kind(route, p)
        if kind is None:
            values[p] = {
                "year": 2025,
                "key": "monitored",
                "event": "survey",
                "kind": "school",
                "code": ids["village"],
            }.get(p, "x")
        else:
            values[p] = ids[kind]
    return sample_url(route, values)


def _anonymous_refused(r: Route, method: str, url: str) -> bool:
    resp = _call(Client(), method, url)
    if r.kind == "api":
        return resp.status_code == 401
    if resp.status_code == 302:
        return "/accounts/login/" in resp["Location"]
    return resp.status_code in (401, 404, 405)  # 404: a scoped file view; 401: a JSON page (offline data)


def _judge(r: Route, method: str, url: str, persona, resp, secrets: list[str]) -> object | None:
    """What is wrong with `resp` (None: it is a refusal, or shows nothing of V1a/G1)."""
    object_route = any(_kind(r, p) is not None for p in _params(r))
    searching = method != "GET" and r.caps is not None and r.caps <= SEARCH_CAPS  # find by ID, list search
    if method != "GET" and not searching:
        if r.caps is not None and not r.caps:
            return None  # anyone's own action (password, token)
        if not (r.caps & _caps(persona)):
            return None if resp.status_code == 403 else resp.status_code  # lacks it: 403 before anything
        if resp.status_code in (403, 404, 405):
            return None
        # holds the capability elsewhere, empty input: refused as input, nothing stored (checked below)
        return None if resp.status_code in (302, 400, 409, 422) else resp.status_code
    if persona.username == "auditor":
        return None  # reads the whole county by design
    if object_route and not searching:
        # 422: a required query parameter is missing, checked before the object (reveals nothing of it)
        refused = (403, 404, 405, 422) if r.kind == "api" else (403, 404, 405)
        return None if resp.status_code in refused else resp.status_code
    if resp.status_code == 200 and resp.get("Content-Type", "").startswith(("text/html", "application/json")):
        leaked = [s for s in secrets if s in resp.content.decode()]
        return f"shows {leaked}" if leaked else None
    return None


def _stored(before: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {k: v for k, v in _diff(before, table_counts()).items() if k != "accounts.ApiToken"}


def _one_route(r: Route, method: str, url: str, clients: dict, secrets: list[str]) -> list[tuple[str, str, object]]:
    """Anonymous and every persona on one route and method; what went wrong."""
    where = f"{method} {url}"
    failures: list[tuple[str, str, object]] = []
    if not _anonymous_refused(r, method, url):
        failures.append((where, "anonymous", "not refused"))
    writing = method != "GET" and r.caps is not None and not r.caps <= READ_CAPS
    object_route = any(_kind(r, p) is not None for p in _params(r))
    # A persona holding the capability may create in its own area through a route that names no
    # object (a draft for its own county): it is called after the "nothing stored" check.
    own = [u for u in clients if writing and not object_route and r.caps & _caps(u)]
    before = table_counts() if writing else None
    for persona in [u for u in clients if u not in own]:
        wrong = _judge(r, method, url, persona, _call(clients[persona], method, url), secrets)
        if wrong is not None:
            failures.append((where, persona.username, wrong))
    if before is not None and (changed := _stored(before)):
        failures.append((where, "stored", changed))
    for persona in own:
        wrong = _judge(r, method, url, persona, _call(clients[persona], method, url), secrets)
        if wrong is not None:
            failures.append((where, persona.username, wrong))
    return failures


def test_access_matrix_every_route_refuses_who_must_be_refused(world, matrix, client_for, api_for):
    """Every page and API route × {anonymous, grid worker of another grid, cadre of another village,
    officer of another county, read-only auditor}: anonymous → login (pages) or 401 (API); an object
    of V1a/G1 → 404/403 for those who cannot see it; a write → 403 for whoever lacks the capability,
    403/404 (or, holding it elsewhere, a refusal of the empty input) with nothing stored; a page or
    list naming no object → none of h1's names or numbers for those who cannot see it."""
    ids, personas, secrets = matrix
    clients = {
        "page": {u: client_for(u) for u in personas.values()},
        "api": {u: api_for(u) for u in personas.values()},
    }
    failures: list[tuple[str, str, object]] = []
    calls = 0
    for r in page_routes() + api_routes():
        url = _url(r, ids)
        if PUBLIC_ROUTES.match(url.lstrip("/")):
            continue  # the public catalogue and self-report: see test_architecture.py
        for method in r.methods:
            if method == "POST" and r.kind == "page" and r.caps is None:
                continue  # undeclared pages only read (POST → 405, test above)
            failures += _one_route(r, method, url, clients[r.kind], secrets)
            calls += len(personas) + 1
    assert calls > 1000, calls
    assert not failures, "\n".join(map(str, failures))


def test_no_get_route_changes_anything(world, matrix, client_for):
    """D14: walking every page and API GET route (as the county administrator, who may see
    everything, and as the auditor) creates or changes no row: no AuditEvent, no PiiView, nothing."""
    from bangfu.core.models import AuditEvent, PiiView

    ids, _personas, _secrets = matrix
    walkers = [client_for(world.county), client_for(world.auditor), client_for(world.t1)]
    before = table_counts()
    audit, pii = AuditEvent.objects.count(), PiiView.objects.count()
    walked = 0
    for r in page_routes() + api_routes():
        if "GET" not in r.methods:
            continue
        url = _url(r, ids)
        for c in walkers:
            c.get(url)
            walked += 1
    after = table_counts()
    changed = {k: v for k, v in _diff(before, after).items() if k not in GET_MAY_WRITE}
    assert walked > 300
    assert (AuditEvent.objects.count(), PiiView.objects.count()) == (audit, pii)
    assert not changed, changed


# Rows a GET may legitimately add: Django's sessions (login state) and the cache of computed
# indicators (a dashboard fills it the first time). Nothing personal, nothing audited.
GET_MAY_WRITE = {"sessions.Session", "analytics.IndicatorValue", "analytics.IndicatorRun"}
