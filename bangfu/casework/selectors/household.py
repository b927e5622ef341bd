"""The casework section of the registry's household page (registry/sections.py finds it by name)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from bangfu.accounts.domain.roles import Cap
from bangfu.accounts.selectors import has_cap
from bangfu.casework.domain import codes
from bangfu.casework.models import Case, Visit
from bangfu.core.errors import NotFound
from bangfu.registry.selectors import household_get

if TYPE_CHECKING:
    from bangfu.accounts.models import User


def household_section(user: User, household_id: int) -> dict[str, object] | None:
    """Cases and the latest visits for the registry's household page (registry/sections.py calls this)."""
    try:
        h = household_get(user, household_id)
    except NotFound:
        return None
    cases = list(Case.objects.filter(household=h).order_by("-opened_on", "-pk")[:10])
    visits = list(Visit.objects.filter(household=h).select_related("worker").order_by("-visited_on", "-pk")[:10])
    return {
        "title": _("监测案件与走访"),
        "template": "casework/_household_section.html",
        "context": {
            "cases": cases,
            "visits": visits,
            "household": h,
            "checks": codes.VISIT_CHECKS,
            "can_visit": has_cap(user, Cap.LOG_VISITS),
            "can_open": has_cap(user, Cap.CASE_ACCEPT),
        },
    }
