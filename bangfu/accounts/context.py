"""Template context: the navigation a user sees depends on their capabilities."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from bangfu.accounts.domain.roles import ROLE_LABELS, Role
from bangfu.accounts.selectors import capabilities_of, memberships_of
from bangfu.areas.selectors import field_worker


def nav(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    caps = {c.value for c in capabilities_of(user)}
    roles = [f"{ROLE_LABELS[Role(m.role)]}·{m.area.name}" for m in memberships_of(user)]
    return {"caps": caps, "role_labels": roles, "app_nav": _app_nav(caps), "tabbar": field_worker(user)}


NAV_APPS = [
    "registry",
    "areas",
    "monitoring",
    "casework",
    "insurance",
    "employment",
    "market",
    "rules",
    "analytics",
    "accounts",
]


def _app_nav(caps: set[str]) -> list[dict[str, str]]:
    """Each app's urls.py may declare NAV = [(capability, label, url name)]; shown when the user has it."""
    items: list[dict[str, str]] = []
    for app in NAV_APPS:
        module = import_module(f"bangfu.{app}.urls")
        for cap, label, name in getattr(module, "NAV", []):
            if cap in caps:
                items.append({"label": label, "url": reverse(name)})
    return items
