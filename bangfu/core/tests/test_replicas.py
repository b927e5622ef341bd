"""Read replicas, without a standby: which reads the router sends where, read-your-writes, and the
read path free of writes. The same behaviour against a real streaming standby is in
test_replica_standby.py (PostgreSQL, started by scripts/test.sh)."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from bangfu.accounts.models import ApiToken
from bangfu.core import replicas
from bangfu.registry.models import Household

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|MERGE)\b", re.I)
REPLICA = "replica_x"  # never connected to here: these tests look at the router's decisions only


@pytest.fixture
def one_replica(settings, monkeypatch):
    """A configured replica that counts as usable (its health is what test_replica_standby measures),
    served here by the test's own connection; returns the list of aliases the router chose for reads."""
    settings.BANGFU_REPLICA_ALIASES = [REPLICA]
    settings.DATABASE_ROUTERS = ["bangfu.core.replicas.ReplicaRouter"]
    monkeypatch.setattr(replicas, "usable_replicas", lambda: [REPLICA])
    routed: list[str] = []
    choose = replicas.ReplicaRouter.db_for_read

    def spy(self: replicas.ReplicaRouter, model: type[Any], **hints: Any) -> str:
        routed.append(choose(self, model, **hints))
        return routed[-1]

    monkeypatch.setattr(replicas.ReplicaRouter, "db_for_read", spy)
    connections[REPLICA] = connections[DEFAULT_DB_ALIAS]
    yield routed
    del connections[REPLICA]


def _writes(queries: list[dict[str, Any]]) -> list[str]:
    return [q["sql"][:160] for q in queries if WRITE.match(q["sql"])]


# --- the router ---------------------------------------------------------------------------------


def test_reads_go_to_a_replica_only_inside_a_marked_read(one_replica, db) -> None:
    router = replicas.ReplicaRouter()
    assert router.db_for_read(Household) == DEFAULT_DB_ALIAS  # no request: a task, a command
    with replicas.reading() as state:
        assert router.db_for_read(Household) == DEFAULT_DB_ALIAS  # an unmarked view
        state.replica_ok = True
        assert router.db_for_read(Household) == REPLICA
        assert router.db_for_read(ApiToken) == REPLICA
        from django.contrib.sessions.models import Session

        assert router.db_for_read(Session) == DEFAULT_DB_ALIAS  # the login session: always the primary
        with transaction.atomic():
            assert router.db_for_read(Household) == DEFAULT_DB_ALIAS  # a transaction reads what it writes
        assert router.db_for_read(Household) == REPLICA
        assert router.db_for_write(Household) == DEFAULT_DB_ALIAS
        assert state.wrote
        assert router.db_for_read(Household) == DEFAULT_DB_ALIAS  # the rest of a request that wrote
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "registry")
    assert not router.allow_migrate(REPLICA, "registry")


def test_no_usable_replica_means_the_primary(settings, monkeypatch, db) -> None:
    settings.BANGFU_REPLICA_ALIASES = [REPLICA]
    monkeypatch.setattr(replicas, "usable_replicas", lambda: [])
    with replicas.reading(replicas.Reading(replica_ok=True)) as state:
        assert replicas.ReplicaRouter().db_for_read(Household) == DEFAULT_DB_ALIAS
        assert state.alias == ""  # decided once per request


def test_a_replica_failure_is_retried_only_when_nothing_was_written() -> None:
    from django.db import OperationalError, ProgrammingError

    state = replicas.Reading(replica_ok=True, alias=REPLICA)
    assert replicas.may_retry(state, OperationalError("server closed the connection unexpectedly"))
    assert not replicas.may_retry(state, ProgrammingError("a bug is not a dead replica"))
    assert not replicas.may_retry(replicas.Reading(replica_ok=True, alias=""), OperationalError())
    assert not replicas.may_retry(replicas.Reading(replica_ok=True, alias=REPLICA, wrote=True), OperationalError())
    assert not replicas.may_retry(replicas.Reading(replica_ok=True, alias=REPLICA, retried=True), OperationalError())


def test_the_marked_views_are_the_lists_dashboards_reports_and_exports() -> None:
    from bangfu.api import api

    pages = {}

    def walk(resolver: URLResolver, prefix: str) -> None:
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                walk(p, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                pages[prefix + str(p.pattern)] = replicas.is_replica_ok(p.callback)

    walk(get_resolver(), "")
    for marked in ["", "reports/", "registry/households/", "registry/households/export.xlsx", "monitoring/", "cases/"]:
        assert pages[marked], marked
    for unmarked in ["registry/households/<int:pk>/", "registry/households/<int:pk>/edit/", "jobs/"]:
        assert not pages[unmarked], unmarked
    ops = {
        bound.prefix + path + ":" + m: replicas.is_replica_ok(op.view_func)
        for bound in api._get_bound_routers()
        for path, view in bound.path_operations.items()
        for op in view.operations
        for m in op.methods
    }
    marked_ops = {k for k, v in ops.items() if v}
    assert all(k.endswith(":GET") for k in marked_ops), "only reads may be marked"
    assert any("/households" in k for k in marked_ops)
    assert not any(k.endswith("/households/{pk}:GET") for k in marked_ops)  # one household: the primary


# --- read-your-writes -----------------------------------------------------------------------------


def test_a_write_sets_the_read_your_writes_cookie_and_it_keeps_reads_on_the_primary(
    one_replica, world, client_for, settings
) -> None:
    settings.BANGFU_READ_YOUR_WRITES_SECONDS = 30
    routed = one_replica
    c = client_for(world.county)
    r = c.get("/registry/households/")
    assert r.status_code == 200 and replicas.COOKIE not in r.cookies  # a read marks nothing
    assert REPLICA in routed
    routed.clear()
    assert c.get(f"/registry/households/{world.households['h1'].pk}/").status_code == 200
    assert routed and set(routed) == {DEFAULT_DB_ALIAS}  # one household: not a marked view
    r = c.post("/accounts/me/tokens/", {"name": "写入 a write"})
    assert r.status_code in (200, 302) and ApiToken.objects.filter(user=world.county).exists()
    assert replicas.COOKIE in r.cookies and r.cookies[replicas.COOKIE]["max-age"] == 30
    routed.clear()
    request = c.get("/registry/households/").wsgi_request
    assert replicas.recent_writer(request)
    assert routed and set(routed) == {DEFAULT_DB_ALIAS}  # this user's reads stay on the primary
    forged = client_for(world.t1)
    forged.cookies[replicas.COOKIE] = "1"  # not signed by us: ignored
    routed.clear()
    assert not replicas.recent_writer(forged.get("/registry/households/").wsgi_request)
    assert REPLICA in routed


def test_a_token_that_wrote_keeps_its_reads_on_the_primary(one_replica, world, api_for, settings) -> None:
    settings.BANGFU_READ_YOUR_WRITES_SECONDS = 30
    routed = one_replica
    client = api_for(world.county)
    token = ApiToken.objects.get(user=world.county)
    h = world.households["h1"]
    assert client.get("/api/v1/registry/households").status_code == 200
    assert REPLICA in routed
    token.refresh_from_db()
    assert token.last_write is None
    body = {"address": "新地址 2 号", "reason": "搬家"}
    r = client.patch(f"/api/v1/registry/households/{h.pk}", body, content_type="application/json")
    assert r.status_code == 200, r.content
    token.refresh_from_db()
    assert token.last_write is not None and replicas.wrote_recently(token.last_write)
    client.cookies.clear()  # a client that keeps no cookies: the token itself carries the mark
    routed.clear()
    assert client.get("/api/v1/registry/households").status_code == 200
    assert routed and set(routed) == {DEFAULT_DB_ALIAS}
    token.last_write = timezone.now() - dt.timedelta(seconds=31)
    assert not replicas.wrote_recently(token.last_write)


# --- no write on a read path ---------------------------------------------------------------------


def _replica_ok_pages() -> list[str]:
    out = []

    def walk(resolver: URLResolver, prefix: str) -> None:
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                walk(p, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and replicas.is_replica_ok(p.callback) and "<" not in str(p.pattern):
                out.append("/" + prefix + str(p.pattern))

    walk(get_resolver(), "")
    return out


def _replica_ok_api(household: int) -> list[str]:
    from bangfu.api import api

    out = []
    for bound in api._get_bound_routers():
        for path, view in bound.path_operations.items():
            for op in view.operations:
                if replicas.is_replica_ok(op.view_func) and "GET" in op.methods:
                    parts = [x.strip("/") for x in (bound.prefix, path) if x.strip("/")]
                    url = "/api/v1/" + "/".join(parts)
                    if url.startswith("/api/v1/registry/households/{pk}"):
                        url = url.replace("{pk}", str(household))
                    if "{" not in url:
                        out.append(url)
    return out


def test_marked_reads_write_nothing(world, client_for, api_for, settings) -> None:
    """Every marked page and API read (those without other path parameters), twice, as the county
    administrator: no INSERT, UPDATE or DELETE. Once a token was used, reading with it writes nothing
    for BANGFU_TOKEN_TOUCH_SECONDS (with replicas configured, reading from one never writes)."""
    page, api = client_for(world.county), api_for(world.county)
    urls = _replica_ok_pages() + _replica_ok_api(world.households["h1"].pk)
    assert len(urls) > 30
    api.get("/api/v1/accounts/me")  # the token's first use is recorded once (not a marked read)
    answered = 0
    for url in urls:
        for _ in range(2):
            with CaptureQueriesContext(connection) as q:
                r = (api if url.startswith("/api/") else page).get(url)
            assert r.status_code in (200, 422), (url, r.status_code)  # 422: a required filter not given
            assert not _writes(q.captured_queries), url
            answered += r.status_code == 200
    assert answered > 60


def test_the_token_use_is_recorded_at_most_once_per_interval(world, api_for, settings) -> None:
    settings.BANGFU_TOKEN_TOUCH_SECONDS = 600
    client = api_for(world.county)
    token = ApiToken.objects.get(user=world.county)
    with CaptureQueriesContext(connection) as q:
        client.get("/api/v1/accounts/me")
        client.get("/api/v1/accounts/me")
        client.get("/api/v1/registry/households")
    assert len(_writes(q.captured_queries)) == 1  # the first use only
    token.refresh_from_db()
    first = token.last_used
    assert first is not None
    ApiToken.objects.filter(pk=token.pk).update(last_used=first - dt.timedelta(seconds=601))
    with CaptureQueriesContext(connection) as q:
        client.get("/api/v1/accounts/me")
    assert len(_writes(q.captured_queries)) == 1
    token.refresh_from_db()
    assert token.last_used is not None and token.last_used > first - dt.timedelta(seconds=601)


def test_a_replica_read_never_records_the_token(one_replica, world, api_for, settings) -> None:
    client = api_for(world.county)
    token = ApiToken.objects.get(user=world.county)
    with CaptureQueriesContext(connection) as q:
        assert client.get("/api/v1/registry/households").status_code == 200
    assert not _writes(q.captured_queries)
    assert REPLICA in one_replica
    token.refresh_from_db()
    assert token.last_used is None
    client.get("/api/v1/accounts/me")  # not a replica read: recorded
    token.refresh_from_db()
    assert token.last_used is not None


# --- settings -------------------------------------------------------------------------------------


def _settings_error(**env: str) -> str:
    run = subprocess.run(
        [sys.executable, "-c", "import bangfu.settings"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode != 0
    return run.stderr


def test_replicas_need_postgresql_and_a_long_enough_read_your_writes_window(tmp_path) -> None:
    var = str(tmp_path)
    err = _settings_error(BANGFU_VAR=var, DATABASE_URL="sqlite:///x.db", DATABASE_REPLICA_URLS="postgres://h/db")
    assert "SQLite" in err and "需要 PostgreSQL" in err
    err = _settings_error(
        BANGFU_VAR=var,
        DATABASE_URL="postgres://h/db",
        DATABASE_REPLICA_URLS="postgres://r/db",
        BANGFU_REPLICA_MAX_LAG="30",
        BANGFU_READ_YOUR_WRITES_SECONDS="10",
    )
    assert "BANGFU_READ_YOUR_WRITES_SECONDS" in err and "at least" in err


def _options(tmp_path, **env: str) -> str:
    out = subprocess.run(
        [sys.executable, "-c", "from bangfu import settings as s; print(s.DATABASES['default']['OPTIONS'])"],
        env={**os.environ, "BANGFU_VAR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_connections_turn_postgresql_jit_off_unless_told_to_keep_the_servers_setting(tmp_path) -> None:
    assert "'options': '-c jit=off'" in _options(tmp_path, DATABASE_URL="postgres://h/db")
    kept = _options(tmp_path, DATABASE_URL="postgres://h/db?options=-c%20search_path%3Dbangfu")
    assert "'options': '-c search_path=bangfu -c jit=off'" in kept  # the URL's own options are kept
    assert "jit" not in _options(tmp_path, DATABASE_URL="postgres://h/db", BANGFU_DB_JIT="server")
    assert "jit" not in _options(tmp_path, DATABASE_URL="sqlite:///x.db")
    err = _settings_error(BANGFU_VAR=str(tmp_path), DATABASE_URL="postgres://h/db", BANGFU_DB_JIT="no")
    assert "BANGFU_DB_JIT" in err and "应为 off" in err and "must be off" in err


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's JIT")
def test_the_connection_runs_without_jit(db) -> None:
    with connection.cursor() as cur:
        cur.execute("SHOW jit")
        assert cur.fetchone()[0] == "off"


def test_the_prepared_statement_threshold_is_a_number_or_off(tmp_path) -> None:
    err = _settings_error(BANGFU_VAR=str(tmp_path), DATABASE_URL="postgres://h/db", BANGFU_DB_PREPARE_THRESHOLD="few")
    assert "BANGFU_DB_PREPARE_THRESHOLD" in err and "非负整数" in err and "or off" in err
    out = subprocess.run(
        [sys.executable, "-c", "from bangfu import settings as s; print(s.DATABASES['default']['OPTIONS'])"],
        env={**os.environ, "BANGFU_VAR": str(tmp_path), "DATABASE_URL": "postgres://h/db"}
        | {"BANGFU_DB_PREPARE_THRESHOLD": "off"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "'server_side_binding': True, 'prepare_threshold': None" in out.stdout, out.stderr
