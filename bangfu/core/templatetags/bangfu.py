"""Template helpers: dictionary look-up, select options as pairs, money formatting, whether a stored
file can be previewed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from bangfu.core import files

register = template.Library()


@register.filter
def get(mapping: Any, key: Any) -> Any:
    if mapping is None:
        return None
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def choices(options: Any) -> list[tuple[Any, Any]]:
    """Options of a select as (value, label) pairs; a plain value is its own label ("" shows as —)."""
    out: list[tuple[Any, Any]] = []
    for o in options or ():
        if isinstance(o, list | tuple) and len(o) == 2:
            out.append((o[0], o[1]))
        else:
            out.append((o, o if o not in (None, "") else "—"))
    return out


@register.filter
def without(errors: Any, names: Any) -> list[str]:
    """The messages of `errors` (field → messages) whose field is not among `names`: the ones no field shows."""
    shown = set(names or ())
    return [m for k, msgs in (errors or {}).items() if k not in shown for m in msgs]


@register.filter
def money(value: Any) -> str:
    """12,345.60 — thousands separated, two places, for yuan amounts."""
    if value in (None, ""):
        return "—"
    return f"{Decimal(value):,.2f}"


@register.filter
def previewable(stored_name: str | None) -> bool:
    """Whether a stored file (by its generated name) is an image or PDF a browser may show in place."""
    return files.previewable(stored_name or "")
