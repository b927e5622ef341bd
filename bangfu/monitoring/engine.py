"""The batch screening engine: read narrow columns set-wise into Arrow, evaluate in DuckDB.

Fetch, compute, persist (design.md §6.4): a fixed number of reads whatever the number of
households (households, statements, seriously ill members, feed rows in the window, guarantee
checks, open warnings), one DuckDB query per window kind that builds every household's facts and
tests every rule of every rule set in force, then one bulk insert of the new warnings.

Money travels as integer fen so nothing is rounded between the database, Arrow and DuckDB; the
rule conditions are compiled by `rules.domain.evaluate.to_sql` with yuan literals scaled to fen.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
from django.db import connection

from bangfu.monitoring.sources import table
from bangfu.registry.domain.codes import SERIOUS_HEALTH
from bangfu.rules.domain.evaluate import to_sql
from bangfu.rules.domain.facts import COLUMNS, HouseholdFacts
from bangfu.rules.domain.rules import RuleSetDef
from bangfu.rules.domain.windows import window_for

YUAN_COLUMNS = {"per_capita_income", "per_capita_income_prev", "per_capita_delta", "net_income", "medical_oop",
                "school_costs", "disaster_loss", "monitoring_line"}


@dataclass(frozen=True)
class Selection:
    """Which households: villages under any of `prefixes` ('' = all), optionally only `household_ids`."""

    prefixes: tuple[str, ...] = ("",)
    household_ids: tuple[int, ...] | None = None


@dataclass(frozen=True)
class InForce:
    """The rule set that applies to a village, and that village's monitoring line (None if not set)."""

    ruleset_id: int
    version: int
    definition: RuleSetDef
    line: Decimal | None


def _hh_filter(sel: Selection, alias: str = "id") -> tuple[str, list[Any]]:
    parts: list[str] = []
    params: list[Any] = []
    for p in sel.prefixes:
        if p:
            parts.append("(village_id >= %s AND village_id <= %s)")
            params += [p, p + "9" * (15 - len(p))]
    where = "(" + " OR ".join(parts) + ")" if parts else "1=1"
    if sel.household_ids is not None:
        ids = list(sel.household_ids) or [-1]
        where += f" AND {alias} IN ({','.join('%s' for _ in ids)})"
        params += ids
    return where + " AND status = %s", [*params, "正常"]


def _in_households(sel: Selection, column: str = "household_id") -> tuple[str, list[Any]]:
    if sel.prefixes == ("",) and sel.household_ids is None:
        return "1=1", []
    where, params = _hh_filter(sel)
    return f"{column} IN (SELECT id FROM {table('Household')} WHERE {where})", params


def fetch(sql: str, params: list[Any], schema: pa.Schema) -> pa.Table:
    """Run a query and return its rows as Arrow. PostgreSQL streams CSV through COPY (parsed in C)."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            buf = io.BytesIO()
            with cur.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)", params) as cp:
                for chunk in cp:
                    buf.write(chunk)
            if not buf.tell():
                return schema.empty_table()
            buf.seek(0)
            return pacsv.read_csv(buf, read_options=pacsv.ReadOptions(column_names=schema.names),
                                  convert_options=pacsv.ConvertOptions(column_types=schema))
        cur.execute(sql, params)
        rows = cur.fetchall()
    cols: list[Any] = list(zip(*rows, strict=True)) if rows else [[] for _ in schema.names]
    return pa.Table.from_arrays([pa.array(c, type=f.type) for c, f in zip(cols, schema, strict=True)], schema=schema)


def _fen(col: str) -> str:
    return f"CAST(ROUND({col} * 100) AS BIGINT)"


def load(sel: Selection, as_of: dt.date, windows: Iterable[str]) -> dict[str, pa.Table]:
    """The six set-wise reads. Feed rows are read for the widest of the windows in use."""
    where, params = _hh_filter(sel)
    inside, iparams = _in_households(sel)
    wins = [window_for(w, as_of) for w in windows]
    start, year = min(w.start for w in wins), wins[0].income_year
    i64, s = pa.int64(), pa.string()
    serious = ",".join("%s" for _ in SERIOUS_HEALTH)
    return {
        "hh": fetch(f"SELECT id, village_id, CASE WHEN no_labour THEN 1 ELSE 0 END, grid_id "
                    f"FROM {table('Household')} WHERE {where}", params,
                    pa.schema([("id", i64), ("village", s), ("no_labour", i64), ("grid_id", i64)])),
        "st": fetch(f"SELECT household_id, year, {_fen('per_capita')}, {_fen('net_income')} "
                    f"FROM {table('IncomeStatement')} WHERE year IN (%s, %s) AND {inside}", [year, year - 1, *iparams],
                    pa.schema([("household_id", i64), ("year", i64), ("pc", i64), ("net", i64)])),
        # Two plain reads rather than one correlated EXISTS per member: members are millions,
        # disability certificates a few; DuckDB counts each member once.
        "sick": fetch(f"SELECT household_id, id FROM {table('Member')} WHERE active AND health IN ({serious}) "
                      f"AND {inside} UNION ALL SELECT f.household_id, f.member_id FROM {table('FeedRow')} f "
                      f"JOIN {table('Member')} m ON m.id = f.member_id AND m.household_id = f.household_id "
                      f"WHERE f.kind = 'disability' AND m.active "
                      f"AND f.event_date <= %s AND {_in_households(sel, 'f.household_id')[0]}",
                      [*sorted(SERIOUS_HEALTH), *iparams, as_of, *iparams],
                      pa.schema([("household_id", i64), ("member_id", i64)])),
        "fr": fetch(f"SELECT household_id, kind, event, {_fen('amount')}, "
                    f"CAST(event_date AS VARCHAR(10)) FROM {table('FeedRow')} "
                    f"WHERE event_date >= %s AND event_date <= %s AND kind <> 'disability' AND {inside}",
                    [start, as_of, *iparams], pa.schema([("household_id", i64), ("kind", s), ("event", s),
                                                         ("amount", i64), ("d", s)])),
        "gc": fetch(f"SELECT household_id, CAST(checked_on AS VARCHAR(10)), id, "
                    "(CASE WHEN housing_safe THEN 0 ELSE 1 END) + (CASE WHEN schooling_ok THEN 0 ELSE 1 END) + "
                    "(CASE WHEN medical_ok THEN 0 ELSE 1 END) + (CASE WHEN water_safe THEN 0 ELSE 1 END) "
                    f"FROM {table('GuaranteeCheck')} WHERE checked_on <= %s AND {inside}", [as_of, *iparams],
                    pa.schema([("household_id", i64), ("checked_on", s), ("id", i64), ("fails", i64)])),
    }


def _facts_sql(start: dt.date, year: int) -> str:
    """Every household's facts (money in fen) for one window: one row per household."""
    return f"""
    WITH s1 AS (SELECT household_id, pc, net FROM st WHERE year = {year}),
         s2 AS (SELECT household_id, pc FROM st WHERE year = {year - 1}),
         ev AS (SELECT household_id,
                  SUM(CASE WHEN kind = 'medical' THEN amount ELSE 0 END) AS medical_oop,
                  SUM(CASE WHEN kind = 'school' THEN amount ELSE 0 END) AS school_costs,
                  SUM(CASE WHEN kind = 'disaster' THEN amount ELSE 0 END) AS disaster_loss,
                  COUNT(*) FILTER (WHERE kind = 'employment' AND event = '失业') AS job_loss,
                  COUNT(*) FILTER (WHERE kind = 'assistance' AND event LIKE '%终止') AS assistance_ended,
                  COUNT(*) FILTER (WHERE kind = 'death') AS deaths
                FROM fr WHERE d >= '{start.isoformat()}' GROUP BY household_id),
         sk AS (SELECT household_id, COUNT(DISTINCT member_id) AS n FROM sick GROUP BY household_id),
         g AS (SELECT household_id, arg_max(fails, checked_on || '#' || lpad(CAST(id AS VARCHAR), 20, '0')) AS fails
               FROM gc GROUP BY household_id)
    SELECT hh.id AS household_id, hh.village, hh.grid_id, vl.ruleset_id,
           s1.pc AS per_capita_income, s1.net AS net_income, s2.pc AS per_capita_income_prev,
           s1.pc - s2.pc AS per_capita_delta,
           COALESCE(ev.medical_oop, 0) AS medical_oop, COALESCE(ev.school_costs, 0) AS school_costs,
           COALESCE(ev.disaster_loss, 0) AS disaster_loss, COALESCE(ev.job_loss, 0) AS job_loss,
           COALESCE(ev.assistance_ended, 0) AS assistance_ended, COALESCE(ev.deaths, 0) AS deaths,
           COALESCE(sk.n, 0) AS serious_ill_or_disabled, hh.no_labour,
           COALESCE(g.fails, 0) AS guarantee_failures, vl.line AS monitoring_line
    FROM hh JOIN vl ON vl.village = hh.village
    LEFT JOIN s1 ON s1.household_id = hh.id LEFT JOIN s2 ON s2.household_id = hh.id
    LEFT JOIN ev ON ev.household_id = hh.id LEFT JOIN sk ON sk.household_id = hh.id
    LEFT JOIN g ON g.household_id = hh.id"""


def compute_hits(data: dict[str, pa.Table], as_of: dt.date, in_force: dict[str, InForce]) -> pa.Table:
    """(household, rule set, rule) for every rule met, with the fact columns, in one pass per window."""
    vl = pa.table({
        "village": pa.array(list(in_force), pa.string()),
        "ruleset_id": pa.array([f.ruleset_id for f in in_force.values()], pa.int64()),
        "line": pa.array([None if f.line is None else int(f.line * 100) for f in in_force.values()], pa.int64()),
    })
    con = duckdb.connect()
    for name, tbl in data.items():
        con.register(name, tbl)
    con.register("vl", vl)
    by_window: dict[str, dict[int, RuleSetDef]] = {}
    for f in in_force.values():
        by_window.setdefault(f.definition.window, {})[f.ruleset_id] = f.definition
    parts = []
    for window, sets in by_window.items():
        w = window_for(window, as_of)
        con.execute(f"CREATE OR REPLACE TEMP TABLE facts_{window} AS {_facts_sql(w.start, w.income_year)}")
        for rs_id, rs in sets.items():
            for rule in rs.rules:
                parts.append(f"SELECT '{rule.code}' AS rule_code, * FROM facts_{window} "
                             f"WHERE ruleset_id = {rs_id} AND {to_sql(rule.when, rs, money_scale=100)}")
    if not parts:
        return pa.table({"rule_code": pa.array([], pa.string()), "household_id": pa.array([], pa.int64())})
    result = con.sql(" UNION ALL ".join(parts)).to_arrow_table()
    con.close()
    return result


def facts_of_row(row: dict[str, object]) -> HouseholdFacts:
    """A hit row (fen) back into the domain's facts (yuan), for the explanation sentence."""
    values: dict[str, Decimal | None] = {}
    for c in COLUMNS:
        v = row.get(c)
        if v is None:
            values[c] = None
        elif c in YUAN_COLUMNS:
            values[c] = Decimal(int(v)).scaleb(-2)  # type: ignore[call-overload]
        else:
            values[c] = Decimal(int(v))  # type: ignore[call-overload]
    return HouseholdFacts.of(int(row["household_id"]), **values)  # type: ignore[call-overload]


WARNING_COLUMNS = ("household_id", "village_code", "grid_id", "rule_code", "rule_name", "risk", "ruleset_id",
                   "ruleset_version", "facts", "thresholds", "explanation", "status", "run_id", "as_of", "created",
                   "case_ref")


def insert_warnings(rows: list[tuple[Any, ...]]) -> int:
    """Write new warnings in one statement stream (COPY / executemany), not one ORM object each.

    The rows are complete (facts and thresholds already JSON text); the partial unique index on
    active (household, rule) still guards against a concurrent run opening the same warning twice.
    """
    if not rows:
        return 0
    tbl, cols = table("Warning"), ", ".join(WARNING_COLUMNS)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.cursor.copy(f"COPY {tbl} ({cols}) FROM STDIN") as cp:
                for r in rows:
                    cp.write_row(r)
        else:
            marks = ", ".join("%s" for _ in WARNING_COLUMNS)
            cur.executemany(f"INSERT INTO {tbl} ({cols}) VALUES ({marks})", rows)
    return len(rows)
