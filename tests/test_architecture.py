"""Structural guarantees that no single app's tests would catch."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

APPS = [
    "areas",
    "accounts",
    "registry",
    "rules",
    "monitoring",
    "casework",
    "insurance",
    "employment",
    "market",
    "analytics",
    "demo",
]
# Every app has these; a module past ~400 lines becomes a package of the same name.
SAME_SHAPE = [
    "apps.py",
    "models.py",
    "services.py",
    "selectors.py",
    "domain/__init__.py",
    "tests/__init__.py",
    "README.md",
]
ROOT = Path(__file__).resolve().parent.parent / "bangfu"

# Pages anyone may open without an account: logging in, the household self-report and the public
# catalogue of certified products, the language switch, the API's own docs and schema, and the installable
# app's service worker, manifest and offline page (no data in them; docs/offline.md); the first-run page of an
# install without any account (404 as soon as one exists: tests/test_first_run.py).
PUBLIC = re.compile(
    r"^(accounts/login/|accounts/logout/|accounts/first-run/|i18n/|admin/|api/v1/|cases/report/|cases/self-report|market/catalogue|"
    r"market/public|static/|media/|sw\.js$|manifest\.webmanifest$|offline/$)"
)


@pytest.mark.parametrize("app", APPS)
def test_every_app_has_the_same_shape(app):
    missing = [f for f in SAME_SHAPE if not _present(app, f)]
    assert not missing, f"bangfu/{app} lacks {missing}"


def _present(app: str, f: str) -> bool:
    return (ROOT / app / f).exists() or (ROOT / app / f.removesuffix(".py") / "__init__.py").exists()


def _source(app: str, name: str) -> str:
    """The text of bangfu/<app>/<name>.py, or of every module of the package <name>/."""
    if (ROOT / app / f"{name}.py").exists():
        return (ROOT / app / f"{name}.py").read_text()
    return "".join(f.read_text() for f in sorted((ROOT / app / name).glob("*.py")))


# What an optional file means, wherever it exists: a module only exists when it has that to say.
MEANS = {
    "admin": (r"admin\.site\.register|@admin\.register", "registers a model with the Django admin"),
    "tasks": (r"^@task\(", "defines a background task"),
    "api": (r"^router = Router\(", "defines the Ninja router bangfu/api.py mounts"),
    "views": (r"^def \w+\(request", "defines a view"),
    "demo": (r"^def load\(ctx", "defines load(ctx) for `bangfu demo`"),
}


@pytest.mark.parametrize("app", [*APPS, "core"])
def test_files_that_exist_mean_the_same_thing_everywhere(app):
    wrong = [
        f"{name}: must {meaning}"
        for name, (pattern, meaning) in MEANS.items()
        if _present(app, f"{name}.py") and not re.search(pattern, _source(app, name), re.M)
    ]
    assert not wrong, f"bangfu/{app}: {wrong}"
    if _present(app, "urls.py"):  # pages: namespaced by the app's name
        urls = _source(app, "urls")
        assert f'app_name = "{app}"' in urls and "urlpatterns" in urls


def test_no_module_is_a_placeholder():
    """A module whose whole text is its docstring says nothing (the shape test once required 21 of them)."""
    import ast

    empty = []
    for path in ROOT.rglob("*.py"):
        if path.name == "__init__.py" or "migrations" in path.parts:
            continue
        body = ast.parse(path.read_text()).body
        if all(isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant) for n in body):
            empty.append(str(path.relative_to(ROOT)))
    assert empty == []


def _walk(resolver: URLResolver, prefix: str = ""):
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _walk(p, route)
        elif isinstance(p, URLPattern):
            yield route, p


def _sample(route: str) -> str:
    route = re.sub(r"<int:[^>]+>", "1", route)
    route = re.sub(r"<(str:|slug:)?[^>]+>", "x", route)
    return "/" + route.replace("^", "").replace("$", "")


@pytest.mark.django_db
def test_every_page_needs_a_login_unless_it_is_public():
    open_pages = []
    for route, _ in _walk(get_resolver()):
        url = _sample(route)
        if PUBLIC.match(url.lstrip("/")):
            continue
        r = Client().get(url)
        if r.status_code not in (301, 302, 401, 403, 404, 405):
            open_pages.append((url, r.status_code))
        elif r.status_code == 302 and "/accounts/login/" not in r["Location"]:
            open_pages.append((url, r["Location"]))
    assert not open_pages, f"pages answering without a login: {open_pages}"


PUBLIC_API = re.compile(r"^/api/v1/(market/catalogue|casework/self-report|casework/report)")


@pytest.mark.django_db
def test_every_api_operation_needs_authentication_unless_public():
    spec = Client().get("/api/v1/openapi.json").json()
    unauthenticated = []
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            url = re.sub(r"\{[^}]+\}", "1", path)
            if not op.get("security"):
                assert PUBLIC_API.match(path), f"{method.upper()} {path} declares no authentication"
                continue
            c = Client()
            r = c.get(url) if method == "get" else getattr(c, method)(url, data="{}", content_type="application/json")
            if r.status_code != 401:
                unauthenticated.append((method.upper(), path, r.status_code))
    assert not unauthenticated, f"API operations answering without credentials: {unauthenticated}"


def _import_cycles() -> list[list[str]]:
    """Groups of source modules that import each other, directly or around a circle (function-level
    imports count: a deferred import is still a dependency). Tests and migrations are left out. One kind of
    edge is allowed: a module of an app queuing that app's own task (`<app>.tasks` imports what it runs,
    and the caller imports the task inside the function that enqueues it)."""
    import grimp

    graph = grimp.build_graph("bangfu", exclude_type_checking_imports=True)
    modules = {m for m in graph.modules if ".tests" not in m and ".migrations" not in m}

    def app(m: str) -> str:
        return m.split(".")[1] if m.count(".") else m

    edges = {
        m: [
            n
            for n in graph.find_modules_directly_imported_by(m)
            if n in modules and not (n == f"bangfu.{app(m)}.tasks" and app(n) == app(m))
        ]
        for m in modules
    }
    reach = {m: _reachable(m, edges) for m in modules}  # modules reachable in one step or more
    groups = {frozenset(n for n in reach[m] if m in reach[n]) for m in modules if m in reach[m]}
    return sorted(sorted(g) for g in groups)


def _reachable(start: str, edges: dict[str, list[str]]) -> set[str]:
    seen: set[str] = set()
    todo = list(edges[start])
    while todo:
        m = todo.pop()
        if m not in seen:
            seen.add(m)
            todo.extend(edges[m])
    return seen


def test_no_module_imports_itself_around_a_circle():
    # Before #17: 4 circles, one of 7 modules (monitoring.services → casework.services → registry.services →
    # monitoring.services): the registry called up into monitoring. It now announces changes
    # (registry.signals) and monitoring listens.
    assert _import_cycles() == []


IGNORE = re.compile(r"#\s*type:\s*ignore(?P<codes>\[[^\]]*\])?(?P<rest>.*)$")


def test_every_type_ignore_in_the_source_names_its_error_and_says_why():
    """Zulip's rule: `mypy --strict` holds for bangfu/ (pyproject), so a `# type: ignore` in the source is
    an exception a reader must be able to judge. It names the error code and ends with `# why`:
    `x = y  # type: ignore[attr-defined]  # simple_history adds it at run time`. Tests are exempt."""
    bad = []
    for path in sorted(ROOT.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            found = IGNORE.search(line)
            if found and not (found["codes"] and re.match(r"\s*#\s*\S", found["rest"])):
                bad.append(f"{path.relative_to(ROOT.parent)}:{n}: {line.strip()}")
    assert not bad, "a type: ignore without [code] and a '# reason':\n" + "\n".join(bad)


def test_pure_code_takes_today_in_the_projects_time_zone():
    from django.conf import settings
    from django.utils import timezone

    from bangfu.core.domain import clock

    assert clock.ZONE.key == settings.TIME_ZONE
    assert clock.today() in {timezone.localdate(), timezone.localdate() + dt.timedelta(days=1)}  # midnight
