"""Model instances from hand-written SQL, with the ORM's own value conversion.

Most reads go through querysets. A few requests are so frequent that building and compiling their
queryset costs more than the database does (the household API GET: each ORM query is ~1 ms of Python
against ~0.1 ms to run it; bench/requests/README.md). Those reads write their SQL once, as text,
and use `Columns` to select a model's concrete columns and turn each row back into an instance
exactly as the ORM would (dates, booleans, decimals and JSON converted by the backend's and the
field's converters), so the code that reads the instance cannot tell the difference.
Such a read must have a test that compares it with the queryset it replaces.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model
from django.db.models.expressions import Col

type Converter = Callable[[Any, Any, Any], Any]


class Columns[M: Model]:
    """The concrete columns of `model` under the SQL table alias `alias` (`"h"."id", "h"."number", …`)."""

    def __init__(self, model: type[M], alias: str) -> None:
        self.model = model
        self.table = model._meta.db_table
        self.fields: list[Field[Any, Any]] = list(model._meta.concrete_fields)
        self.names = [f.attname for f in self.fields]
        self.sql = ", ".join(f'"{alias}"."{f.column}"' for f in self.fields)
        self.width = len(self.fields)

    def instance(self, using: str, row: Sequence[Any], start: int = 0) -> M:
        """The instance read from `row[start:start + width]`, as the database `using` returned it."""
        values = list(row[start : start + self.width])
        connection = connections[using]
        for i, col, convert in _converters(self.model, connection):
            for c in convert:
                values[i] = c(values[i], col, connection)
        return self.model.from_db(using, self.names, values)


def fetch(using: str, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """The rows `sql` returns with `params` on the database `using`."""
    with connections[using].cursor() as cur:
        cur.execute(sql, params)
        return list(cur.fetchall())


def fetch_one(using: str, sql: str, params: Sequence[Any]) -> tuple[Any, ...] | None:
    """The first row `sql` returns with `params` on the database `using`, or None."""
    with connections[using].cursor() as cur:
        cur.execute(sql, params)
        row: tuple[Any, ...] | None = cur.fetchone()
        return row


@cache
def _converters(model: type[Model], connection: BaseDatabaseWrapper) -> list[tuple[int, Col, list[Converter]]]:
    """The columns whose raw value the ORM converts on this connection (a thread's own; per process):
    their index, the column expression the converters expect, and the converters in the ORM's order."""
    found = []
    for i, f in enumerate(model._meta.concrete_fields):
        col = f.get_col(model._meta.db_table)
        convert = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if convert:
            found.append((i, col, convert))
    return found
