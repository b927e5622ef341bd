"""Writes of the employment parameters (configuration rows per area with effective dates)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction

from bangfu.accounts.domain.roles import Cap
from bangfu.areas import selectors as areas
from bangfu.core.errors import Conflict, NotFound
from bangfu.core.services import audit_record
from bangfu.employment.models import EmploymentPolicy
from bangfu.employment.services._common import date, fail, money, whole

if TYPE_CHECKING:
    from bangfu.accounts.models import User

_COUNTS = (
    "min_poor_workers",
    "upgrade_min_months_running",
    "upgrade_min_long_contract_workers",
    "upgrade_min_contract_months",
    "welfare_max_age",
    "working_age_min",
    "working_age_max",
)
_AMOUNTS = ("min_insurance_per_worker_month", "upgrade_min_average_annual_pay", "upgrade_min_annual_revenue")


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {k: whole(k, values.get(k, ""), high=1000) for k in _COUNTS}
    out |= {k: money(k, values.get(k, "")) for k in _AMOUNTS}
    limit = values.get("welfare_posts_per_household")
    out["welfare_posts_per_household"] = (
        None if limit in (None, "") else whole("welfare_posts_per_household", limit, low=1, high=10)
    )
    if out["working_age_min"] >= out["working_age_max"]:
        raise fail("working_age_max", "劳动年龄上限应大于下限", "the upper working age must exceed the lower")
    out["note"] = str(values.get("note", ""))[:200]
    return out


@transaction.atomic
def policy_set(
    *, actor: User, area_code: str, effective_from: dt.date | str, values: dict[str, Any]
) -> EmploymentPolicy:
    """A new parameter row from a date; the row it replaces ends the day before."""
    if not areas.scope_for(actor, Cap.CONFIGURE).covers_code(area_code) or areas.area_by_code(area_code) is None:
        raise NotFound()
    start = date("effective_from", effective_from)
    cleaned = _clean(values)
    current = EmploymentPolicy.objects.select_for_update().filter(area_id=area_code, effective_to__isnull=True)
    for row in current:
        if row.effective_from >= start:
            raise Conflict(
                f"该区域已有{row.effective_from}起生效的参数，新参数的生效日期须晚于此日期",
                f"Parameters already apply from {row.effective_from}; choose a later date",
            )
        row.effective_to = start - dt.timedelta(days=1)
        row.save(update_fields=["effective_to"])
    policy = EmploymentPolicy.objects.create(area_id=area_code, effective_from=start, **cleaned)
    audit_record(actor=actor, action="policy_set", obj=policy, area_code=area_code, data={"effective_from": str(start)})
    return policy
