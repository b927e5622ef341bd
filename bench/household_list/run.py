"""Household list benchmark: a 200,000-household county, the list's selector and the page's server time.

Builds the county once through the Excel import (in files of 20,000 households) into
var/bench/household_list.sqlite3 (kept for re-runs), then times `registry.selectors.household_page`
and GET /registry/households/ through the Django test client for a county administrator and a
grid worker, with the number of queries of each.

    .venv/bin/python bench/household_list/run.py [--households 200000] [--repeat 20]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1].parent
sys.path.insert(0, str(ROOT))
_spec = importlib.util.spec_from_file_location("bench_import", ROOT / "bench" / "import" / "run.py")
assert _spec and _spec.loader
gen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen)


def _setup(households: int) -> None:
    var = ROOT / "var" / "bench"
    var.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("BANGFU_VAR", str(var))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{var / f'household_list_{households}.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _build(households: int) -> None:
    """The county, imported in files of 20,000 households as an office would do it."""
    from bangfu.registry.importer import household_import
    from bangfu.registry.selectors import households_visible

    officer, places = gen._county(100, grids_per_village=max(1, households // 100 // 30))
    rng = random.Random(11)
    step = 20_000
    started = time.perf_counter()
    for start in range(0, households, step):
        data, _ = gen._workbook(min(step, households - start), places, rng, offset=start)
        household_import(actor=officer, data=data, filename=f"part{start}.xlsx")
        done = min(start + step, households)
        print(f"  imported {done:,} households ({time.perf_counter() - started:.0f} s)", flush=True)
    assert households_visible(officer).count() == households


def _time(label: str, fn, repeat: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()  # warm the caches once, as a running server would be
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1000)
    p95 = sorted(times)[int(len(times) * 0.95) - 1]
    median, queries = statistics.median(times), len(ctx.captured_queries)
    print(f"{label:<48} median {median:7.1f} ms  p95 {p95:7.1f} ms  queries {queries}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    _setup(args.households)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from bangfu.registry import selectors

    User = get_user_model()
    if not User.objects.filter(username="bench_admin").exists():
        print(f"building a county of {args.households:,} households (once) …", flush=True)
        _build(args.households)
    setup_test_environment()  # lets the test client reach the app (ALLOWED_HOSTS=testserver)
    admin = User.objects.get(username="bench_admin")
    worker = _grid_worker(admin)
    total = selectors.households_visible(admin).count()
    print(f"county: {total:,} households, {connection.vendor}")
    F = selectors.HouseholdFilter
    some = selectors.households_visible(admin).order_by("pk").values_list("head_name", flat=True)[total // 2]
    cases = [
        ("selector: first page (county admin)", lambda: list(selectors.household_page(admin, F(), 1).object_list)),
        ("selector: page 2,000 (county admin)", lambda: list(selectors.household_page(admin, F(), 2000).object_list)),
        (
            "selector: flag 低保 (county admin)",
            lambda: list(selectors.household_page(admin, F(flag="dibao")).object_list),
        ),
        (
            f"selector: name search {some[:1]}… (county admin)",
            lambda: list(selectors.household_page(admin, F(text=some)).object_list),
        ),
        ("selector: first page (grid worker)", lambda: list(selectors.household_page(worker, F(), 1).object_list)),
    ]
    for label, fn in cases:
        _time(label, fn, args.repeat)
    for user, who in ((admin, "county admin"), (worker, "grid worker")):
        client = Client()
        client.force_login(user, backend="bangfu.accounts.sessions.AccountBackend")
        for query in ("", "?page=2000", "?flag=dibao", f"?q={some}"):

            def get(q: str = query, c: Client = client) -> None:
                assert c.get(f"/registry/households/{q}").status_code == 200

            _time(f"page GET /registry/households/{query[:14]} ({who})", get, args.repeat)


def _grid_worker(admin):
    """A grid worker for the first grid (created once)."""
    from django.contrib.auth import get_user_model

    from bangfu.accounts import services as accounts
    from bangfu.accounts.domain.roles import Role
    from bangfu.areas import selectors as areas
    from bangfu.areas import services as area_services

    existing = get_user_model().objects.filter(username="bench_grid").first()
    if existing is not None:
        return existing
    grid = areas.grids_visible(admin).order_by("pk").first()
    user = accounts.user_create(username="bench_grid", password="bench-pass-123", display_name="网格员")
    accounts.membership_grant(user=user, role=Role.GRID_WORKER, area_code=grid.village_id)
    area_services.grid_assign_worker(grid=grid, worker=user, actor=None, reason="bench")
    return get_user_model().objects.get(pk=user.pk)


if __name__ == "__main__":
    main()
