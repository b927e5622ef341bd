"""The fast batch path: reads on connections of their own (committed data, outside a transaction),
only the facts the rules name, warnings written set-wise — and still exactly the single path's warnings."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from pathlib import Path

import pyarrow as pa
import pytest
from django.db import connection
from django.utils import timezone

from bangfu.monitoring import engine, sources
from bangfu.monitoring import services as monitoring
from bangfu.monitoring.models import Warning
from bangfu.monitoring.tests.helpers import feed_row, rules_in_force
from bangfu.monitoring.tests.test_screening import _random_county

EXTRA = [
    {"code": "sick", "zh": "多人患病", "when": {"fact": "serious_ill_or_disabled", "op": ">=", "value": "1"}},
    {
        "code": "fragile",
        "zh": "无劳动力或保障缺失",
        "when": {
            "any": [
                {"fact": "no_labour", "op": "=", "value": "1"},
                {"fact": "guarantee_failures", "op": ">", "value": "0"},
            ]
        },
    },
    {
        "code": "shock",
        "zh": "失业死亡或救助终止",
        "when": {
            "any": [
                {"fact": "job_loss", "op": ">", "value": "0"},
                {"fact": "deaths", "op": ">", "value": "0"},
                {"fact": "assistance_ended", "op": ">", "value": "0"},
            ]
        },
    },
]


def _warnings() -> set[tuple[object, ...]]:
    return {
        (
            w.household_id,
            w.rule_code,
            w.ruleset_version,
            w.village_code,
            w.grid_id,
            w.explanation,
            tuple(w.facts.items()),
            tuple(w.thresholds.items()),
            w.status,
        )
        for w in Warning.objects.all()
    }


@pytest.mark.django_db(transaction=True)
def test_batch_writes_the_single_paths_warnings(world) -> None:
    rules_in_force(world, extra=EXTRA)
    _random_county(world, random.Random(11), 25)
    today = timezone.localdate()
    run = monitoring.screen(area_code=world.area_county.code, as_of=today)
    batch = _warnings()
    assert run.new_warnings == len(batch) > 10
    again = monitoring.screen(area_code=world.area_county.code, as_of=today)
    assert again.new_warnings == 0 and again.hits == run.hits and _warnings() == batch
    Warning.objects.all().delete()
    ids: set[int] = {int(str(h)) for h, *_ in batch} | {h.pk for h in world.households.values()}
    for hid in sorted(ids):
        monitoring.screen_household(household_id=hid, as_of=today)
    assert _warnings() == batch


@pytest.mark.django_db(transaction=True)
def test_reads_apart_equal_reads_here(world) -> None:
    rules_in_force(world, extra=EXTRA)
    _random_county(world, random.Random(5), 10)
    sel, today = engine.Selection(prefixes=(world.area_county.code[:6],)), timezone.localdate()
    apart = engine.load(sel, today, {"rolling_12m", "calendar_year"}, active=True, apart=True)
    here = engine.load(sel, today, {"rolling_12m", "calendar_year"}, active=True, apart=False)
    assert set(apart) == set(here) == {"hh", "s1", "s0", "fr", "sick", "gc", "active", "decided"}
    for name, tbl in here.items():
        key = [(c, "ascending") for c in tbl.column_names]
        assert apart[name].sort_by(key).equals(tbl.sort_by(key)), name


@pytest.mark.django_db
def test_only_the_facts_the_rules_name_are_read(world) -> None:
    rules_in_force(world)  # the default set: income, medical, school, disaster
    h = world.households["h1"]
    feed_row(h, "death", 0, timezone.localdate(), "death")
    forces = monitoring.in_force([h.village_id], timezone.localdate())
    used = engine.facts_used(f.definition for f in forces.values())
    assert "deaths" not in used and {"per_capita_income", "medical_oop", "net_income"} <= used
    data = engine.load(engine.Selection(household_ids=(h.pk,)), timezone.localdate(), {"rolling_12m"}, facts=used)
    assert set(data) == {"hh", "s1", "s0", "fr"} and data["fr"].num_rows == 0  # deaths not even fetched
    hits = engine.compute_hits(data, timezone.localdate(), forces)
    assert hits.num_rows == 0 and "deaths" in hits.column_names  # unread facts are unknown (NULL), not 0


@pytest.mark.django_db
def test_screen_inside_a_transaction_sees_its_uncommitted_rows(world) -> None:
    """Test functions run inside a transaction: the reads must go through Django's connection."""
    rules_in_force(world)
    feed_row(world.households["h2"], "disaster", "12000", timezone.localdate())
    assert connection.in_atomic_block and sources._adbc_target() is None
    run = monitoring.screen(area_code=world.area_county.code, as_of=timezone.localdate())
    assert run.new_warnings == 1 and Warning.objects.get().rule_code == "disaster_loss"


def test_sqlite_read_apart_types_nulls_and_literals(tmp_path: Path) -> None:
    """The Arrow-native SQLite read: NULLs after a first batch of values, quoted text, dates as ISO text."""
    pytest.importorskip("adbc_driver_sqlite")
    db = tmp_path / "t.sqlite3"
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE t (id INTEGER, name TEXT, day DATE, grid INTEGER)")
        con.executemany(
            "INSERT INTO t VALUES (?, ?, ?, ?)",
            [(i, "it's" if i % 2 else "村", f"2024-0{1 + i % 9}-01", None if i > 1500 else i) for i in range(3000)],
        )
    q = sources.Query(
        "SELECT id, name, grid FROM t WHERE day >= %s AND name IN (%s, %s) ORDER BY id",
        [dt.date(2024, 9, 1), "it's", "x"],
        pa.schema([("id", pa.int64()), ("n", pa.string()), ("g", pa.int64())]),
    )
    got = sources._read_apart(("sqlite", str(db)), q)
    assert got.schema == q.schema and got.column("n").unique().to_pylist() == ["it's"]
    assert got.column("id").to_pylist() == [i for i in range(3000) if i % 9 == 8 and i % 2]
    assert got.column("g").null_count == sum(1 for i in range(3000) if i % 9 == 8 and i % 2 and i > 1500)


def test_inline_refuses_what_it_cannot_quote() -> None:
    assert (
        sources.inline("a = %s AND b = %s AND c = %s", [3, "o'k", dt.date(2025, 1, 2)])
        == "a = 3 AND b = 'o''k' AND c = '2025-01-02'"
    )
    for bad in ([True], [1.5], [None]):
        with pytest.raises(TypeError):
            sources.inline("a = %s", bad)
    with pytest.raises(ValueError):
        sources.inline("a = %s AND b = %s", [1])
