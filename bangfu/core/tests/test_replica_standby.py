"""Read replicas against a real streaming standby of the test PostgreSQL (scripts/replica.sh, started by
scripts/test.sh, which sets BANGFU_TEST_REPLICA_URL).

Requests go through the real WSGI handler, as under gunicorn (the Django test client switches off the
per-request connection handling). The standby's replay is paused to make it visibly behind, so a read
that shows the old value came from the standby and one that shows the new value from the primary.
Nothing here waits for a fixed time: replication catch-up is polled with a generous timeout.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import psycopg
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, connections
from django.db.utils import load_backend
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from bangfu.accounts import services as accounts
from bangfu.core import replicas
from bangfu.testing import new_household

pytestmark = [pytest.mark.postgres, pytest.mark.replica, pytest.mark.django_db(transaction=True)]

URL = os.environ.get("BANGFU_TEST_REPLICA_URL", "")
ALIAS = "replica_1"
SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "replica.sh"
TIMEOUT = 180  # seconds to wait for replication on a loaded machine (a bound, never an assertion)


def _until(what: str, condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting: {what}")
        time.sleep(0.1)


def _script(command: str) -> str:
    port = str(urlparse(URL).port or 5433)
    env = {**os.environ, "BANGFU_TEST_REPLICA_PORT": port}
    run = subprocess.run(["bash", str(SCRIPT), command], env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    return run.stdout.strip()


@dataclass
class Standby:
    url: str
    primary: dict[str, Any]

    def admin(self) -> psycopg.Connection[Any]:
        u = urlparse(self.url)
        return psycopg.connect(
            host=u.hostname, port=u.port, user=u.username or "postgres", dbname="postgres", autocommit=True
        )

    def sql(self, query: str) -> Any:
        with self.admin() as conn:
            row = conn.execute(query).fetchone()
        return row[0] if row else None

    def in_recovery(self) -> bool:
        try:
            return bool(self.sql("SELECT pg_is_in_recovery()"))
        except psycopg.OperationalError:
            return False

    def pause(self) -> None:
        self.sql("SELECT pg_wal_replay_pause()")

    def resume(self) -> None:
        self.sql("SELECT pg_wal_replay_resume()")

    def caught_up(self) -> bool:
        with connections["default"].cursor() as cur:
            cur.execute("SELECT pg_current_wal_lsn()::text")
            lsn = cur.fetchone()[0]
        return bool(self.sql(f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn"))


@pytest.fixture
def standby(world, settings) -> Iterator[Standby]:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (a streaming standby of it)")
    if not URL:
        pytest.skip(
            "no streaming replica was started for this run: scripts/test.sh starts one (scripts/replica.sh start)"
            " and sets BANGFU_TEST_REPLICA_URL"
        )
    with open("/tmp/bangfu-replica.lock", "w") as lock:  # one test at a time drives the standby
        fcntl.flock(lock, fcntl.LOCK_EX)
        _script("start")  # idempotent: brings back a standby an earlier test stopped or promoted
        u = urlparse(URL)
        primary = dict(connections["default"].settings_dict)
        cfg = {
            **primary,
            "HOST": u.hostname,
            "PORT": u.port,
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {**primary.get("OPTIONS", {}), "connect_timeout": 2},
            "TEST": {"MIRROR": "default"},
        }
        # a connection made here, not a configured alias (the test case allows no other configured one)
        connections[ALIAS] = load_backend(cfg["ENGINE"]).DatabaseWrapper(cfg, ALIAS)
        settings.BANGFU_REPLICA_ALIASES = [ALIAS]
        settings.DATABASE_ROUTERS = ["bangfu.core.replicas.ReplicaRouter"]
        settings.BANGFU_REPLICA_MAX_LAG = 3600  # paused on purpose below: still in use
        settings.BANGFU_REPLICA_CHECK_SECONDS = 0  # measured at every request: no test depends on a cache
        settings.BANGFU_READ_YOUR_WRITES_SECONDS = 3600
        replicas.forget()
        s = Standby(URL, primary)
        _until("the standby replays the test data", s.caught_up)
        try:
            yield s
        finally:
            if s.in_recovery():
                s.resume()
            connections[ALIAS].close()
            del connections[ALIAS]
            replicas.forget()


def _request(method: str, path: str, *, token: str = "", cookies: dict[str, str] | None = None, body: Any = None):
    headers: dict[str, str] = {}
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    if cookies:
        headers["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    factory = RequestFactory()
    if body is None:
        environ = factory.generic(method, path, **headers).environ  # type: ignore[arg-type]
    else:
        environ = factory.generic(method, path, json.dumps(body), "application/json", **headers).environ  # type: ignore[arg-type]
    status: list[str] = []
    sent: list[tuple[str, str]] = []

    def start_response(s: str, h: Any, exc_info: Any = None) -> Any:
        status.append(s)
        sent.extend(h)
        return lambda data: None

    response = WSGIHandler()(environ, start_response)
    content = b"".join(response)
    response.close()  # request_finished: connections are kept (CONN_MAX_AGE), as in production
    set_cookies = {}
    for name, value in sent:
        if name.lower() == "set-cookie":
            k, _, v = value.split(";")[0].partition("=")
            set_cookies[k] = v
    return int(status[0].split()[0]), content, set_cookies


def _dibao(token: str, household: int, cookies: dict[str, str] | None = None) -> bool:
    status, content, _ = _request("GET", "/api/v1/registry/households?per_page=200", token=token, cookies=cookies)
    assert status == 200, content
    return next(row["dibao"] for row in json.loads(content)["items"] if row["id"] == household)


def test_marked_reads_come_from_the_standby_and_a_writer_reads_its_own_write(standby: Standby, world) -> None:
    h = world.households["h1"]
    writer, other = accounts.token_create(user=world.county, name="w"), accounts.token_create(user=world.t1, name="r")
    second = accounts.token_create(user=world.county, name="second")  # the same user, a token that never wrote
    before = _dibao(other, h.pk)
    _until("the tokens reach the standby", standby.caught_up)
    with CaptureQueriesContext(connections[ALIAS]) as on_replica:
        assert _dibao(other, h.pk) == before
    assert any("registry_household" in q["sql"] for q in on_replica.captured_queries)
    with connections[ALIAS].cursor() as cur:
        cur.execute("SELECT pg_is_in_recovery()")
        assert cur.fetchone()[0] is True  # the connection the reads used is the standby's

    standby.pause()  # from here the standby shows the old value
    status, content, cookies = _request(
        "PATCH", f"/api/v1/registry/households/{h.pk}", token=writer, body={"dibao": not before, "reason": "核实"}
    )
    assert status == 200, content
    assert replicas.COOKIE in cookies
    assert _dibao(writer, h.pk) is (not before)  # the writer's token: at once, from the primary
    assert _dibao(second, h.pk, cookies={replicas.COOKIE: cookies[replicas.COOKIE]}) is (not before)  # its cookie
    with CaptureQueriesContext(connections[ALIAS]) as on_replica:
        assert _dibao(other, h.pk) is before  # another user, a marked read: the standby, behind
        assert _dibao(second, h.pk) is before  # no cookie, a token that never wrote: the standby too
    assert on_replica.captured_queries
    standby.resume()
    _until("the standby replays the change", lambda: _dibao(other, h.pk) is (not before))


def test_a_standby_too_far_behind_is_skipped(standby: Standby, world, settings) -> None:
    h = world.households["h1"]
    other = accounts.token_create(user=world.t1, name="r")
    before = _dibao(other, h.pk)
    standby.pause()
    new_household(world.v1a, world.g1)  # the primary moves on; the standby does not
    h.dibao = not before
    h.save(update_fields=["dibao"])
    settings.BANGFU_REPLICA_MAX_LAG = 0
    health = replicas.check(ALIAS)
    assert not health.usable and "behind" in health.reason, health
    with CaptureQueriesContext(connections[ALIAS]) as on_replica:
        assert _dibao(other, h.pk) is (not before)  # from the primary
    assert not any("registry_household" in q["sql"] for q in on_replica.captured_queries)


def test_a_stopped_standby_costs_no_request(standby: Standby, world, settings, client) -> None:
    h = world.households["h1"]
    other = accounts.token_create(user=world.t1, name="r")
    client.force_login(world.t1, backend="bangfu.accounts.sessions.AccountBackend")
    session = {"sessionid": client.cookies["sessionid"].value}
    _until("the token reaches the standby", standby.caught_up)
    with CaptureQueriesContext(connections[ALIAS]) as on_replica:
        before = _dibao(other, h.pk)  # the standby serves it, and its connection is kept
    assert on_replica.captured_queries
    settings.BANGFU_REPLICA_CHECK_SECONDS = 3600  # still believed healthy: the failure hits mid-request
    _script("stop")
    assert _dibao(other, h.pk) is before  # 200, answered again from the primary
    status, content, _ = _request("GET", "/registry/households/", cookies=session)
    assert status == 200 and h.number.encode() in content
    health = replicas.check(ALIAS)
    assert not health.usable and "unreachable" in health.reason
    assert _dibao(other, h.pk) is before  # skipped without a try


def test_a_promoted_standby_takes_over_after_the_connections_restart(standby: Standby, world) -> None:
    """Failover: the standby is promoted and the primary setting points at it; the web process's kept
    connection to the old primary ends (as when the old primary goes away) and CONN_HEALTH_CHECKS
    replaces it on the next request: no failed request, nothing committed before is lost."""
    token = accounts.token_create(user=world.county, name="failover")
    late = new_household(world.v1a, world.g1)
    _until("everything committed reaches the standby", standby.caught_up)
    _script("promote")
    _until("the standby is promoted", lambda: not standby.in_recovery())
    u = urlparse(standby.url)
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        old_pid = cur.fetchone()[0]
    default = connections["default"]
    default.settings_dict["HOST"], default.settings_dict["PORT"] = u.hostname, u.port
    try:
        p = standby.primary
        with psycopg.connect(host=p["HOST"], port=p["PORT"], user=p["USER"], dbname="postgres", autocommit=True) as c:
            c.execute("SELECT pg_terminate_backend(%s)", [old_pid])
        status, content, _ = _request("GET", "/api/v1/registry/households?per_page=200", token=token)
        assert status == 200, content
        assert late.pk in {row["id"] for row in json.loads(content)["items"]}  # no data loss
        status, content, _ = _request(
            "PATCH", f"/api/v1/registry/households/{late.pk}", token=token, body={"dibao": True, "reason": "核实"}
        )
        assert status == 200, content  # the new primary takes writes
        with connection.cursor() as cur:
            cur.execute("SELECT inet_server_port(), pg_is_in_recovery()")
            assert cur.fetchone() == (u.port, False)
        assert not replicas.check(ALIAS).usable  # the promoted server is no standby any more
    finally:
        connections["default"].close()
        default.settings_dict["HOST"], default.settings_dict["PORT"] = standby.primary["HOST"], standby.primary["PORT"]
