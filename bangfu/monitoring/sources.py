"""The one place monitoring reads registry tables directly, read-only.

Screening needs every household of a province in a fixed number of set-wise reads, and registry's
selectors are (rightly) scoped to a user and shaped for pages. Rather than leak raw table names all
over, the batch engine and the single-household path take their tables from here.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps


def model(name: str) -> Any:
    return apps.get_model("registry", name)


def table(name: str) -> str:
    if name in {"FeedRow", "Warning"}:
        return str(apps.get_model("monitoring", name)._meta.db_table)
    return str(model(name)._meta.db_table)

