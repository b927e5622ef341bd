"""Who may see and change employment records: the one place this app combines area scope and operators.

Two kinds of access:
- Officers see the records of workshops, courses, posts and assets in their areas (the VIEW_PEOPLE
  scope) and change them where they also hold EMPLOYMENT_EDIT.
- An enterprise user (a role with EMPLOYMENT_EDIT but without VIEW_PEOPLE) acts for one operator:
  Membership.organisation holds the operator's 18-character unified social credit code, and the user
  sees and changes only that operator's workshops (and their workers, training and payroll) inside
  the membership's area. A membership with an empty organisation gives such a user nothing.
Employment parameters (EmploymentPolicy rows) are configuration: only a role with CONFIGURE (the
county administrator) over the area views and sets them.
Area scoping itself is areas.selectors.scope_for; this module only composes its filters.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from bangfu.accounts.domain.roles import CAPABILITIES, Cap, Role
from bangfu.accounts.selectors import memberships_of
from bangfu.areas.domain.codes import SIGNIFICANT, Level
from bangfu.areas.selectors import Scope, require, scope_for

if TYPE_CHECKING:
    from bangfu.accounts.models import User


def operator_bindings(user: User) -> list[tuple[str, str]]:
    """(credit code, area prefix) for each membership acting for an operator."""
    out: list[tuple[str, str]] = []
    if not getattr(user, "is_authenticated", False):
        return out
    for m in memberships_of(user):
        caps = CAPABILITIES[Role(m.role)]
        if Cap.EMPLOYMENT_EDIT in caps and Cap.VIEW_PEOPLE not in caps and m.organisation:
            out.append((m.organisation, m.area.code[: SIGNIFICANT[Level(m.area.level)]]))
    return out


def officer_q(user: User, village: str, *, edit: bool) -> Q:
    """Rows whose village code field `village` lies in the user's officer areas."""
    seen = scope_for(user, Cap.VIEW_PEOPLE).q(village=village, grid=None)
    if not edit:
        return seen
    return seen & scope_for(user, Cap.EMPLOYMENT_EDIT).q(village=village, grid=None)


def operator_q(user: User, village: str, operator_code: str) -> Q:
    """Rows of the operators the user acts for, inside each binding's area."""
    q = Q(pk__in=[])
    for code, prefix in operator_bindings(user):
        q |= Q(**{operator_code: code}) & Scope(prefixes=(prefix,)).q(village=village, grid=None)
    return q


def workshop_q(user: User, prefix: str = "", *, edit: bool = False) -> Q:
    """Filter for workshops (prefix '' ) or rows reaching a workshop through `prefix` ('workshop__')."""
    return officer_q(user, f"{prefix}village_id", edit=edit) | operator_q(
        user, f"{prefix}village_id", f"{prefix}operator__credit_code"
    )


def acts_for(user: User, village_code: str, operator_code: str) -> bool:
    """Does the user act for this operator in this village (an enterprise user's own workshop)?"""
    return any(code == operator_code and village_code.startswith(prefix) for code, prefix in operator_bindings(user))


def is_operator_user(user: User) -> bool:
    return bool(operator_bindings(user))


def covers_member_village(user: User, village_code: str) -> bool:
    """May an operator user hire or train a person registered in this village?"""
    return any(village_code.startswith(prefix) for _, prefix in operator_bindings(user))


def require_configure(user: User, area_code: str) -> None:
    """Parameters of an area: 404 for an area the user does not reach at all (reveals nothing),
    403 for one the user sees but whose role may not configure it."""
    require(
        user,
        Cap.CONFIGURE,
        area_code,
        zh="只有本地区的县级管理员可以查看和设置就业帮扶参数",
        en="Only a county administrator of this area views and sets employment parameters",
    )


def may_configure(user: User) -> bool:
    """Whether to offer the parameters page at all (the page itself checks the area)."""
    return not scope_for(user, Cap.CONFIGURE).empty
