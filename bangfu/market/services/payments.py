"""Payments from an enterprise to linked households, mirrored into the households' income statements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q

from bangfu.core.errors import invalid
from bangfu.core.inputs import not_future
from bangfu.core.services import audit_record
from bangfu.market.domain import codes
from bangfu.market.models import Enterprise, HouseholdLink, Payment
from bangfu.market.services._guard import positive, require_edit
from bangfu.registry import services as registry

if TYPE_CHECKING:
    from bangfu.accounts.models import User

SOURCE = "market"


@transaction.atomic
def payment_record(
    *,
    actor: User | None,
    enterprise: Enterprise,
    household_id: int,
    kind: str,
    amount: Decimal,
    paid_on: dt.date,
    year: int | None = None,
    member_id: int | None = None,
    note: str = "",
) -> Payment:
    """Record a wage, produce purchase or dividend paid to a household that has the matching link.

    The household's statement for `year` (default: the year paid) gets one line per payment, keyed by
    source "market" and "payment:<id>", so cancelling the payment removes exactly that line.
    """
    require_edit(actor, enterprise)
    pay_kind = _kind(kind)
    positive("amount", amount, "金额")
    not_future(paid_on, "paid_on", zh="支付日期", en="payment date")
    link = _open_link(enterprise, household_id, codes.PAYMENT_LINK[pay_kind], paid_on)
    income_year = year or paid_on.year
    p = Payment.objects.create(
        enterprise=enterprise,
        link=link,
        household_id=household_id,
        member_id=member_id,
        kind=pay_kind.value,
        year=income_year,
        paid_on=paid_on,
        amount=amount,
        note=note,
    )
    label = codes.PAYMENT_KIND_LABELS[pay_kind]
    registry.income_record(
        household_id=household_id,
        year=income_year,
        item=codes.PAYMENT_INCOME_ITEM[pay_kind],
        amount=amount,
        source=SOURCE,
        source_ref=p.source_ref,
        member_id=member_id,
        note=f"{enterprise.name}{label} {paid_on}",
        actor=actor,
    )
    audit_record(
        actor=actor,
        action="payment_record",
        obj=p,
        area_code=enterprise.area_id,
        data={"household": household_id, "kind": pay_kind.value, "amount": str(amount)},
    )
    return p


@transaction.atomic
def payment_cancel(*, actor: User | None, payment: Payment, reason: str) -> None:
    """Take back a payment recorded in error, with its statement line."""
    require_edit(actor, payment.enterprise)
    if not reason.strip():
        raise invalid("reason", "请填写撤销原因", "give the reason for cancelling")
    registry.income_remove(
        household_id=payment.household_id,
        year=payment.year,
        source=SOURCE,
        source_ref=payment.source_ref,
        actor=actor,
    )
    audit_record(
        actor=actor,
        action="payment_cancel",
        obj=payment,
        area_code=payment.enterprise.area_id,
        reason=reason,
        data={"household": payment.household_id, "amount": str(payment.amount)},
    )
    payment.delete()


def _kind(value: str) -> codes.PaymentKind:
    try:
        return codes.PaymentKind(value)
    except ValueError:
        raise invalid(
            "kind", "支付类别无效：工资、农产品收购款或分红", "kind must be wage, produce or dividend"
        ) from None


def _open_link(enterprise: Enterprise, household_id: int, kind: codes.LinkKind, day: dt.date) -> HouseholdLink:
    link = (
        HouseholdLink.objects.filter(enterprise=enterprise, household_id=household_id, kind=kind.value, start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .first()
    )
    if link is None:
        label = codes.LINK_KIND_LABELS[kind]
        raise invalid(
            "household_id",
            f"该户在{day}与本企业没有“{label}”联结，请先由乡镇或县级干部登记联农带农关系",
            f"the household has no {kind.value} link with this enterprise on {day}; an officer must record it first",
        )
    return link
