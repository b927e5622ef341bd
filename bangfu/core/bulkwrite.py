"""Set-wise writes: many rows into one model's table with `executemany`, and their "+" history rows.

The registry's Excel import (100,000 households in one file) and its bulk path (the demo loader)
write tens of thousands of rows at once. The ORM's per-instance work — a model instance per row,
`get_db_prep_save` per field, one simple-history row per save — would cost minutes; these helpers
cost a tuple per row. Column lists always come from the models' metadata, so no column name is
written by hand, and the same code runs on SQLite and PostgreSQL. Why, and how history stays
truthful: docs/adr/0006-excel-import-set-wise-writes.md.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import batched
from operator import itemgetter
from typing import Any

from django.db import connection
from django.db.models import Field, Model

IN_CHUNK = 900  # values in one `IN (…)`: below SQLite's bound-parameter limit of old versions
ROW_CHUNK = 5000  # rows per executemany call: few calls, bounded memory for the prepared rows


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a bulk load allocates millions of small objects.

    Each full collection walks every live container, and an import holding 400,000 checked rows
    triggers many of them: a quarter of the import's time went there (100,000 households: 27.0 s
    with the collector, 20.8 s without). The rows form no reference cycles; reference counting
    still frees everything, and the collector is back on as soon as the block ends, error or not.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _prepared_default(f: Field[Any, Any], now: dt.datetime) -> Any:
    if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
        value: Any = now
    else:
        value = f.get_default()  # "" for text columns without a default, as the ORM would store
    return f.get_db_prep_save(value, connection)


class Insert:
    """INSERT of many rows into one model's table.

    Each row is a tuple of database-ready values for the `given` fields (attnames, in that order);
    every other column takes the model's default, prepared once per insert rather than per row.
    """

    def __init__(self, model: type[Model], given: Sequence[str], *, now: dt.datetime) -> None:
        fields: list[Field[Any, Any]] = [f for f in model._meta.concrete_fields if not f.primary_key]
        names = [f.attname for f in fields]
        unknown = sorted(set(given) - set(names))
        if unknown:
            raise ValueError(f"{model.__name__} has no columns {unknown}")
        rest = [f for f in fields if f.attname not in given]
        self.defaults = tuple(_prepared_default(f, now) for f in rest)
        position = {name: i for i, name in enumerate([*given, *(f.attname for f in rest)])}
        at = [position[n] for n in names]
        # itemgetter of one index returns the bare value, not a 1-tuple
        self._order: Callable[[tuple[Any, ...]], tuple[Any, ...]] = (
            itemgetter(*at) if len(at) > 1 else lambda r: (r[at[0]],)
        )
        qn = connection.ops.quote_name
        table, columns = qn(model._meta.db_table), ", ".join(qn(str(f.column)) for f in fields)
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        self.copy_sql = f"COPY {table} ({columns}) FROM STDIN"

    def execute(self, rows: Iterable[tuple[Any, ...]]) -> int:
        if connection.vendor == "postgresql":
            return self._copy(rows)
        order, defaults, count = self._order, self.defaults, 0
        with connection.cursor() as cur:
            for chunk in batched(rows, ROW_CHUNK):
                cur.executemany(self.sql, [order(r + defaults) for r in chunk])
                count += len(chunk)
        return count

    def _copy(self, rows: Iterable[tuple[Any, ...]]) -> int:
        """PostgreSQL: COPY streams the rows in one statement (executemany: one round trip per row)."""
        order, defaults, count = self._order, self.defaults, 0
        # The raw psycopg cursor is used for COPY: wrap its errors as Django's own (IntegrityError…),
        # as every cursor.execute is, so callers handle a unique-key race the same on both databases.
        with connection.wrap_database_errors, connection.cursor() as cur, cur.cursor.copy(self.copy_sql) as copy:
            for r in rows:
                copy.write_row(order(r + defaults))
                count += 1
        return count


def insert_objects(model: type[Model], objs: Sequence[Model], *, now: dt.datetime, const: dict[str, Any]) -> int:
    """Insert unsaved model instances whose ids nobody needs back (`const` fills columns they lack)."""
    fields: list[Field[Any, Any]] = [
        f for f in model._meta.concrete_fields if not f.primary_key and f.attname not in const
    ]
    insert = Insert(model, [*(f.attname for f in fields), *const], now=now)
    extra = tuple(const.values())
    return insert.execute(
        tuple(f.get_db_prep_save(getattr(o, f.attname), connection) for f in fields) + extra for o in objs
    )


def history_insert(
    model: type[Model], objs: Sequence[Model], *, now: dt.datetime, actor_id: int | None, reason: str
) -> int:
    """The "+" (created) history rows simple-history writes on the single path, for stored instances."""
    history = model.history.model  # type: ignore[attr-defined]  # simple_history adds `history` at run time
    const = {
        "history_date": connection.ops.adapt_datetimefield_value(now),
        "history_type": "+",
        "history_change_reason": reason,
        "history_user_id": actor_id,
    }
    return insert_objects(history, objs, now=now, const=const)


def history_copy(
    model: type[Model], *, where: str, ids: Sequence[int], now: dt.datetime, actor_id: int | None, reason: str
) -> None:
    """History rows "+" copied in the database from the rows just stored, so they show exactly those.

    `where` names the column `ids` select on (the table's own id, or a parent's id for its children).
    """
    hist = model.history.model  # type: ignore[attr-defined]  # simple_history adds `history` at run time
    base = {f.column for f in model._meta.concrete_fields}
    shared = [f.column for f in hist._meta.concrete_fields if f.column in base]
    qn = connection.ops.quote_name
    cols = ", ".join(qn(c) for c in shared)
    meta = (connection.ops.adapt_datetimefield_value(now), reason, actor_id)
    with connection.cursor() as cur:
        for chunk, condition in _in(ids):
            cur.execute(
                f"INSERT INTO {qn(hist._meta.db_table)} ({cols}, history_date, history_change_reason, history_type, "
                f"history_user_id) SELECT {cols}, %s, %s, '+', %s FROM {qn(model._meta.db_table)} "
                f"WHERE {qn(where)} {condition}",
                [*meta, *chunk],
            )


def lookup(model: type[Model], column: str, other: str, values: Sequence[Any]) -> list[tuple[Any, Any]]:
    """(column, other) of the rows whose `column` is one of `values`, unscoped, in chunks.

    Plain SQL because compiling an ORM `__in` of 900 values costs more than running it.
    """
    qn = connection.ops.quote_name
    found: list[tuple[Any, Any]] = []
    with connection.cursor() as cur:
        for chunk, condition in _in(values):
            cur.execute(
                f"SELECT {qn(column)}, {qn(other)} FROM {qn(model._meta.db_table)} WHERE {qn(column)} {condition}",
                chunk,
            )
            found += cur.fetchall()
    return found


def _in(values: Sequence[Any]) -> Iterator[tuple[list[Any], str]]:
    """(parameters, condition) selecting `values`: `= ANY(array)` on PostgreSQL, `IN (…)` chunks elsewhere.

    One array parameter keeps PostgreSQL at one statement, planned once, whatever the count.
    """
    if connection.vendor == "postgresql":
        if values:
            yield [list(values)], "= ANY(%s)"
        return
    for chunk in batched(values, IN_CHUNK):
        yield list(chunk), f"IN ({', '.join(['%s'] * len(chunk))})"
