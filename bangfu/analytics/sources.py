"""The one place analytics reads other apps' tables directly: read-only, set-wise, for the batch.

Indicators count every household of a province in a handful of grouped queries. The other apps'
selectors are (rightly) scoped to one user and shaped for pages, so the batch takes the models from
here, the way monitoring's screening does (monitoring/sources.py; ADR docs/adr in the README).
Pages, reports and the timeline never come here: they go through the apps' selectors.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps


def model(app: str, name: str) -> Any:
    return apps.get_model(app, name)
