"""How the batch engine's set-wise reads travel, and the names of the tables it reads.

Screening needs every household of a province in a fixed number of set-wise reads, in its own SQL.
The registry hands over the names of its tables (`registry.selectors.screening_tables`); everything
else monitoring reads of the registry goes through registry selectors (`facts.py`, `services.py`).

`read_many` runs the engine's reads. Outside a transaction it opens one Arrow-native ADBC connection
per read and runs them side by side (SQLite readers run in parallel under WAL, PostgreSQL reads
stream COPY BINARY straight into Arrow): Python never iterates the rows. Inside a transaction it
reads through Django's own connection instead, because only that connection sees the caller's
uncommitted rows (and tests' in-memory SQLite is invisible to any other library's connection).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
from django.db import connection

from bangfu.monitoring.models import FeedRow, Warning
from bangfu.registry import selectors as registry


def table(name: str) -> str:
    """The database table of a registry row kind (Household, Member, IncomeStatement, GuaranteeCheck) or of
    monitoring's own FeedRow and Warning."""
    own = {"FeedRow": FeedRow._meta.db_table, "Warning": Warning._meta.db_table}
    return own.get(name) or registry.screening_tables()[name]


@dataclass(frozen=True)
class Query:
    """One read: SQL with %s placeholders, its parameters, and the Arrow schema of its columns."""

    sql: str
    params: Sequence[Any]
    schema: pa.Schema


def read_many(queries: dict[str, Query], apart: bool | None = None) -> dict[str, pa.Table]:
    """Run the reads and return Arrow tables by name. `apart` None = decide (see module doc)."""
    target = _adbc_target() if apart is not False else None
    if target is None:
        return {name: read_here(q) for name, q in queries.items()}
    with ThreadPoolExecutor(max_workers=len(queries) or 1) as pool:
        futures = {name: pool.submit(_read_apart, target, q) for name, q in queries.items()}
        return {name: f.result() for name, f in futures.items()}


def read_here(q: Query) -> pa.Table:
    """Through Django's connection: PostgreSQL streams CSV through COPY (parsed in C), SQLite fetches rows."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            buf = io.BytesIO()
            with cur.cursor.copy(f"COPY ({q.sql}) TO STDOUT (FORMAT csv)", q.params) as cp:
                for chunk in cp:
                    buf.write(chunk)
            if not buf.tell():
                return q.schema.empty_table()
            buf.seek(0)
            return pacsv.read_csv(
                buf,
                read_options=pacsv.ReadOptions(column_names=q.schema.names),
                convert_options=pacsv.ConvertOptions(column_types=q.schema),
            )
        cur.execute(q.sql, q.params)
        rows = cur.fetchall()
    cols: list[Any] = list(zip(*rows, strict=True)) if rows else [[] for _ in q.schema.names]
    return pa.Table.from_arrays(
        [pa.array(c, type=f.type) for c, f in zip(cols, q.schema, strict=True)], schema=q.schema
    )


def _adbc_target() -> tuple[str, str] | None:
    """(vendor, connection string) for separate Arrow-native connections, or None to read here."""
    if connection.in_atomic_block:
        return None
    try:
        name = str(connection.settings_dict["NAME"])
        if connection.vendor == "sqlite" and name != ":memory:" and "mode=memory" not in name:
            import adbc_driver_sqlite.dbapi  # noqa: F401  (optional: fall back when not installed)

            return "sqlite", name
        if connection.vendor == "postgresql":
            import adbc_driver_postgresql.dbapi  # noqa: F401
            from psycopg.conninfo import make_conninfo

            connection.ensure_connection()
            info = connection.connection.info
            return "postgresql", make_conninfo(info.dsn, password=info.password or None)
    except ImportError:
        return None
    return None


def _read_apart(target: tuple[str, str], q: Query) -> pa.Table:
    vendor, dsn = target
    if vendor == "sqlite":
        import adbc_driver_sqlite.dbapi as driver
    else:
        import adbc_driver_postgresql.dbapi as driver  # type: ignore[no-redef]  # the other engine's driver, same API
    with driver.connect(dsn) as con, con.cursor() as cur:
        if vendor == "sqlite":
            # A fresh connection has no busy timeout: beside a writer (the worker's own connection,
            # a web request) or its sibling readers opening the WAL, it would fail at once with
            # "database is locked" instead of waiting its turn.
            cur.execute("PRAGMA busy_timeout = 30000")
        # Literals rather than bound parameters: the PostgreSQL driver only streams COPY BINARY for
        # a query without parameters. `inline` quotes every value, so this is not string pasting.
        cur.execute(inline(q.sql, q.params))
        result = cur.fetch_arrow_table()
    return result.rename_columns(q.schema.names).cast(q.schema)


def inline(sql: str, params: Sequence[Any]) -> str:
    """Replace each %s with the value as a SQL literal (ints, dates and quoted text only)."""
    pieces = sql.split("%s")
    if len(pieces) != len(params) + 1:
        raise ValueError(f"{len(pieces) - 1} placeholders for {len(params)} parameters")
    out = [pieces[0]]
    for value, rest in zip(params, pieces[1:], strict=True):
        out += [_literal(value), rest]
    return "".join(out)


def _literal(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, str, dt.date)):
        raise TypeError(f"no SQL literal for {type(value).__name__}")
    if isinstance(value, int):
        return str(value)
    # A quoted date compares as a date in PostgreSQL and as ISO text in SQLite, as Django stores it.
    text = value.isoformat() if isinstance(value, dt.date) else value
    return "'" + text.replace("'", "''") + "'"
