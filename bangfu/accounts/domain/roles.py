"""Roles and what each may do. A user holds roles per area (Membership rows)."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

from bangfu.core.domain.text import gettext_noop


class Role(StrEnum):
    COUNTY_ADMIN = "county_admin"
    TOWNSHIP_OFFICER = "township_officer"
    VILLAGE_CADRE = "village_cadre"
    GRID_WORKER = "grid_worker"
    DEPT_OFFICER = "dept_officer"
    INSURER = "insurer_adjuster"
    ENTERPRISE = "enterprise_user"
    AUDITOR = "auditor"


ROLE_LABELS = {
    Role.COUNTY_ADMIN: gettext_noop("县级管理员"),
    Role.TOWNSHIP_OFFICER: gettext_noop("乡镇干部"),
    Role.VILLAGE_CADRE: gettext_noop("村干部"),
    Role.GRID_WORKER: gettext_noop("网格员"),
    Role.DEPT_OFFICER: gettext_noop("部门数据专员"),
    Role.INSURER: gettext_noop("保险查勘员"),
    Role.ENTERPRISE: gettext_noop("企业用户"),
    Role.AUDITOR: gettext_noop("只读审计员"),
}


class Cap(StrEnum):
    """Capabilities. Pages and services ask for a capability, never for a role name."""

    VIEW_PEOPLE = "view_people"  # see households and members in the role's areas
    EDIT_REGISTRY = "edit_registry"
    VIEW_FULL_ID = "view_full_id"
    IMPORT_REGISTRY = "import_registry"
    MANAGE_AREAS = "manage_areas"
    MANAGE_USERS = "manage_users"
    CONFIGURE = "configure"  # rules, schemes, parameters of the area
    UPLOAD_FEEDS = "upload_feeds"
    HANDLE_WARNINGS = "handle_warnings"
    LOG_VISITS = "log_visits"
    CASE_ACCEPT = "case_accept"  # township steps
    CASE_VILLAGE = "case_village"  # village steps: verification, deliberation, notice
    CASE_APPROVE = "case_approve"  # county approval
    CLAIM_SURVEY = "claim_survey"
    CLAIM_APPROVE = "claim_approve"
    EMPLOYMENT_EDIT = "employment_edit"
    MARKET_EDIT = "market_edit"
    VIEW_REPORTS = "view_reports"
    VIEW_AUDIT = "view_audit"  # read the audit log (who did what, when, to which object) of the area


_OFFICER = {Cap.VIEW_PEOPLE, Cap.EDIT_REGISTRY, Cap.HANDLE_WARNINGS, Cap.VIEW_REPORTS, Cap.LOG_VISITS}

CAPABILITIES: dict[Role, frozenset[Cap]] = {
    Role.COUNTY_ADMIN: frozenset(
        _OFFICER
        | {
            Cap.VIEW_FULL_ID,
            Cap.IMPORT_REGISTRY,
            Cap.MANAGE_AREAS,
            Cap.MANAGE_USERS,
            Cap.CONFIGURE,
            Cap.CASE_ACCEPT,
            Cap.CASE_VILLAGE,
            Cap.CASE_APPROVE,
            Cap.CLAIM_APPROVE,
            Cap.EMPLOYMENT_EDIT,
            Cap.MARKET_EDIT,
            Cap.VIEW_AUDIT,
        }
    ),
    # MANAGE_USERS: village and grid accounts of the township, only while the county's account policy
    # allows it (accounts.selectors.admin_scope reads the policy).
    Role.TOWNSHIP_OFFICER: frozenset(
        _OFFICER
        | {
            Cap.VIEW_FULL_ID,
            Cap.IMPORT_REGISTRY,
            Cap.CASE_ACCEPT,
            Cap.CASE_VILLAGE,
            Cap.EMPLOYMENT_EDIT,
            Cap.MANAGE_USERS,
        }
    ),
    Role.VILLAGE_CADRE: frozenset(_OFFICER | {Cap.CASE_VILLAGE}),
    Role.GRID_WORKER: frozenset({Cap.VIEW_PEOPLE, Cap.LOG_VISITS, Cap.HANDLE_WARNINGS}),
    Role.DEPT_OFFICER: frozenset({Cap.UPLOAD_FEEDS}),
    Role.INSURER: frozenset({Cap.CLAIM_SURVEY}),
    Role.ENTERPRISE: frozenset({Cap.EMPLOYMENT_EDIT, Cap.MARKET_EDIT}),
    Role.AUDITOR: frozenset({Cap.VIEW_PEOPLE, Cap.VIEW_REPORTS, Cap.VIEW_AUDIT}),
}

# Roles whose people-data scope is their grids, not their whole area.
GRID_SCOPED = frozenset({Role.GRID_WORKER})


# --- Declaring what a route writes -------------------------------------------------------------

WRITES_ATTR = "bangfu_writes"
F = TypeVar("F", bound=Callable[..., Any])


def writes(*caps: Cap) -> Callable[[F], F]:
    """Declare that a page view or API operation changes data and needs one of `caps`.

    Put it next to the route (under `@router.post(...)`, or on the view function). The declaration is
    enforced before the input is read: on POST/PUT/PATCH/DELETE a logged-in user holding none of
    `caps` in any area gets 403 (`accounts.middleware.WriteCapabilityMiddleware` for pages,
    `bangfu.api` for API operations); which area the capability must cover is still the service's
    check. `writes()` without a capability declares a write any logged-in user may make (their own
    password or tokens, a search sent by POST). tests/test_access_matrix.py fails for a writing route
    without a declaration. The function is returned unchanged (only an attribute is set), so Ninja
    still reads its signature.
    """

    def mark(func: F) -> F:
        setattr(func, WRITES_ATTR, frozenset(caps))
        return func

    return mark


def writes_of(func: object) -> frozenset[Cap] | None:
    """The capabilities declared with `writes` on a view (None: not declared)."""
    declared = getattr(func, WRITES_ATTR, None)
    return frozenset(declared) if declared is not None else None
