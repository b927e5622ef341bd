"""Screening benchmark: a synthetic province in SQLite and PostgreSQL, three ways of screening it.

    .venv/bin/python bench/screening/run.py --db sqlite --households 1000000
    .venv/bin/python bench/screening/run.py --db postgres --households 1000000

Each measurement runs in its own child process so its peak memory (ru_maxrss) is its own. See README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
AS_OF = dt.date(2025, 6, 30)  # fixed, so every run screens the same data the same way
SAMPLE = 2000


def _setup(db: str, var: Path) -> None:
    os.environ["BANGFU_VAR"] = str(var)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    if db == "postgres":
        os.environ["DATABASE_URL"] = os.environ.get(
            "BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/bench_screening"
        )
    else:
        os.environ.pop("DATABASE_URL", None)
    sys.path[:0] = [str(ROOT), str(HERE)]
    import django

    django.setup()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def step_generate(households: int) -> dict[str, object]:
    import generate
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    counts = generate.generate(households, AS_OF, say=lambda m: print(m, file=sys.stderr))
    generate.seed_rules(AS_OF)
    return {"seconds": time.perf_counter() - t, **counts}


def step_screen() -> dict[str, object]:
    """End to end: read from the database, evaluate, write the warnings (first run: all new)."""
    from django.db import connection

    from bangfu.monitoring import services
    from bangfu.monitoring.models import Warning

    if connection.vendor == "postgresql":  # a bench table of 10^5 rows: emptied, not deleted row by row
        with connection.cursor() as cur:
            cur.execute(f"TRUNCATE {Warning._meta.db_table} CASCADE")
    else:
        Warning.objects.all().delete()
    t = time.perf_counter()
    run = services.screen(
        area_code="", as_of=AS_OF, trigger="bench", progress=lambda m: print("   ", m, file=sys.stderr)
    )
    first = time.perf_counter() - t
    t = time.perf_counter()
    again = services.screen(area_code="", as_of=AS_OF, trigger="bench")
    return {
        "households": run.households,
        "hits": run.hits,
        "new": run.new_warnings,
        "seconds": first,
        "steady_seconds": time.perf_counter() - t,
        "steady_new": again.new_warnings,
    }


def step_eval_only() -> dict[str, object]:
    """Read + evaluate, no write: the part comparable with the hand-written query."""
    from bangfu.monitoring import engine, services

    t = time.perf_counter()
    sel = engine.Selection()
    forces = services.in_force(services._villages(sel), AS_OF)
    used = engine.facts_used(f.definition for f in forces.values())
    hits = engine.compute_hits(engine.load(sel, AS_OF, {"rolling_12m"}, facts=used), AS_OF, forces)
    return {"hits": hits.num_rows, "seconds": time.perf_counter() - t}


def _baseline_sql(year: int, start: dt.date) -> str:
    return f"""
    WITH s1 AS (SELECT household_id, per_capita AS pc, net_income AS net FROM registry_incomestatement
                WHERE year = {year}),
         s0 AS (SELECT household_id, per_capita AS pc FROM registry_incomestatement WHERE year = {year - 1}),
         ev AS (SELECT household_id,
                  SUM(CASE WHEN kind = 'medical' THEN amount ELSE 0 END) AS med,
                  SUM(CASE WHEN kind = 'school' THEN amount ELSE 0 END) AS school,
                  SUM(CASE WHEN kind = 'disaster' THEN amount ELSE 0 END) AS loss
                FROM monitoring_feedrow WHERE event_date >= '{start}' AND event_date <= '{AS_OF}'
                GROUP BY household_id)
    SELECT h.id,
      CASE WHEN s1.pc < 6000 THEN 1 ELSE 0 END,
      CASE WHEN ev.med > 10000 OR (s1.net > 0 AND ev.med > 0.5 * s1.net) THEN 1 ELSE 0 END,
      CASE WHEN ev.school > 8000 THEN 1 ELSE 0 END,
      CASE WHEN ev.loss > 10000 THEN 1 ELSE 0 END,
      CASE WHEN s0.pc > 0 AND s1.pc - s0.pc < -0.3 * s0.pc THEN 1 ELSE 0 END
    FROM registry_household h
    LEFT JOIN s1 ON s1.household_id = h.id LEFT JOIN s0 ON s0.household_id = h.id
    LEFT JOIN ev ON ev.household_id = h.id
    WHERE h.status = '正常' AND (s1.pc < 6000 OR ev.med > 10000 OR (s1.net > 0 AND ev.med > 0.5 * s1.net)
      OR ev.school > 8000 OR ev.loss > 10000 OR (s0.pc > 0 AND s1.pc - s0.pc < -0.3 * s0.pc))"""


def step_sql() -> dict[str, object]:
    """The same five default rules as one hand-written query, in the same database."""
    from django.db import connection

    from bangfu.rules.domain.windows import window_for

    w = window_for("rolling_12m", AS_OF)
    t = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(_baseline_sql(w.income_year, w.start))
        rows = cur.fetchall()
    hits = sum(sum(r[1:]) for r in rows)
    with connection.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM registry_household")
        n = cur.fetchone()[0]
    return {"households": n, "hits": hits, "seconds": time.perf_counter() - t}


def step_orm() -> dict[str, object]:
    """A per-household loop with the ORM (the single-household path) on a sample."""
    import random

    from django.apps import apps

    from bangfu.monitoring import services

    ids = list(apps.get_model("registry", "Household").objects.values_list("pk", flat=True)[: SAMPLE * 50])
    sample = random.Random(1).sample(ids, min(SAMPLE, len(ids)))
    t = time.perf_counter()
    hits = sum(len(services.single_hits(hid, AS_OF)[0]) for hid in sample)
    return {"households": len(sample), "hits": hits, "seconds": time.perf_counter() - t}


STEPS = {"generate": step_generate, "screen": step_screen, "eval": step_eval_only, "sql": step_sql, "orm": step_orm}


def _child(db: str, step: str, households: int, var: Path) -> dict[str, object]:
    """`var` is the database's own directory (…/sqlite or …/postgres); the child appends the db name."""
    cmd = [
        sys.executable,
        __file__,
        "--db",
        db,
        "--households",
        str(households),
        "--var",
        str(var.parent),
        "--step",
        step,
    ]
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def _prepare(db: str, var: Path) -> None:
    var.mkdir(parents=True, exist_ok=True)
    if db == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            (var / f"bangfu.sqlite3{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    url = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/bench_screening")
    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    p.add_argument("--households", type=int, default=1_000_000)
    p.add_argument("--var", default=str(ROOT / "var" / "bench"))
    p.add_argument("--step", choices=list(STEPS), default=None)
    p.add_argument("--reuse", action="store_true", help="keep the generated database of a previous run")
    p.add_argument("--skip-orm", action="store_true", help="leave out the per-household ORM loop (minutes)")
    a = p.parse_args()
    var = Path(a.var) / a.db
    if a.step:
        _setup(a.db, var)
        result = STEPS[a.step](a.households) if a.step == "generate" else STEPS[a.step]()  # type: ignore[operator]
        print(json.dumps({**result, "peak_mb": round(_peak_mb())}))
        return
    if not a.reuse:
        _prepare(a.db, var)
        gen = _child(a.db, "generate", a.households, var)
        print(
            f"generated in {gen['seconds']:.0f}s: "
            + ", ".join(f"{k} {v:,}" for k, v in gen.items() if k not in ("seconds", "peak_mb"))
        )
    steps = ("screen", "eval", "sql") if a.skip_orm else ("screen", "eval", "sql", "orm")
    res = {s: _child(a.db, s, a.households, var) for s in steps}
    res.setdefault("orm", {"households": 1, "seconds": float("nan")})
    _report(a.db, res)


def _report(db: str, res: dict[str, dict[str, object]]) -> None:
    n = float(res["screen"]["households"])  # type: ignore[arg-type]

    def rate(r: dict[str, object], count: float | None = None) -> float:
        return (count if count is not None else float(r["households"])) / float(r["seconds"])  # type: ignore[arg-type]

    e2e, ev, sql, orm = rate(res["screen"]), rate(res["eval"], n), rate(res["sql"]), rate(res["orm"])
    steady = n / float(res["screen"]["steady_seconds"])  # type: ignore[arg-type]
    print(f"\n== {db}: {int(n):,} households, as of {AS_OF} ==")
    print(
        f"end to end, first run (read, evaluate, write {res['screen']['new']:,} warnings): "
        f"{float(res['screen']['seconds']):6.2f}s {e2e:12,.0f} households/s  peak {res['screen']['peak_mb']} MB"
    )
    print(
        f"end to end, nightly rerun (no new warnings):            {float(res['screen']['steady_seconds']):6.2f}s "
        f"{steady:12,.0f} households/s"
    )
    print(
        f"read + evaluate only (DuckDB over Arrow):                 {float(res['eval']['seconds']):6.2f}s "
        f"{ev:12,.0f} households/s  peak {res['eval']['peak_mb']} MB"
    )
    print(
        f"hand-written SQL, one query ({res['sql']['hits']:,} rule hits):            "
        f"{float(res['sql']['seconds']):6.2f}s "
        f"{sql:12,.0f} households/s  peak {res['sql']['peak_mb']} MB"
    )
    print(
        f"per-household ORM loop, {res['orm']['households']:,} sample:                 "
        f"{float(res['orm']['seconds']):6.2f}s {orm:12,.0f} households/s"
    )
    print(
        f"ratios: end-to-end / SQL = {e2e / sql:.2f}x, rerun / SQL = {steady / sql:.2f}x, "
        f"eval / SQL = {ev / sql:.2f}x, end-to-end / ORM = {e2e / orm:,.0f}x"
    )
    print(f"rule hits: engine {res['screen']['hits']:,} vs SQL {res['sql']['hits']:,}")


if __name__ == "__main__":
    main()
