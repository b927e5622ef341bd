"""The last guard before the database: every model save is checked against its columns.

Services validate their input with `core.domain.inputs` and say which field is wrong in their own
words; this guard catches whatever a service forgot, on both databases alike (SQLite would store a
2,000-character address in a 200-character column, or an amount its DECIMAL column cannot hold and
then fail on every later read; PostgreSQL would answer 500). It raises the same bilingual
`ValidationFailed`, so a form or the API shows a 422, and nothing is written. The database CHECK
constraints (`bounded`) are the very last line.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import connection, models
from django.db.models.signals import pre_save

from bangfu.core.domain.inputs import text_problem
from bangfu.core.errors import ValidationFailed, invalid
from bangfu.core.policy import date_window


def decimal_limit(field: models.DecimalField[Any, Any]) -> Decimal:
    """The first value a DECIMAL(max_digits, decimal_places) column cannot hold."""
    return Decimal(10) ** (field.max_digits - field.decimal_places)


def bounded(model: str, limits: dict[str, Decimal | int], *, signed: tuple[str, ...] = ()) -> list[Any]:
    """CHECK (-limit <) 0 ≤ column < limit for each column: the database's own last guard."""
    out: list[Any] = []
    for f, limit in limits.items():
        low = models.Q(**{f"{f}__gt": -limit}) if f in signed else models.Q(**{f"{f}__gte": 0})
        out.append(models.CheckConstraint(condition=low & models.Q(**{f"{f}__lt": limit}), name=f"{model}_{f}_range"))
    return out


def _problem(model: type[models.Model], f: models.Field[Any, Any], zh: str, en: str) -> ValidationFailed:
    label = str(f.verbose_name or f.name)
    return invalid(f.name, f"{label}：{zh}", f"{f.name}: {en}")


def check_instance(instance: models.Model) -> None:
    """Raise ValidationFailed when a value does not fit its column (length, characters, digits, range)."""
    model = type(instance)
    for f in model._meta.concrete_fields:
        value = getattr(instance, f.attname, None)
        problem = None if value is None else field_problem(f, value)
        if problem:
            raise _problem(model, f, *problem)


TEXT_LIMIT = 10_000  # a TEXT column has no size; what a person writes in a note or reason fits this
_OUT_OF_RANGE = ("数值超出可登记范围", "the number is out of range")


def field_problem(f: models.Field[Any, Any], value: Any) -> tuple[str, str] | None:
    """(zh, en) when `value` cannot be stored in column `f`, else None."""
    if isinstance(f, models.CharField | models.TextField) and isinstance(value, str):
        return text_problem(value, max_len=f.max_length or TEXT_LIMIT, multiline=True)
    if isinstance(f, models.DecimalField) and isinstance(value, Decimal | int | float):
        d = Decimal(str(value)) if not isinstance(value, Decimal) else value
        return None if d.is_finite() and abs(d) < decimal_limit(f) else _OUT_OF_RANGE
    if isinstance(f, models.DateField) and isinstance(value, dt.date):
        return None if _date_fits(value) else ("日期不在合理范围内", "the date is not plausible")
    if isinstance(f, models.IntegerField) and isinstance(value, int) and not isinstance(f, models.AutoField):
        low, high = connection.ops.integer_field_range(f.get_internal_type())
        if (low is not None and value < low) or (high is not None and value > high):
            return _OUT_OF_RANGE
    return None


OLDEST = dt.date(1900, 1, 1)  # nothing this system records (births included) is older


def _date_fits(value: dt.date) -> bool:
    """1900-01-01 up to BANGFU_FUTURE_DAYS ahead: no column holds the year 0044 or 9999."""
    if isinstance(value, dt.datetime):
        value = value.date()
    return OLDEST <= value <= date_window(future=True).latest


def _guard(sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    if raw or not sender.__module__.startswith("bangfu."):
        return
    check_instance(instance)


def connect() -> None:
    pre_save.connect(_guard, dispatch_uid="bangfu.core.guards")
