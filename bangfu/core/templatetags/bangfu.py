"""Template helpers: dictionary look-up and money formatting."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

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
def money(value: Any) -> str:
    """12,345.60 — thousands separated, two places, for yuan amounts."""
    if value in (None, ""):
        return "—"
    return f"{Decimal(value):,.2f}"
