"""Public-welfare posts (公益岗位): officers only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from bangfu.accounts.domain.roles import Cap
from bangfu.areas.selectors import require
from bangfu.core.selectors import get_or_404
from bangfu.employment import access
from bangfu.employment.models import WelfarePost

if TYPE_CHECKING:
    from bangfu.accounts.models import User


def posts_visible(user: User, *, edit: bool = False) -> QuerySet[WelfarePost]:
    return WelfarePost.objects.filter(access.officer_q(user, "village_id", edit=edit)).select_related(
        "member", "household", "village"
    )


def post_get(user: User, pk: int, *, edit: bool = False) -> WelfarePost:
    p = get_or_404(posts_visible(user, edit=edit), pk)
    return p


def post_to_change(user: User, pk: int) -> WelfarePost:
    """A post for a form that changes it: 404 beyond the user's areas, 403 where the user only sees it."""
    p = post_get(user, pk)
    require(
        user,
        Cap.EMPLOYMENT_EDIT,
        p.village_id,
        zh="您的角色无权修改公益岗位",
        en="Your role may not change welfare posts",
    )
    return p
