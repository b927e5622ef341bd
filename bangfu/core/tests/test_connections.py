"""A restarted PostgreSQL (or a failover) costs no request: kept connections are health-checked.

The Django test client switches off the per-request connection handling, so the requests here go
through the real WSGI handler, exactly as under gunicorn.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, connections
from django.test import RequestFactory

from bangfu.accounts import services as accounts

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _get(path: str, token: str) -> int:
    environ = RequestFactory().get(path, HTTP_AUTHORIZATION=f"Bearer {token}").environ
    status: list[str] = []

    def start_response(s: str, headers: Any, exc_info: Any = None) -> Any:
        status.append(s)
        return lambda data: None

    response = WSGIHandler()(environ, start_response)
    b"".join(response)
    response.close()  # request_finished: the connection is kept (CONN_MAX_AGE), as in production
    return int(status[0].split()[0])


def _terminate(pid: int) -> None:
    def run() -> None:
        try:
            with connections["default"].cursor() as cur:
                cur.execute("SELECT pg_terminate_backend(%s)", [pid])
        finally:
            connections.close_all()

    t = threading.Thread(target=run)
    t.start()
    t.join(timeout=10)


def test_a_terminated_backend_costs_no_request(world) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's pg_terminate_backend")
    token = accounts.token_create(user=world.t1, name="health")
    assert _get("/api/v1/registry/households", token) == 200
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
    _terminate(pid)  # what a database restart does to every kept connection
    assert _get("/api/v1/registry/households", token) == 200
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        assert cur.fetchone()[0] != pid
