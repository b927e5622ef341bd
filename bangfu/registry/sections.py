"""Sections other modules contribute to the household page (cases and visits, claims, the timeline…).

The registry imports none of those modules. An app with something to show on a household registers
its section from its own `AppConfig.ready`, as apps connect to `registry.signals`:

    from bangfu.registry.sections import register
    register(household_section, order=30)

A provider is `(user, household_id) -> {"title": …, "template": …, "context": {…}} | None`, scoped to the
user like any selector; the page lists the sections by `order` (then by registration).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bangfu.accounts.http import AuthedHttpRequest
    from bangfu.accounts.models import User

Section = dict[str, object]
Provider = Callable[["User", int], Section | None]
_PROVIDERS: dict[str, tuple[int, Provider]] = {}


def register(provider: Provider, *, order: int) -> None:
    """Add (or replace: `ready` may run twice in tests) a module's section of the household page."""
    _PROVIDERS[f"{provider.__module__}.{provider.__qualname__}"] = (order, provider)


def sections_for(request: AuthedHttpRequest, household_id: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for _order, provider in sorted(_PROVIDERS.values(), key=lambda p: p[0]):
        section = provider(request.user, household_id)
        if section:
            out.append(section)
    return out
