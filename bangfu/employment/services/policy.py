"""Writes of the employment parameters (configuration rows per area with effective dates)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from django.db import transaction

from bangfu.areas import selectors as areas
from bangfu.areas.domain.codes import Level
from bangfu.core.errors import NotFound, invalid
from bangfu.core.services import audit_record
from bangfu.employment import access
from bangfu.employment.domain.criteria import Thresholds
from bangfu.employment.domain.wages import DayCount
from bangfu.employment.models import EmploymentPolicy
from bangfu.employment.services._common import end_current_version

if TYPE_CHECKING:
    from bangfu.accounts.models import User


@dataclass(frozen=True)
class PolicyInput(Thresholds):
    """A parameter row from `effective_from`, parsed at the edge (`employment.inputs.policy_input`): the
    workshop thresholds (`criteria.Thresholds`), then the posts', working age's and probation's values, in
    the order the parameters page shows them."""

    welfare_posts_per_household: int | None  # None: the rules of the area set no limit
    welfare_max_age: int
    working_age_min: int
    working_age_max: int
    effective_from: dt.date
    probation_day_count: str = DayCount.CALENDAR.value
    probation_end_day_included: bool = False
    note: str = ""


# Every value of a parameter row, in the order the parameters page shows them.
POLICY_FIELDS = tuple(f.name for f in fields(PolicyInput) if f.name != "effective_from")


@transaction.atomic
def policy_set(*, actor: User, area_code: str, policy: PolicyInput) -> EmploymentPolicy:
    """A new parameter row from a date; the row it replaces ends the day before, and stays as history
    (checks made on earlier dates keep reading the values then in force)."""
    access.require_configure(actor, area_code)
    area = areas.area_by_code(area_code)
    if area is None or area.level == Level.GROUP.value:
        raise NotFound()
    if policy.working_age_min >= policy.working_age_max:
        raise invalid("working_age_max", "劳动年龄上限应大于下限", "the upper working age must exceed the lower")
    start = policy.effective_from
    cleaned = {f: getattr(policy, f) for f in POLICY_FIELDS}
    end_current_version(
        EmploymentPolicy.objects.filter(area_id=area_code),
        start,
        lambda since: invalid(
            "effective_from",
            f"该地区已有{since}起生效的参数，新参数的生效日期须晚于此日期",
            f"Parameters already apply from {since}; choose a later date",
        ),
    )
    made = EmploymentPolicy.objects.create(area_id=area_code, effective_from=start, **cleaned)
    audit_record(
        actor=actor,
        action="policy_set",
        obj=made,
        area_code=area_code,
        data={"effective_from": str(start)} | {k: str(v) for k, v in cleaned.items()},
    )
    return made
