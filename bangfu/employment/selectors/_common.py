"""Filters shared by the selector modules: what "in force" and "open" mean on a date."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q


def covering_codes(village_code: str) -> list[str]:
    """Codes of the area and its ancestors, most specific first (12-digit codes, zero padded)."""
    return [village_code[:n].ljust(12, "0") for n in (12, 9, 6, 4, 2)]


def in_force(on: dt.date) -> Q:
    return Q(effective_from__lte=on) & (Q(effective_to__isnull=True) | Q(effective_to__gte=on))


def open_on(on: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}start__lte": on}) & (Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gt": on}))
