"""Workshops: scoped reads and the facts their recognition and upgrade checks are made from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet, Sum

from bangfu.areas.selectors import under_code_q
from bangfu.core.domain.money import ZERO, q
from bangfu.core.selectors import get_or_404
from bangfu.employment import access
from bangfu.employment.domain import criteria
from bangfu.employment.domain.months import add_months, month_start, months_between
from bangfu.employment.models import Contract, Payslip, Workshop, WorkshopRevenue
from bangfu.employment.selectors._common import open_on
from bangfu.employment.selectors.parameters import policy_in_force, thresholds

if TYPE_CHECKING:
    from bangfu.accounts.models import User


def workshops_visible(user: User, *, edit: bool = False) -> QuerySet[Workshop]:
    return Workshop.objects.filter(access.workshop_q(user, edit=edit)).select_related("operator", "village")


def workshop_get(user: User, pk: int, *, edit: bool = False) -> Workshop:
    w = get_or_404(workshops_visible(user, edit=edit).select_related("land_village", "site"), pk)
    return w


def workshops_listed(user: User, *, prefix: str = "", q: str = "", status: str = "") -> QuerySet[Workshop]:
    """The workshop list: in the area `prefix` (the link's ?area=), by name or operator name, by status."""
    qs = workshops_visible(user)
    if prefix:
        qs = qs.filter(under_code_q("village_id", prefix))
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(operator__name__icontains=q))
    return qs.filter(status=status) if status else qs


def workshops_for_site(user: User, site_id: int) -> list[Workshop]:
    return list(workshops_visible(user).filter(site_id=site_id).order_by("name"))


_POOR = Q(household__poverty_exited=True) | ~Q(household__monitoring_type="")


def workshop_facts(workshop: Workshop, on: dt.date, long_contract_months: int) -> criteria.WorkshopFacts:
    """Facts for the recognition and upgrade guards, in a fixed number of queries."""
    poor = Contract.objects.filter(open_on(on), _POOR, workshop=workshop)
    long_ids = list(poor.filter(term_months__gte=long_contract_months).values_list("pk", flat=True))
    since = add_months(month_start(on), -12)
    paid = (
        Payslip.objects.filter(contract_id__in=long_ids, month__gte=since, month__lt=month_start(on)).aggregate(
            total=Sum("gross")
        )["total"]
        or ZERO
    )
    return criteria.WorkshopFacts(
        poor_workers=poor.values("member_id").distinct().count(),
        insurance_per_worker_month=workshop.insurance_per_worker_month,
        months_running=max(months_between(workshop.started_on, on), 0),
        long_contract_poor_workers=len(long_ids),
        average_annual_pay=q(paid / len(long_ids)) if long_ids else ZERO,
        annual_revenue=last_full_year_revenue(workshop.pk, on),
        revenue_year=on.year - 1,
    )


def last_full_year_revenue(workshop_id: int, on: dt.date) -> Decimal:
    """Revenue of the calendar year before `on`: the upgrade rule asks for a whole year's figure."""
    row = WorkshopRevenue.objects.filter(workshop_id=workshop_id, year=on.year - 1).first()
    return row.amount if row else ZERO


@dataclass(frozen=True)
class WorkshopChecks:
    recognition: list[criteria.Check]
    upgrade: list[criteria.Check]


def workshop_checks(workshop: Workshop, on: dt.date) -> WorkshopChecks:
    t = thresholds(policy_in_force(workshop.village_id, on))
    facts = workshop_facts(workshop, on, t.upgrade_min_contract_months)
    return WorkshopChecks(criteria.recognition_checks(facts, t), criteria.upgrade_checks(facts, t))
