"""Contracts and payroll: a workshop's workers, the month's payroll sheet, payslips."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet, Sum

from bangfu.accounts.domain.roles import Cap
from bangfu.areas.selectors import require
from bangfu.core.domain.money import ZERO
from bangfu.core.selectors import get_or_404
from bangfu.employment import access
from bangfu.employment.domain.months import add_months, month_start
from bangfu.employment.models import Contract, Payslip, PayslipCorrection, WageRule, Workshop
from bangfu.employment.selectors.workshops import workshop_get

if TYPE_CHECKING:
    from bangfu.accounts.models import User


def contracts_visible(user: User, *, edit: bool = False) -> QuerySet[Contract]:
    return Contract.objects.filter(access.workshop_q(user, "workshop__", edit=edit)).select_related(
        "member", "household", "workshop"
    )


def contract_get(user: User, pk: int, *, edit: bool = False) -> Contract:
    c = get_or_404(contracts_visible(user, edit=edit), pk)
    return c


def contract_to_change(user: User, pk: int) -> Contract:
    """A contract for a form that changes it: 404 beyond the user's reach, 403 where the user only sees it.
    The operator's own users change their workshops' contracts; officers need EMPLOYMENT_EDIT there."""
    c = get_or_404(contracts_visible(user).select_related("workshop__operator"), pk)
    w = c.workshop
    if not access.acts_for(user, w.village_id, w.operator.credit_code):
        zh, en = "您的角色无权修改劳动合同", "Your role may not change labour contracts"
        require(user, Cap.EMPLOYMENT_EDIT, w.village_id, zh=zh, en=en)
    return c


def workers_of(user: User, workshop_id: int) -> list[Contract]:
    w = workshop_get(user, workshop_id)
    return list(contracts_visible(user).filter(workshop=w).order_by("end", "member__name"))


@dataclass(frozen=True)
class PayrollLine:
    contract: Contract
    payslip: Payslip | None


def payroll_sheet(user: User, workshop_id: int, month: dt.date) -> list[PayrollLine]:
    """Contracts open at any time in the month, each with its payslip if entered (two queries)."""
    w = workshop_get(user, workshop_id)
    first, nxt = month_start(month), add_months(month_start(month), 1)
    contracts = list(
        contracts_visible(user)
        .filter(Q(end__isnull=True) | Q(end__gt=first), workshop=w, start__lt=nxt)
        .order_by("member__name")
    )
    slips = {p.contract_id: p for p in Payslip.objects.filter(contract__in=contracts, month=first)}
    return [PayrollLine(c, slips.get(c.pk)) for c in contracts]


def latest_payroll_month(user: User, workshop_id: int) -> dt.date | None:
    """The last month with a payslip at the workshop: where the payroll page opens (not an empty month)."""
    w = workshop_get(user, workshop_id)
    latest: dt.date | None = (
        Payslip.objects.filter(contract__workshop=w).order_by("-month").values_list("month", flat=True).first()
    )
    return latest


def wage_rule_names(workshop: Workshop) -> dict[str, str]:
    """Rule code → its name (the latest rule of each code), so a page shows 缝纫计件 and not `SEW`."""
    return {r.code: r.name for r in WageRule.objects.filter(workshop=workshop).order_by("effective_from")}


def payslips_of(user: User, contract_id: int) -> QuerySet[Payslip]:
    c = contract_get(user, contract_id)
    return Payslip.objects.filter(contract=c).select_related("wage_rule").order_by("-month")


def payslip_get(user: User, pk: int) -> Payslip:
    p = get_or_404(
        Payslip.objects.filter(access.workshop_q(user, "contract__workshop__"), pk=pk).select_related(
            "contract__member", "contract__household", "contract__workshop__operator", "wage_rule"
        )
    )
    return p


def corrections_of(payslip: Payslip) -> list[PayslipCorrection]:
    """The corrections of a payslip the caller already holds (payslip_get checked the scope), oldest first."""
    return list(PayslipCorrection.objects.filter(payslip=payslip).select_related("corrected_by").order_by("pk"))


def contract_year_total(contract_id: int, year: int) -> Decimal:
    return Payslip.objects.filter(contract_id=contract_id, month__year=year).aggregate(t=Sum("gross"))["t"] or ZERO
