"""One household's employment records, for the analytics timeline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bangfu.employment.models import Contract, DividendShare, Payslip, TrainingRecord, WelfarePost
from bangfu.registry import selectors as registry

if TYPE_CHECKING:
    from bangfu.accounts.models import User


@dataclass(frozen=True)
class HouseholdEmployment:
    contracts: list[Contract]
    payslips: list[Payslip]
    training: list[TrainingRecord]
    posts: list[WelfarePost]
    dividends: list[DividendShare]


def household_employment(user: User, household_id: int) -> HouseholdEmployment:
    """Contracts, payslips, training, welfare posts and dividend shares of one household (five
    queries); 404 unless the user may see the household in the registry."""
    h = registry.household_get(user, household_id)
    return HouseholdEmployment(
        contracts=list(Contract.objects.filter(household=h).select_related("workshop", "member").order_by("start")),
        payslips=list(Payslip.objects.filter(contract__household=h).select_related("contract__member")),
        training=list(TrainingRecord.objects.filter(household=h).select_related("course", "member")),
        posts=list(WelfarePost.objects.filter(household=h).select_related("member")),
        dividends=list(DividendShare.objects.filter(household=h).select_related("income__asset")),
    )
