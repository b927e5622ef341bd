"""Requests per second of Bangfu beside a minimal Django project, in one run, on the same gunicorn settings.

    .venv/bin/python bench/requests/run.py [--households 2000] [--seconds 15] [--connections 16,32]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_requests .venv/bin/python bench/requests/run.py

Builds the test county (bangfu.testing.world) plus `--households` households in a fresh database
(SQLite in a temporary directory, or the PostgreSQL database of DATABASE_URL, which is emptied first),
generates a project with `django-admin startproject` in a temporary directory (default middleware)
whose one view reads one household row from the same database and returns JSON (MINI_VIEW below is
all that is added), starts both under gunicorn with the same settings, and drives each with a
keep-alive HTTP load generator (Python, two processes) at each connection count:

- the household API GET (`/api/v1/registry/households/{pk}`, Bearer token of the county administrator)
- the household list page (`/registry/households/`, logged-in session)
- the dashboard (`/`, logged-in session)
- the shared layout alone (`base.html` with nothing in it, logged-in session): a page added for the
  benchmark only, the ceiling of every page
- the minimal project's one-row JSON view

It prints req/s, p50 and p99 latency and each endpoint's ratio to the minimal project, then a profile
of one household API GET (queries, and where the time goes by layer).
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing as mp
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

GUNICORN = ["--workers", "2", "--worker-class", "sync", "--timeout", "120", "--log-level", "warning"]

MINI_VIEW = """
import json
from django.db import connection
from django.http import HttpResponse
from django.urls import path


def row(request, pk):
    with connection.cursor() as cur:
        cur.execute("SELECT id, number, head_name, size FROM registry_household WHERE id = %s", [pk])
        r = cur.fetchone()
    body = {"id": r[0], "number": r[1], "head_name": r[2], "size": r[3]}
    return HttpResponse(json.dumps(body, ensure_ascii=False), content_type="application/json")


urlpatterns += [path("row/<int:pk>", row)]
"""

# Bangfu served with one page added: the shared layout (base.html: navigation, breadcrumbs, the user's
# menu) and nothing in it, for a logged-in user. Every page is drawn on it, so what it reaches is the
# ceiling of any page in the same run (bench/requests/README.md).
LAYOUT_SETTINGS = """
from bangfu.settings import *  # noqa: F403

ROOT_URLCONF = "bench_layout_urls"
"""
LAYOUT_URLS = """
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from bangfu.urls import urlpatterns as bangfu


@login_required
def layout(request):
    return render(request, "base.html", {})


urlpatterns = [path("bench/layout/", layout), *bangfu]
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _setup(households: int, var: Path) -> dict[str, Any]:
    os.environ["BANGFU_VAR"] = str(var)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{var / 'bench.sqlite3'}")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bangfu.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)
    from django.test import Client

    from bangfu.accounts import services as accounts
    from bangfu.testing import new_household, world

    w = world()
    t0 = time.perf_counter()
    for i in range(households):
        new_household(w.v1a if i % 2 else w.v1b, w.g1 if i % 2 else None)
    print(f"built {households} households in {time.perf_counter() - t0:.1f} s ({connection.vendor})")
    c = Client()
    c.force_login(w.county, backend="bangfu.accounts.sessions.AccountBackend")
    return {
        "token": accounts.token_create(user=w.county, name="bench"),
        "session": c.cookies["sessionid"].value,
        "household": w.households["h1"].pk,
        "database_url": os.environ["DATABASE_URL"],
    }


def _mini_project(tmp: Path, database_url: str) -> Path:
    subprocess.run(
        [sys.executable, "-m", "django", "startproject", "mini", str(tmp)],
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": ""},
    )
    settings = tmp / "mini" / "settings.py"
    settings.write_text(
        settings.read_text()
        + "\nimport dj_database_url\n"
        + f"DATABASES = {{'default': dj_database_url.parse({database_url!r}, conn_max_age=60,"
        + " conn_health_checks=True)}\n"
        + "ALLOWED_HOSTS = ['*']\nDEBUG = False\n"
    )
    urls = tmp / "mini" / "urls.py"
    urls.write_text(urls.read_text() + MINI_VIEW)
    return tmp


def _serve(app: str, cwd: Path, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}", *GUNICORN]
    proc = subprocess.Popen(cmd, cwd=cwd, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"gunicorn {app} did not start on port {port}")


def _client(args: tuple[int, str, dict[str, str], int, float, mp.Queue[Any]]) -> None:
    port, path, headers, threads, seconds, out = args
    import threading

    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def run() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        bad = 0
        while time.monotonic() < stop:
            t = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                r = conn.getresponse()
                r.read()
                if r.status != 200:
                    bad += 1
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            mine.append(time.perf_counter() - t)
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    ts = [threading.Thread(target=run) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    out.put((latencies, errors[0]))


def _load(port: int, path: str, headers: dict[str, str], connections: int, seconds: float) -> dict[str, float]:
    procs = 2
    q: mp.Queue[Any] = mp.Queue()
    workers = [
        mp.Process(target=_client, args=((port, path, headers, connections // procs, seconds, q),))
        for _ in range(procs)
    ]
    for p in workers:
        p.start()
    latencies: list[float] = []
    errors = 0
    for _ in workers:
        lat, err = q.get()
        latencies.extend(lat)
        errors += err
    for p in workers:
        p.join()
    latencies.sort()
    n = len(latencies)
    return {
        "rps": n / seconds,
        "p50": latencies[n // 2] * 1000 if n else 0.0,
        "p99": latencies[min(n - 1, int(n * 0.99))] * 1000 if n else 0.0,
        "errors": errors,
    }


def _profile(info: dict[str, Any]) -> None:
    """One household API GET through the Django test client: queries, and time by layer."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Bearer {info['token']}")
    url = f"/api/v1/registry/households/{info['household']}"
    client.get(url)
    with CaptureQueriesContext(connection) as q:
        assert client.get(url).status_code == 200
    print(f"\nprofile of GET {url}: {len(q.captured_queries)} queries")
    for x in q.captured_queries:
        print("   ", x["sql"][:150])
    n = 300
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    for _ in range(n):
        client.get(url)
    prof.disable()
    per = (time.perf_counter() - t0) / n * 1000
    c0 = time.process_time()
    for _ in range(n):
        client.get(url)
    print(f"  {(time.process_time() - c0) / n * 1000:.2f} ms CPU per request in-process (test client, profiler off)")
    print(f"  {per:.2f} ms per request in-process (test client, profiler on)")
    stats = pstats.Stats(prof)
    layers = {
        "authentication (token)": "token_by_raw",
        "scope (scope_for)": "scope_for",
        "view (household_get …)": "household_get",
        "serialisation (_result_to_response)": "_result_to_response",
        "SQL compile": "as_sql",
        "SQL execute (driver)": "execute",
    }
    total = sum(v[3] for k, v in stats.stats.items() if k[2] == "get" and "client.py" in k[0]) or 1  # type: ignore[attr-defined]
    for label, fn in layers.items():
        cum = max((v[3] for k, v in stats.stats.items() if k[2] == fn), default=0.0)  # type: ignore[attr-defined]
        print(f"  {label:40s} {cum / n * 1000:6.2f} ms  ({cum / total:4.0%})")
    _profile_pages(info)


def _profile_pages(info: dict[str, Any]) -> None:
    """The session pages: queries, CPU per request (profiler off), and their share of template rendering."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.cookies["sessionid"] = info["session"]
    for url in ("/registry/households/", "/"):
        client.get(url)
        with CaptureQueriesContext(connection) as q:
            assert client.get(url).status_code == 200
        sql = [x["sql"] for x in q.captured_queries]  # now: the next request empties the log
        n = 100
        c0 = time.process_time()
        for _ in range(n):
            client.get(url)
        cpu = (time.process_time() - c0) / n * 1000
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(n):
            client.get(url)
        prof.disable()
        stats = pstats.Stats(prof).stats  # type: ignore[attr-defined]
        total = sum(v[3] for k, v in stats.items() if k[2] == "get" and "client.py" in k[0]) or 1
        share = {
            "template rendering": max((v[3] for k, v in stats.items() if k[2] == "render_to_string"), default=0.0),
            "SQL compile": max((v[3] for k, v in stats.items() if k[2] == "as_sql"), default=0.0),
            "SQL execute (driver)": max((v[3] for k, v in stats.items() if k[2] == "execute"), default=0.0),
        }
        print(f"\nprofile of GET {url}: {len(sql)} queries, {cpu:.2f} ms CPU per request (profiler off)")
        for x in sql:
            print("   ", x[:150])
        for label, cum in share.items():
            print(f"  {label:40s} {cum / total:4.0%}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=2000)
    ap.add_argument("--seconds", type=float, default=15)
    ap.add_argument("--connections", default="16,32")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bangfu-bench-requests-"))
    var = tmp / "var"
    var.mkdir()
    info = _setup(a.households, var)
    mini = _mini_project(tmp / "mini", info["database_url"])
    (tmp / "bench_layout_settings.py").write_text(LAYOUT_SETTINGS)
    (tmp / "bench_layout_urls.py").write_text(LAYOUT_URLS)
    env = {**os.environ, "BANGFU_VAR": str(var), "DATABASE_URL": info["database_url"], "DJANGO_SETTINGS_MODULE": ""}
    bangfu_env = {**env, "DJANGO_SETTINGS_MODULE": "bench_layout_settings", "PYTHONPATH": f"{ROOT}:{tmp}"}
    mini_env = {**env, "DJANGO_SETTINGS_MODULE": "mini.settings", "PYTHONPATH": str(mini)}
    ports = {"bangfu": _free_port(), "mini": _free_port()}
    servers = [
        _serve("bangfu.wsgi:application", ROOT, ports["bangfu"], bangfu_env),
        _serve("mini.wsgi:application", mini, ports["mini"], mini_env),
    ]
    try:
        token = {"Authorization": f"Bearer {info['token']}"}
        session = {"Cookie": f"sessionid={info['session']}"}
        hh = info["household"]
        targets = [
            ("minimal Django (startproject, 1 row JSON)", "mini", f"/row/{hh}", {}),
            ("household API GET", "bangfu", f"/api/v1/registry/households/{hh}", token),
            ("household list page", "bangfu", "/registry/households/", session),
            ("dashboard", "bangfu", "/", session),
            ("the layout alone, logged in (every page's ceiling)", "bangfu", "/bench/layout/", session),
        ]
        for name, app, path, headers in targets:  # warm up, and check every target answers 200
            conn = http.client.HTTPConnection("127.0.0.1", ports[app], timeout=30)
            conn.request("GET", path, headers=headers)
            r = conn.getresponse()
            r.read()
            assert r.status == 200, (name, r.status)
        print(f"\ngunicorn {' '.join(GUNICORN)}; {a.seconds:g} s per measurement; load {os.getloadavg()[0]:.1f}")
        for conns in [int(x) for x in a.connections.split(",")]:
            print(f"\n{conns} connections:")
            print(f"  {'':52s} {'req/s':>8s} {'ratio':>6s} {'p50 ms':>8s} {'p99 ms':>8s} {'errors':>6s}")
            base = None
            for name, app, path, headers in targets:
                m = _load(ports[app], path, headers, conns, a.seconds)
                base = base or m["rps"]
                ratio = m["rps"] / base
                print(f"  {name:52s} {m['rps']:8.0f} {ratio:6.2f} {m['p50']:8.1f} {m['p99']:8.1f} {m['errors']:6.0f}")
        print(f"(load average after: {os.getloadavg()[0]:.1f})")
    finally:
        for s in servers:
            s.send_signal(signal.SIGTERM)
        for s in servers:
            s.wait(timeout=30)
    _profile(info)
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
