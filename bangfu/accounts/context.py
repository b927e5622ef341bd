"""Template context: the navigation a user sees depends on their capabilities."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from bangfu.accounts.domain.roles import ROLE_LABELS, Role
from bangfu.accounts.selectors import capabilities_of, memberships_of


def nav(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    caps = {c.value for c in capabilities_of(user)}
    roles = [f"{ROLE_LABELS[Role(m.role)]}·{m.area.name}" for m in memberships_of(user)]
    return {"caps": caps, "role_labels": roles}
