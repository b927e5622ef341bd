"""Sections other modules contribute to the household page.

Each module that has something to show on a household (claims, jobs, visits, warnings…) exposes a
selector `household_section(user, household_id) -> dict | None` in its selectors module, returning
{"title": …, "template": …, "context": {…}}. The registry page lists them in this order. The
registry calls only those selectors, so the import boundaries hold.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bangfu.accounts.http import AuthedHttpRequest

SECTION_APPS = ["monitoring", "casework", "insurance", "employment", "market", "analytics"]


def sections_for(request: AuthedHttpRequest, household_id: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for app in SECTION_APPS:
        module = import_module(f"bangfu.{app}.selectors")
        provider = getattr(module, "household_section", None)
        if provider is None:
            continue
        section = provider(request.user, household_id)
        if section:
            out.append(section)
    return out
