"""Writes of the employment parameters (configuration rows per area with effective dates)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction

from bangfu.areas import selectors as areas
from bangfu.areas.domain.codes import Level
from bangfu.core.errors import FieldProblem, NotFound, ValidationFailed, invalid
from bangfu.core.services import audit_record
from bangfu.employment import access
from bangfu.employment.domain.wages import DAY_COUNT_LABELS, DayCount
from bangfu.employment.models import EmploymentPolicy
from bangfu.employment.services._common import date, money, whole

if TYPE_CHECKING:
    from bangfu.accounts.models import User

_AMOUNTS = ("min_insurance_per_worker_month", "upgrade_min_average_annual_pay", "upgrade_min_annual_revenue")
# Every value of a parameter row, in the order the parameters page shows them.
POLICY_FIELDS = (
    "min_poor_workers",
    "min_insurance_per_worker_month",
    "upgrade_min_months_running",
    "upgrade_min_long_contract_workers",
    "upgrade_min_contract_months",
    "upgrade_min_average_annual_pay",
    "upgrade_min_annual_revenue",
    "welfare_posts_per_household",
    "welfare_max_age",
    "working_age_min",
    "working_age_max",
    "probation_day_count",
    "probation_end_day_included",
    "note",
)


def _one(name: str, raw: Any) -> Any:
    if name == "effective_from":
        return date(name, raw)
    if name == "note":
        return str(raw or "")[:200]
    if name == "probation_day_count":
        if raw in (None, ""):
            return DayCount.CALENDAR.value
        if raw not in DAY_COUNT_LABELS:
            raise invalid(
                name,
                f"请选择：{'、'.join(DAY_COUNT_LABELS.values())}",
                f"choose one of {', '.join(DAY_COUNT_LABELS)}",
            )
        return str(raw)
    if name == "probation_end_day_included":
        return raw in (True, "true", "True", "on", "1", "是", 1)
    if name == "welfare_posts_per_household":  # empty: the rules of the area set no limit
        return None if raw in (None, "") else whole(name, raw, low=1, high=10)
    if raw in (None, ""):
        label = next(f.verbose_name for f in EmploymentPolicy._meta.fields if f.name == name)
        raise invalid(name, f"请填写“{label}”", f"enter {name.replace('_', ' ')}")
    return money(name, raw) if name in _AMOUNTS else whole(name, raw, high=1000)


def _clean(effective_from: Any, values: dict[str, Any]) -> tuple[dt.date, dict[str, Any]]:
    """The date and every value checked, and every problem reported at once next to its field."""
    out: dict[str, Any] = {}
    problems: list[FieldProblem] = []
    for name in ("effective_from", *POLICY_FIELDS):
        try:
            out[name] = _one(name, effective_from if name == "effective_from" else values.get(name))
        except ValidationFailed as exc:
            problems += exc.problems
    if not problems and out["working_age_min"] >= out["working_age_max"]:
        problems.append(
            FieldProblem("working_age_max", "劳动年龄上限应大于下限", "the upper working age must exceed the lower")
        )
    if problems:
        raise ValidationFailed(problems)
    return out.pop("effective_from"), out


@transaction.atomic
def policy_set(
    *, actor: User, area_code: str, effective_from: dt.date | str, values: dict[str, Any]
) -> EmploymentPolicy:
    """A new parameter row from a date; the row it replaces ends the day before, and stays as history
    (checks made on earlier dates keep reading the values then in force)."""
    access.require_configure(actor, area_code)
    area = areas.area_by_code(area_code)
    if area is None or area.level == Level.GROUP.value:
        raise NotFound()
    start, cleaned = _clean(effective_from, values)
    current = EmploymentPolicy.objects.select_for_update().filter(area_id=area_code, effective_to__isnull=True)
    for row in current:
        if row.effective_from >= start:
            raise invalid(
                "effective_from",
                f"该地区已有{row.effective_from}起生效的参数，新参数的生效日期须晚于此日期",
                f"Parameters already apply from {row.effective_from}; choose a later date",
            )
        row.effective_to = start - dt.timedelta(days=1)
        row.save(update_fields=["effective_to"])
    policy = EmploymentPolicy.objects.create(area_id=area_code, effective_from=start, **cleaned)
    audit_record(
        actor=actor,
        action="policy_set",
        obj=policy,
        area_code=area_code,
        data={"effective_from": str(start)} | {k: str(v) for k, v in cleaned.items()},
    )
    return policy
