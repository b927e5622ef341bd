"""Dashboard benchmark: a province of N households, the batch indicator refresh, and the dashboard's
response time at province, county and township level.

Households are bulk-inserted straight into the registry table (no members: the indicators read the
household rows and their `size`), spread over 10 counties × 15 townships × 20 villages with a
realistic mix of flags (about 5 % monitored, a third of them with the risk eliminated).
Uses a fresh SQLite file unless DATABASE_URL is set.

    .venv/bin/python bench/dashboard/run.py [--households 1000000] [--runs 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

PROVINCE, PREFECTURE = "510000000000", "511100000000"
COUNTIES, TOWNSHIPS, VILLAGES = 10, 15, 20
TYPES = ["脱贫不稳定户", "边缘易致贫户", "突发严重困难户"]


def _setup_database() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bangfu-bench-dashboard-"))
    os.environ.setdefault("BANGFU_VAR", str(tmp))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _province() -> tuple[list[str], list[str], list[str]]:
    """Areas through the areas service; returns county, township and village codes."""
    from bangfu.areas import services as areas

    areas.area_create(code=PROVINCE, name="四川省", parent_code=None)
    areas.area_create(code=PREFECTURE, name="乐山市", parent_code=PROVINCE)
    counties, towns, villages = [], [], []
    for c in range(COUNTIES):
        county = f"5111{c + 11:02d}000000"
        areas.area_create(code=county, name=f"第{c + 1}县", parent_code=PREFECTURE)
        counties.append(county)
        for t in range(TOWNSHIPS):
            town = f"{county[:6]}{100 + t:03d}000"
            areas.area_create(code=town, name=f"第{c + 1}县{t + 1}乡", parent_code=county)
            towns.append(town)
            for v in range(VILLAGES):
                code = f"{town[:9]}{201 + v:03d}"
                areas.area_create(code=code, name=f"{t + 1}乡{v + 1}村", parent_code=town)
                villages.append(code)
    return counties, towns, villages


def _household(model: type, n: int, village: str, rng: random.Random, today: dt.date) -> object:
    monitored = rng.random() < 0.05
    since = today - dt.timedelta(days=rng.randint(30, 900)) if monitored else None
    eliminated = since + dt.timedelta(days=rng.randint(180, 600)) if since and rng.random() < 0.35 else None
    return model(
        number=f"{village[:6]}{n:010d}",
        village_id=village,
        head_name="户主",
        size=rng.choice([1, 2, 3, 3, 4, 4, 5, 6]),
        poverty_exited=rng.random() < 0.3,
        exit_year=rng.choice([2016, 2017, 2018, 2019, 2020]),
        monitoring_type=rng.choice(TYPES) if monitored else "",
        monitoring_since=since,
        risk_eliminated_on=eliminated if eliminated and eliminated <= today else None,
        dibao=rng.random() < 0.08,
        tekun=rng.random() < 0.01,
        relocated=rng.random() < 0.06,
        no_labour=rng.random() < 0.03,
    )


def _households(total: int, villages: list[str]) -> float:
    from django.apps import apps
    from django.utils import timezone

    model = apps.get_model

    hh = model("registry", "Household")
    rng, today = random.Random(8), timezone.localdate()
    started, batch = time.perf_counter(), []
    for n in range(total):
        batch.append(_household(hh, n, villages[n % len(villages)], rng, today))
        if len(batch) == 10_000:
            hh.objects.bulk_create(batch)
            batch = []
    hh.objects.bulk_create(batch)
    return time.perf_counter() - started


def _visits(share: float, counties: list[str]) -> tuple[int, float]:
    """Visit obligations per county (monitored twice a month, others once a quarter, phone counts)
    and one visit this month for `share` of the households, so the compliance count has work."""
    from django.apps import apps
    from django.utils import timezone

    model = apps.get_model
    from bangfu.casework import services as casework

    today, started = timezone.localdate(), time.perf_counter()
    for county in counties:
        for category, visits, period in (("monitored", 2, "month"), ("ordinary", 1, "quarter")):
            casework.obligation_set(
                actor=None, area_code=county, category=category, visits=visits, period=period, phone_counts=True,
                effective_from=dt.date(2020, 1, 1),
            )  # fmt: skip
    visit, hh = model("casework", "Visit"), model("registry", "Household")
    rng, batch, n = random.Random(9), [], 0
    for pk, grid in hh.objects.values_list("id", "grid_id").iterator(chunk_size=10_000):
        if rng.random() < share:
            batch.append(visit(household_id=pk, grid_id=grid, visited_on=today.replace(day=1), mode="in_person"))
            n += 1
        if len(batch) == 10_000:
            visit.objects.bulk_create(batch)
            batch = []
    visit.objects.bulk_create(batch)
    return n, time.perf_counter() - started


def _officer() -> object:
    from bangfu.accounts import services as accounts
    from bangfu.accounts.domain.roles import Role

    user = accounts.user_create(username="bench_province", password="bench-pass-123", display_name="省级管理员")
    accounts.membership_grant(user=user, role=Role.AUDITOR, area_code=PROVINCE)
    return user


def _median_ms(client: object, url: str, runs: int) -> float:
    client.get(url)  # type: ignore[attr-defined]  # warm-up: session, memberships, templates
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)  # type: ignore[attr-defined]
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--visits", type=float, default=0.5, help="share of households visited this month")
    args = parser.parse_args()
    _setup_database()
    from django.db import connection
    from django.test import Client

    from bangfu.analytics import services

    counties, towns, villages = _province()
    insert_s = _households(args.households, villages)
    visits, visits_s = _visits(args.visits, counties)
    user = _officer()
    started = time.perf_counter()
    run = services.indicators_refresh(trigger="bench")
    refresh_s = time.perf_counter() - started
    print(f"database: {connection.vendor}; households: {args.households:,}; villages: {len(villages):,}")
    print(f"bulk insert of households: {insert_s:.1f} s; {visits:,} visits in {visits_s:.1f} s")
    print(f"indicators_refresh (all levels): {refresh_s:.2f} s; {run.cells:,} cached cells", flush=True)
    client = Client()
    client.force_login(user, backend="bangfu.accounts.sessions.AccountBackend")  # type: ignore[arg-type]
    figures = {
        "province": _median_ms(client, "/", args.runs),
        "county": _median_ms(client, f"/?area={counties[3]}", args.runs),
        "township": _median_ms(client, f"/?area={towns[40]}", args.runs),
    }
    for level, ms in figures.items():
        print(f"dashboard {level:9s}: median {ms:.1f} ms over {args.runs} runs")


if __name__ == "__main__":
    main()
