"""Who sees and changes what: officers by area scope, enterprise users by their membership."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from bangfu.accounts.domain.roles import Cap, Role
from bangfu.accounts.selectors import memberships_of
from bangfu.areas.selectors import areas_visible, scope_for
from bangfu.core.errors import NotFound
from bangfu.core.selectors import get_or_404
from bangfu.market.models import Buyer, Enterprise

if TYPE_CHECKING:
    from bangfu.accounts.models import User


def _own_q(user: User) -> Q:
    """Enterprises (or buyers) named by the user's enterprise memberships' 统一社会信用代码, inside the
    membership's area: an outside organisation's account sees its own rows and nothing else."""
    q = Q(pk__in=[])
    if not getattr(user, "is_authenticated", False):
        return q
    for m in memberships_of(user):
        if m.role == Role.ENTERPRISE.value and m.organisation:
            q |= Q(credit_code=m.organisation.strip().upper(), area__code__startswith=m.area.prefix)
    return q


def is_officer_for(user: User, area_code: str) -> bool:
    """An officer who may change market data of the area. Enterprise users hold market_edit too, but
    only for their own enterprise; asking for view_reports as well is what sets the officers apart."""
    return scope_for(user, Cap.MARKET_EDIT).covers_code(area_code) and scope_for(user, Cap.VIEW_REPORTS).covers_code(
        area_code
    )


def sees_area(user: User, area_code: str) -> bool:
    return scope_for(user, Cap.VIEW_REPORTS).covers_code(area_code)


def enterprises_visible(user: User) -> QuerySet[Enterprise]:
    area_q = scope_for(user, Cap.VIEW_REPORTS).q(village="area_id", grid=None)
    return Enterprise.objects.filter(area_q | _own_q(user))


def enterprise_get(user: User, pk: int) -> Enterprise:
    e = get_or_404(enterprises_visible(user).select_related("area"), pk)
    return e


def names_an_organisation(user: User) -> bool:
    """Whether any enterprise membership names a 统一社会信用代码 (else _own_q matches nothing)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return any(m.role == Role.ENTERPRISE.value and m.organisation for m in memberships_of(user))


def own_enterprises(user: User) -> QuerySet[Enterprise]:
    if not names_an_organisation(user):  # every page's navigation asks: no query to build or run
        return Enterprise.objects.none()
    return Enterprise.objects.filter(_own_q(user))


def own_enterprise(user: User) -> Enterprise | None:
    """The enterprise an enterprise user works for (the first by name if a membership names several):
    their landing page and the first entry of their navigation."""
    return own_enterprises(user).order_by("name").first()


def own_buyers(user: User) -> QuerySet[Buyer]:
    """Institutional buyers whose own account this is (buyer self-service): the membership's organisation
    is the unit's 统一社会信用代码. A blank code on a buyer never matches (memberships name a code)."""
    if not names_an_organisation(user):
        return Buyer.objects.none()
    return Buyer.objects.filter(_own_q(user)).exclude(credit_code="")


def can_edit(user: User, enterprise: Enterprise) -> bool:
    return is_officer_for(user, enterprise.area_id) or own_enterprises(user).filter(pk=enterprise.pk).exists()


def officer_areas(user: User) -> list[Any]:
    """Areas (county down to village) where the user may register enterprises, buyers and parameters."""
    rows = areas_visible(user, cap=Cap.MARKET_EDIT).order_by("code")
    return [a for a in rows if is_officer_for(user, a.code)]


def require_officer_somewhere(user: User) -> list[Any]:
    """The officer's areas, or 404: a page that only creates things reveals nothing to anybody else."""
    found = officer_areas(user)
    if not found:
        raise NotFound()
    return found


def sees_any_market(user: User) -> bool:
    """Officers with reports somewhere, or an enterprise user with an enterprise."""
    return not scope_for(user, Cap.VIEW_REPORTS).empty or own_enterprises(user).exists()
