"""A synthetic province written straight into the project's tables (fast raw inserts, real schema).

One province → 20 counties → 10 townships each → villages of ~250 households; about 3.5 members per
household, 2 income items per member, income statements for the last two years, and about 1.5
department rows per household spread over 24 months. Values are drawn so that a realistic few
percent of households meet each default rule. Everything comes from one seed.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.apps import apps
from django.db import connection, transaction

PROVINCE = "450000000000"  # the generated province (any 2-digit code the data does not use otherwise)
COUNTIES, TOWNSHIPS = 20, 10
HOUSEHOLDS_PER_VILLAGE = 250
KINDS = [
    ("medical", 0.5),
    ("school", 0.17),
    ("disaster", 0.1),
    ("employment", 0.1),
    ("assistance", 0.05),
    ("death", 0.03),
    ("disability", 0.05),
]


def _table(label: str) -> str:
    return str(apps.get_model(label)._meta.db_table)


def write(label: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """COPY on PostgreSQL, executemany in chunks on SQLite; returns the number of rows."""
    table, n = _table(label), 0
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
                for row in rows:
                    cp.write_row(row)
                    n += 1
            return n
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
        chunk: list[Sequence[Any]] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) == 50000:
                cur.cursor.executemany(sql, chunk)
                n, chunk = n + len(chunk), []
        if chunk:
            cur.cursor.executemany(sql, chunk)
            n += len(chunk)
    return n


def _areas(villages: int) -> tuple[list[str], list[tuple[Any, ...]]]:
    rows: list[tuple[Any, ...]] = [(1, PROVINCE, "基准省", "province", None)]
    village_codes: list[str] = []
    pid, nid = 1, 2
    per_township = max(1, math.ceil(villages / (COUNTIES * TOWNSHIPS)))
    for c in range(1, COUNTIES + 1):
        county = f"{PROVINCE[:2]}{c:02d}01000000"
        cid = nid
        rows.append((cid, county, f"基准县{c}", "county", pid))
        nid += 1
        for t in range(1, TOWNSHIPS + 1):
            town = f"{county[:6]}{t:03d}000"
            tid = nid
            rows.append((tid, town, f"基准乡{c}-{t}", "township", cid))
            nid += 1
            for v in range(1, per_township + 1):
                code = f"{town[:9]}{v:03d}"
                rows.append((nid, code, f"基准村{c}-{t}-{v}", "village", tid))
                village_codes.append(code)
                nid += 1
    return village_codes[:villages], rows


def _households(rng: random.Random, n: int, villages: list[str], now: dt.datetime) -> Iterator[tuple[Any, ...]]:
    for hid in range(1, n + 1):
        size = _sizes[hid]
        yield (
            hid,
            f"B{hid:012d}",
            villages[(hid - 1) // HOUSEHOLDS_PER_VILLAGE],
            "",
            "户主",
            "",
            size,
            "正常",
            True,
            2018,
            "",
            "[]",
            False,
            False,
            False,
            rng.random() < 0.05,
            now,
            now,
        )


_sizes: list[int] = []


def _members(rng: random.Random, n: int) -> Iterator[tuple[Any, ...]]:
    mid = 0
    for hid in range(1, n + 1):
        for k in range(_sizes[hid]):
            mid += 1
            health = "患有大病" if rng.random() < 0.03 else ("残疾" if rng.random() < 0.02 else "健康")
            yield (
                mid,
                hid,
                f"成员{k}",
                f"{mid:040x}",
                "x",
                "4501**********0000",
                dt.date(1970 + k * 7, 1, 1),
                "M" if k % 2 == 0 else "F",
                "户主" if k == 0 else "之子",
                "汉族",
                "",
                "非在校生",
                health,
                "",
                "普通劳动力",
                "务农",
                "",
                0,
                "城乡居民基本医疗保险",
                "",
                True,
                "",
            )


def _per_capita(rng: random.Random) -> int:
    """Per-capita income in fen: log-normal around 12,000 yuan; a few percent under the 6,000 line."""
    return int(rng.lognormvariate(math.log(12000), 0.4) * 100)


def _statements(rng: random.Random, n: int, year: int) -> Iterator[tuple[Any, ...]]:
    sid = 0
    for hid in range(1, n + 1):
        size = _sizes[hid]
        pc1 = _per_capita(rng)
        pc0 = int(pc1 / rng.uniform(0.4, 0.69)) if rng.random() < 0.025 else int(pc1 * rng.uniform(0.85, 1.15))
        for y, pc in ((year, pc1), (year - 1, pc0)):
            sid += 1
            net = pc * size
            yield (sid, hid, y, size, net / 100, 0, 0, 0, 0, 0, 0, net / 100, round(net / size) / 100)


def _items(n: int) -> Iterator[tuple[Any, ...]]:
    """Two lines per member on the latest statement (statement id 2h-1), summing to the net income."""
    iid, mid = 0, 0
    for hid in range(1, n + 1):
        for _ in range(_sizes[hid]):
            mid += 1
            for item in ("wage.local", "business.crops"):
                iid += 1
                yield (iid, 2 * hid - 1, item, 1000, mid, "bench", "", "")


def _feed(rng: random.Random, n: int, rows: int, as_of: dt.date, first_member: list[int]) -> Iterator[tuple[Any, ...]]:
    kinds, weights = zip(*KINDS, strict=True)
    for rid in range(1, rows + 1):
        hid = rng.randint(1, n)
        kind = rng.choices(kinds, weights)[0]
        when = as_of - dt.timedelta(days=rng.randint(0, 730))
        amount, event = _amount(rng, kind)
        batch = KINDS.index((kind, dict(KINDS)[kind])) * 25 + (as_of - when).days // 31 + 1
        yield (rid, batch, kind, hid, first_member[hid] + rng.randrange(_sizes[hid]), when, amount, event, 2, "{}")


def _amount(rng: random.Random, kind: str) -> tuple[float, str]:
    if kind == "medical":
        return round(rng.lognormvariate(math.log(1500), 1.1), 2), ""
    if kind == "school":
        return round(rng.uniform(1000, 9500), 2), ""
    if kind == "disaster":
        return round(rng.lognormvariate(math.log(3000), 0.9), 2), "洪涝"
    if kind == "employment":
        return 0.0, rng.choice(["失业", "再就业"])
    if kind == "assistance":
        return 0.0, rng.choice(["低保开始", "低保终止"])
    return 0.0, kind


def generate(
    households: int,
    as_of: dt.date,
    seed: int = 20240101,
    say: Any = print,
    areas: Any = None,
    items: bool = True,
) -> dict[str, int]:
    """Fill an empty, migrated database. Returns row counts per table.

    `areas(villages)` returns (village codes, area rows) like `_areas` (bench/province: prefectures and
    40 counties); `items=False` leaves out the income items (no default rule and no bench reads them).
    """
    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    villages_needed = math.ceil(households / HOUSEHOLDS_PER_VILLAGE)
    villages, area_rows = (areas or _areas)(villages_needed)
    _sizes[:] = [0] + [rng.randint(1, 6) for _ in range(households)]
    first_member = [0] * (households + 1)
    total = 0
    for hid in range(1, households + 1):
        first_member[hid] = total + 1
        total += _sizes[hid]
    counts: dict[str, int] = {}
    with transaction.atomic():
        if connection.vendor == "postgresql":  # the rows are consistent by construction: no per-row FK
            with connection.cursor() as cur:  # check queued to commit (minutes for tens of millions)
                cur.execute("SET LOCAL session_replication_role = replica")
        counts["areas"] = write("areas.Area", ["id", "code", "name", "level", "parent_id"], area_rows)
        counts["households"] = write(
            "registry.Household",
            [
                "id",
                "number",
                "village_id",
                "address",
                "head_name",
                "phone",
                "size",
                "status",
                "poverty_exited",
                "exit_year",
                "monitoring_type",
                "risk_codes",
                "dibao",
                "tekun",
                "relocated",
                "no_labour",
                "created",
                "updated",
            ],
            _households(rng, households, villages, now),
        )
        say(f"  households {counts['households']:,}")
        counts["members"] = write(
            "registry.Member",
            [
                "id",
                "household_id",
                "name",
                "id_hash",
                "id_enc",
                "id_masked",
                "birth_date",
                "sex",
                "relation",
                "ethnicity",
                "education",
                "in_school",
                "health",
                "disability_grade",
                "labour",
                "employment",
                "work_place",
                "months_worked",
                "medical_insurance",
                "phone",
                "active",
                "left_reason",
            ],
            _members(rng, households),
        )
        say(f"  members {counts['members']:,}")
        counts["statements"] = write(
            "registry.IncomeStatement",
            [
                "id",
                "household_id",
                "year",
                "size",
                "wage",
                "business_income",
                "business_cost",
                "property",
                "transfer",
                "claims",
                "out_of_pocket",
                "net_income",
                "per_capita",
            ],
            _statements(rng, households, as_of.year - 1),
        )
        counts["income_items"] = (
            write(
                "registry.IncomeItem",
                ["id", "statement_id", "item", "amount", "member_id", "source", "source_ref", "note"],
                _items(households),
            )
            if items
            else 0
        )
        say(f"  statements {counts['statements']:,}, income items {counts['income_items']:,}")
        batches = [
            (k * 25 + m + 1, kind, "基准", PROVINCE, f"m{m}", "api", "", f"bench-{kind}-{m}", 0, now)
            for k, (kind, _) in enumerate(KINDS)
            for m in range(25)
        ]
        write(
            "monitoring.FeedBatch",
            ["id", "kind", "department", "area_id", "period", "source", "filename", "content_hash", "rows", "created"],
            batches,
        )
        counts["feed_rows"] = write(
            "monitoring.FeedRow",
            ["id", "batch_id", "kind", "household_id", "member_id", "event_date", "amount", "event", "row_no", "data"],
            _feed(rng, households, int(households * 1.5), as_of, first_member),
        )
        say(f"  department rows {counts['feed_rows']:,}")
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return counts


def seed_rules(as_of: dt.date) -> None:
    """The default rule set and the line, through the services a county would use."""
    from bangfu.rules import services as rules

    rules.ruleset_seed_default(actor=None, area_code=PROVINCE, effective_from=dt.date(2020, 1, 1))
    rules.monitoring_line_set(actor=None, area_code=PROVINCE, year=as_of.year - 1, amount="6000")
