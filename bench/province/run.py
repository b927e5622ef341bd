"""Province benchmark (issue #18): a synthetic province of N households over 40 counties on PostgreSQL.

    BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/bench_province \
        .venv/bin/python bench/province/run.py --households 5000000
    .venv/bin/python bench/province/run.py --reuse            # measure again without regenerating

Generation reuses bench/screening/generate.py (COPY straight into the project's tables) with eight
prefectures of five counties each. The measurements, each in its own child process, are listed in
README.md; every figure is printed with the ratio it is about and the machine's load.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench" / "screening")]

AS_OF = dt.date(2025, 6, 30)
PROVINCE = "450000000000"
PREFECTURES, COUNTIES_PER_PREFECTURE, TOWNSHIPS = 8, 5, 10
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_province"


def url() -> str:
    return os.environ.get("BENCH_PG_URL", DEFAULT_URL)


def setup(var: Path) -> None:
    os.environ["BANGFU_VAR"] = str(var)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    os.environ["DATABASE_URL"] = url()
    import django

    django.setup()


def areas(villages: int) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Province → 8 prefectures → 5 counties each → 10 townships → villages (codes as the real ones)."""
    rows: list[tuple[Any, ...]] = [(1, PROVINCE, "基准省", "province", None)]
    codes: list[str] = []
    counties = PREFECTURES * COUNTIES_PER_PREFECTURE
    per_township = max(1, math.ceil(villages / (counties * TOWNSHIPS)))
    nid = 2
    for p in range(1, PREFECTURES + 1):
        pref = f"{PROVINCE[:2]}{p:02d}00000000"
        pid = nid
        rows.append((pid, pref, f"基准市{p}", "prefecture", 1))
        nid += 1
        for c in range(1, COUNTIES_PER_PREFECTURE + 1):
            county = f"{pref[:4]}{c:02d}000000"
            cid = nid
            rows.append((cid, county, f"基准县{p}-{c}", "county", pid))
            nid += 1
            for t in range(1, TOWNSHIPS + 1):
                town = f"{county[:6]}{t:03d}000"
                tid = nid
                rows.append((tid, town, f"基准乡{p}-{c}-{t}", "township", cid))
                nid += 1
                for v in range(1, per_township + 1):
                    code = f"{town[:9]}{v:03d}"
                    rows.append((nid, code, f"基准村{p}-{c}-{t}-{v}", "village", tid))
                    codes.append(code)
                    nid += 1
    return codes[:villages], rows


def step_generate(households: int) -> dict[str, Any]:
    import generate
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    counts = generate.generate(
        households, AS_OF, say=lambda m: print(m, file=sys.stderr, flush=True), areas=areas, items=False
    )
    generate.seed_rules(AS_OF)
    _reset_sequences(connection)
    return {"seconds": time.perf_counter() - t, **counts}


def _reset_sequences(connection: Any) -> None:
    """COPY wrote explicit ids: move every serial sequence past them (later inserts would collide)."""
    from django.apps import apps
    from django.core.management.color import no_style

    sql = connection.ops.sequence_reset_sql(no_style(), list(apps.get_models()))
    with connection.cursor() as cur:
        for statement in sql:
            cur.execute(statement)


def step_users(households: int) -> dict[str, Any]:
    """A province auditor (dashboards), a county administrator (list page, API) and its token."""
    from django.test import Client

    from bangfu.accounts import services as accounts
    from bangfu.accounts.domain.roles import Role
    from bangfu.accounts.models import User
    from bangfu.areas.selectors import county_codes
    from bangfu.core import keys
    from bangfu.core.models import FieldKey

    # the generated ID numbers are placeholders no key decrypts: record this var's key as the
    # database's, as a first start does, so the web processes' key check passes
    FieldKey.objects.all().delete()
    FieldKey.objects.create(fingerprint=keys.fingerprint())
    county = county_codes()[0]
    User.objects.filter(username__in=["bench_province", "bench_county"]).delete()
    auditor = accounts.user_create(username="bench_province", password="bench-pass-123", display_name="省级")
    accounts.membership_grant(user=auditor, role=Role.AUDITOR, area_code=PROVINCE)
    admin = accounts.user_create(username="bench_county", password="bench-pass-123", display_name="县级")
    accounts.membership_grant(user=admin, role=Role.COUNTY_ADMIN, area_code=county)
    c = Client()
    c.force_login(admin, backend="bangfu.accounts.sessions.AccountBackend")
    from bangfu.registry.models import Household

    inside = {"village_id__gte": county[:6], "village_id__lte": county[:6] + "999999"}
    first = Household.objects.filter(**inside).order_by("pk").values_list("pk", flat=True)[0]
    return {
        "token": accounts.token_create(user=admin, name="bench"),
        "session": c.cookies["sessionid"].value,
        "county": county,
        "household": first,
    }


def _reset_screening() -> None:
    from django.db import connection

    from bangfu.core.models import BatchRun

    with connection.cursor() as cur:
        cur.execute("TRUNCATE monitoring_warningevent, monitoring_warning CASCADE")
    BatchRun.objects.filter(kind="screening").delete()


def step_screen_start(households: int, fresh: str = "1") -> dict[str, Any]:
    """The night's run: one part per county (core.batch.start); `fresh` empties the warnings first."""
    from bangfu.areas.selectors import county_codes
    from bangfu.core import batch

    if fresh == "1":
        _reset_screening()
    else:
        from bangfu.core.models import BatchRun

        BatchRun.objects.filter(kind="screening").delete()
    run, parts = batch.start("screening", AS_OF, county_codes())
    return {"run": run.pk, "parts": len(parts)}


def step_screen_worker(households: int, run_id: str) -> dict[str, Any]:
    """A `bangfu worker` taking counties: every part of the run in turn, skipping those another has."""
    from bangfu.core import batch
    from bangfu.core.models import BatchPart
    from bangfu.monitoring import tasks

    t = time.perf_counter()
    done = 0
    for pk in BatchPart.objects.filter(run_id=int(run_id)).order_by("area_code").values_list("pk", flat=True):
        done += batch.run_part(pk, tasks._screen) == BatchPart.DONE
    return {"counties": done, "seconds": time.perf_counter() - t}


def step_screen_totals(households: int, run_id: str) -> dict[str, Any]:
    from bangfu.core.models import BatchRun

    run = BatchRun.objects.get(pk=int(run_id))
    return {"finished": run.finished is not None, **(run.totals or {})}


def _refresh_counties(full: bool) -> dict[str, Any]:
    """The nightly refresh as one worker runs it: every county (incremental unless `full`), then the
    prefectures and the province."""
    from bangfu.analytics import services
    from bangfu.areas.selectors import county_codes

    t = time.perf_counter()
    villages = cells = 0
    for county in county_codes():
        run = services.indicators_refresh(
            area_code=county, as_of=AS_OF, trigger="bench", incremental=not full, above_county=False
        )
        villages, cells = villages + run.villages, cells + run.cells
    cells += services.indicators_roll_up(as_of=AS_OF)
    return {"villages": villages, "cells": cells, "seconds": time.perf_counter() - t}


def step_refresh_full(households: int) -> dict[str, Any]:
    return _refresh_counties(full=True)


def step_refresh_incremental(households: int) -> dict[str, Any]:
    return _refresh_counties(full=False)


def step_change(households: int, share: str = "0.01") -> dict[str, Any]:
    """A day's work: `share` of the households change (their 低保 flag), half the households of each
    village touched (so 2 % of the villages for 1 %), written set-wise and marked as an import marks."""
    from django.db import connection, transaction

    from bangfu.analytics import services
    from bangfu.registry.models import Household

    n = int(households * float(share))
    per_village = 125
    villages = list(Household.objects.values_list("village_id", flat=True).distinct().order_by("village_id"))
    step = max(1, len(villages) // max(1, n // per_village))
    touched = villages[::step][: max(1, n // per_village)]
    t = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cur:
            cur.execute(
                "UPDATE registry_household SET dibao = NOT dibao WHERE id IN ("
                " SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY village_id ORDER BY id) AS k"
                "  FROM registry_household WHERE village_id = ANY(%s)) s WHERE k <= %s)",
                [touched, per_village],
            )
            changed = cur.rowcount
        services.mark_changed(touched)
    return {"households": changed, "villages": len(touched), "seconds": time.perf_counter() - t}


def step_cache_digest(households: int) -> dict[str, Any]:
    """The province's and prefectures' cached figures (to compare an incremental with a full refresh)."""
    from bangfu.analytics.models import IndicatorValue

    rows = IndicatorValue.objects.filter(unit__endswith="00000000").values_list("unit", "key", "period", "value")
    return {"cells": sorted([u, k, p, str(v)] for u, k, p, v in rows)}


def step_dashboard(households: int, runs: str = "7") -> dict[str, Any]:
    import statistics

    from django.test import Client

    from bangfu.accounts.models import User
    from bangfu.areas.selectors import county_codes

    county = county_codes()[0]
    client = Client()
    client.force_login(User.objects.get(username="bench_province"), backend="bangfu.accounts.sessions.AccountBackend")
    out: dict[str, Any] = {}
    for level, url in (("province", "/"), ("city", f"/?area={county[:4]}00000000"), ("county", f"/?area={county}")):
        client.get(url)
        times = []
        for _ in range(int(runs)):
            t = time.perf_counter()
            r = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200, (url, r.status_code)
        out[level] = statistics.median(times)
    return out


def step_finish(households: int) -> dict[str, Any]:
    """After a generation cut short past its commit: migrate, the rules, the sequences, ANALYZE."""
    import generate
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    generate.seed_rules(AS_OF)
    _reset_sequences(connection)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return {"ok": True}


STEPS: dict[str, Any] = {
    "generate": step_generate,
    "finish": step_finish,
    "users": step_users,
    "screen_start": step_screen_start,
    "screen_worker": step_screen_worker,
    "screen_totals": step_screen_totals,
    "refresh_full": step_refresh_full,
    "refresh_incremental": step_refresh_incremental,
    "change": step_change,
    "digest": step_cache_digest,
    "dashboard": step_dashboard,
}


def screening(households: int, var: Path, workers: int, fresh: bool = True) -> dict[str, Any]:
    """Wall time of the night's screening with `workers` worker processes sharing the counties."""
    run = child("screen_start", households, var, "1" if fresh else "0")
    cmd = [sys.executable, __file__, "--households", str(households), "--var", str(var), "--step", "screen_worker"]
    t = time.perf_counter()
    procs = [subprocess.Popen([*cmd, str(run["run"])], stdout=subprocess.PIPE, text=True) for _ in range(workers)]
    outs = [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in procs]
    wall = time.perf_counter() - t
    totals = child("screen_totals", households, var, str(run["run"]))
    return {"seconds": wall, "per_worker": [o["counties"] for o in outs], **totals}


def child(step: str, households: int, var: Path, *extra: str) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--households", str(households), "--var", str(var), "--step", step, *extra]
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def prepare() -> None:
    import psycopg

    base, name = url().rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _requests_module() -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_requests", ROOT / "bench" / "requests" / "run.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def http_load(info: dict[str, Any], var: Path, replica: str, seconds: float, connections: int) -> dict[str, Any]:
    """The list page, the API list and one household's API GET under `connections` connections, served
    by gunicorn (bench/requests' settings) with or without DATABASE_REPLICA_URLS."""
    req = _requests_module()
    env = {**os.environ, "BANGFU_VAR": str(var), "DATABASE_URL": url(), "DJANGO_SETTINGS_MODULE": "bangfu.settings"}
    env["PYTHONPATH"] = str(ROOT)
    env.pop("DATABASE_REPLICA_URLS", None)
    if replica:
        env["DATABASE_REPLICA_URLS"] = replica
    port = req._free_port()
    server = req._serve("bangfu.wsgi:application", ROOT, port, env)
    token = {"Authorization": f"Bearer {info['token']}"}
    session = {"Cookie": f"sessionid={info['session']}"}
    targets = {
        "list page": ("/registry/households/", session),
        "API list": ("/api/v1/registry/households", token),
        "API household GET": (f"/api/v1/registry/households/{info['household']}", token),
    }
    out: dict[str, Any] = {}
    try:
        import http.client

        for path, headers in targets.values():
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", path, headers=headers)
            r = conn.getresponse()
            r.read()
            assert r.status == 200, (path, r.status)
        for name, (path, headers) in targets.items():
            out[name] = req._load(port, path, headers, connections, seconds)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return out


def replica_start() -> str:
    """A streaming standby of the bench's PostgreSQL (scripts/replica.sh) on port 5434; its URL."""
    env = {**os.environ, "BANGFU_TEST_PG_URL": url(), "BANGFU_TEST_REPLICA_PORT": "5434"}
    env["BANGFU_TEST_REPLICA_DIR"] = os.environ.get("BENCH_REPLICA_DIR", "/tmp/bangfu-bench-replica-5434")
    out = subprocess.run(
        ["bash", str(ROOT / "scripts" / "replica.sh"), "start"], env=env, check=True, stdout=subprocess.PIPE, text=True
    )
    return out.stdout.strip().splitlines()[-1].rstrip("/") + "/" + url().rsplit("/", 1)[1]


def replica_remove() -> None:
    env = {**os.environ, "BANGFU_TEST_PG_URL": url(), "BANGFU_TEST_REPLICA_PORT": "5434"}
    env["BANGFU_TEST_REPLICA_DIR"] = os.environ.get("BENCH_REPLICA_DIR", "/tmp/bangfu-bench-replica-5434")
    subprocess.run(["bash", str(ROOT / "scripts" / "replica.sh"), "remove"], env=env, check=False)


def load() -> str:
    return "load average {:.1f}, {:.1f}, {:.1f}".format(*os.getloadavg())


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--households", type=int, default=5_000_000)
    p.add_argument("--var", default=str(ROOT / "var" / "bench" / "province"))
    p.add_argument("--step", choices=list(STEPS), default=None)
    p.add_argument("--reuse", action="store_true", help="keep the generated database of a previous run")
    p.add_argument("--only-generate", action="store_true")
    p.add_argument("--parts", default="screening,refresh,dashboard,requests")
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--connections", type=int, default=16)
    p.add_argument("--no-replica", action="store_true", help="measure the requests without a standby only")
    a, extra = p.parse_known_args()
    var = Path(a.var)
    var.mkdir(parents=True, exist_ok=True)
    if a.step:
        setup(var)
        result = STEPS[a.step](a.households, *extra) if extra else STEPS[a.step](a.households)
        print(json.dumps(result, default=str))
        return
    if not a.reuse:
        prepare()
        gen = child("generate", a.households, var)
        print(
            f"generated in {gen['seconds']:.0f}s: " + ", ".join(f"{k} {v:,}" for k, v in gen.items() if k != "seconds")
        )
        if a.only_generate:
            return
    parts = set(a.parts.split(","))
    print(f"== province: {a.households:,} households, 40 counties, PostgreSQL ({load()}) ==", flush=True)
    if "screening" in parts:
        part_screening(a, var)
    if "refresh" in parts:
        part_refresh(a, var)
    info = child("users", a.households, var) if parts & {"dashboard", "requests"} else {}
    if "dashboard" in parts:
        part_dashboard(a, var, info)
    if "requests" in parts:
        part_requests(a, var, info)


def part_screening(a: argparse.Namespace, var: Path) -> None:
    one = screening(a.households, var, 1)
    print(
        f"nightly screening, 1 worker:  {one['seconds']:7.1f} s  {one.get('households', 0):,.0f} households, "
        f"{one.get('new', 0):,.0f} new warnings  ({load()})",
        flush=True,
    )
    two = screening(a.households, var, 2)
    print(
        f"nightly screening, 2 workers: {two['seconds']:7.1f} s  counties per worker {two['per_worker']}  "
        f"ratio 1/2 workers = {one['seconds'] / two['seconds']:.2f}x  ({load()})",
        flush=True,
    )
    again = screening(a.households, var, 2, fresh=False)
    print(
        f"nightly rerun (nothing new), 2 workers: {again['seconds']:7.1f} s, {again.get('new', 0):,.0f} new",
        flush=True,
    )


def part_refresh(a: argparse.Namespace, var: Path) -> None:
    full = child("refresh_full", a.households, var)
    print(
        f"indicator refresh, full (county by county + roll-up): {full['seconds']:7.1f} s, "
        f"{full['villages']:,} villages, {full['cells']:,} cells  ({load()})",
        flush=True,
    )
    change = child("change", a.households, var)
    print(f"a day's work: {change['households']:,} households changed in {change['villages']:,} villages", flush=True)
    inc = child("refresh_incremental", a.households, var)
    digest = child("digest", a.households, var)
    print(
        f"indicator refresh, incremental: {inc['seconds']:7.1f} s, {inc['villages']:,} villages recounted, "
        f"{inc['cells']:,} cells; full / incremental = {full['seconds'] / inc['seconds']:.1f}x  ({load()})",
        flush=True,
    )
    again = child("refresh_full", a.households, var)
    same = child("digest", a.households, var) == digest
    print(
        f"full refresh again: {again['seconds']:7.1f} s; province and prefecture figures equal the "
        f"incremental's: {same}",
        flush=True,
    )


def part_dashboard(a: argparse.Namespace, var: Path, info: dict[str, Any]) -> None:
    d = child("dashboard", a.households, var)
    print(
        "dashboard (median of 7): " + ", ".join(f"{k} {v:.1f} ms" for k, v in d.items()) + f"  ({load()})",
        flush=True,
    )


def part_requests(a: argparse.Namespace, var: Path, info: dict[str, Any]) -> None:
    """Primary only, then with a replica, then primary only again: the first measurement after a
    generation or a refresh meets a cold cache and the autovacuum of the new rows, so the ratio is
    taken against the better of the two primary-only runs."""
    rows = {"primary only": http_load(info, var, "", a.seconds, a.connections)}
    print(f"requests without a replica done ({load()})", flush=True)
    if not a.no_replica:
        try:
            replica = replica_start()
            rows["with a replica"] = http_load(info, var, replica, a.seconds, a.connections)
        finally:
            replica_remove()
        rows["primary only, again"] = http_load(info, var, "", a.seconds, a.connections)
    print(f"\n{a.connections} connections, {a.seconds:g} s each, gunicorn 2 sync workers  ({load()})")
    print(f"  {'':44s} {'req/s':>8s} {'p50 ms':>8s} {'p99 ms':>8s} {'errors':>6s}")
    for setting, res in rows.items():
        for name, m in res.items():
            print(f"  {setting + ', ' + name:44s} {m['rps']:8.1f} {m['p50']:8.1f} {m['p99']:8.1f} {m['errors']:6.0f}")
    if len(rows) == 3:
        for name in rows["primary only"]:
            primary = max(rows[k][name]["rps"] for k in ("primary only", "primary only, again"))
            ratio = rows["with a replica"][name]["rps"] / primary
            print(f"  ratio with / without a replica, {name}: {ratio:.2f}x")


if __name__ == "__main__":
    main()
