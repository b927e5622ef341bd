"""Parameter look-ups (unscoped: configuration is not personal data): the employment policy of an
area, a workshop's wage rule and an asset's split rule, each as in force on a date; and, scoped to
the county administrator, the parameters page of an area."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bangfu.accounts.domain.roles import Cap
from bangfu.areas import selectors as areas
from bangfu.areas.domain.codes import SIGNIFICANT, Level
from bangfu.core.errors import ApplicationError, NotFound
from bangfu.employment import access
from bangfu.employment.domain import criteria
from bangfu.employment.models import DividendRule, EmploymentPolicy, WageRule
from bangfu.employment.selectors._common import covering_codes, in_force

if TYPE_CHECKING:
    from bangfu.accounts.models import User


def policies_in_force(village_codes: list[str], on: dt.date) -> dict[str, EmploymentPolicy]:
    """The row in force for each village code, most specific area first, in one query."""
    covering = {code: covering_codes(code) for code in village_codes}
    rows: dict[str, EmploymentPolicy] = {}
    wanted = {c for codes in covering.values() for c in codes}
    for p in EmploymentPolicy.objects.filter(in_force(on), area_id__in=wanted).order_by("-effective_from"):
        rows.setdefault(p.area_id, p)
    out: dict[str, EmploymentPolicy] = {}
    for village, codes in covering.items():
        found = next((rows[c] for c in codes if c in rows), None)
        if found is None:
            raise ApplicationError(
                zh=f"{on}时本地区尚未配置就业帮扶参数（认定标准、公益岗位、劳动年龄），请县级管理员先在参数中配置",
                en=f"No employment parameters in force on {on} for this area; "
                "a county administrator must configure them",
                code="no_policy",
                status=409,
            )
        out[village] = found
    return out


def probation_convention(village_code: str, on: dt.date) -> tuple[str, bool]:
    """How the area splits a month in which probation ends: (day count, end day included).
    Calendar days and the end day excluded where no parameters are configured."""
    try:
        p = policy_in_force(village_code, on)
    except ApplicationError:
        return "calendar", False
    return p.probation_day_count, p.probation_end_day_included


def policy_in_force(village_code: str, on: dt.date) -> EmploymentPolicy:
    return policies_in_force([village_code], on)[village_code]


def thresholds(p: EmploymentPolicy) -> criteria.Thresholds:
    return criteria.Thresholds(
        p.min_poor_workers,
        p.min_insurance_per_worker_month,
        p.upgrade_min_months_running,
        p.upgrade_min_long_contract_workers,
        p.upgrade_min_contract_months,
        p.upgrade_min_average_annual_pay,
        p.upgrade_min_annual_revenue,
    )


def wage_rule_in_force(workshop_id: int, code: str, on: dt.date) -> WageRule | None:
    return WageRule.objects.filter(in_force(on), workshop_id=workshop_id, code=code).order_by("-effective_from").first()


def dividend_rule_in_force(asset_id: int, on: dt.date) -> DividendRule | None:
    return DividendRule.objects.filter(in_force(on), asset_id=asset_id).order_by("-effective_from").first()


# ---- the parameters page (county administrators: access.require_configure) ----


@dataclass(frozen=True)
class PolicyOverview:
    area: Any
    on: dt.date
    current: EmploymentPolicy | None  # the row applying on `on`: the area's own or an area's above it
    history: list[EmploymentPolicy]  # rows of the area and of the areas above it, most specific, newest first
    below: list[EmploymentPolicy]  # rows in force of areas under it: there they apply instead


def policy_areas(user: User) -> list[Any]:
    """Areas whose parameters the user sets, outermost first (a village group has no parameters)."""
    return list(areas.areas_visible(user, cap=Cap.CONFIGURE).exclude(level=Level.GROUP.value))


def policy_overview(user: User, area_code: str, on: dt.date) -> PolicyOverview:
    access.require_configure(user, area_code)
    area = areas.area_by_code(area_code)
    if area is None or area.level == Level.GROUP.value:
        raise NotFound()
    codes = covering_codes(area_code)
    rank = {c: codes.index(c) for c in codes}
    rows = EmploymentPolicy.objects.filter(area_id__in=codes).select_related("area")
    history = sorted(rows, key=lambda p: (rank[p.area_id], -p.effective_from.toordinal()))
    current = next((p for p in history if p.effective_from <= on and (p.effective_to or on) >= on), None)
    inside = areas.under_code_q("area_id", area_code[: SIGNIFICANT[Level(area.level)]])
    below = EmploymentPolicy.objects.filter(in_force(on), inside).exclude(area_id=area_code).select_related("area")
    return PolicyOverview(area, on, current, history, list(below.order_by("area_id")))
