"""The fund ledger: premiums in, and the year-end settlement (surplus carried over, deficit topped up)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction

from bangfu.core.domain import inputs
from bangfu.core.errors import Conflict, invalid
from bangfu.core.inputs import not_future
from bangfu.core.services import audit_record
from bangfu.insurance import selectors
from bangfu.insurance.domain.fund import premium_due, settle
from bangfu.insurance.models import LedgerEntry, Scheme
from bangfu.insurance.services.schemes import require_configure

if TYPE_CHECKING:
    from bangfu.accounts.models import User


@transaction.atomic
def premium_record(
    *, actor: User, scheme_id: int, persons: int, received_on: dt.date, reference: str = "", note: str = ""
) -> LedgerEntry:
    """Premium paid in for `persons` insured people at the scheme's premium per person."""
    scheme = selectors.scheme_get(actor, scheme_id)
    require_configure(actor, scheme.county_id)
    persons = inputs.count(persons, "persons", low=1, zh="承保人数", en="number of insured persons")
    not_future(received_on, "received_on")
    entry = LedgerEntry.objects.create(
        scheme=scheme,
        kind="premium",
        amount=premium_due(persons, scheme.premium_per_person),
        on=received_on,
        persons=persons,
        reference=reference,
        note=note or f"{persons}人 × {scheme.premium_per_person}元",
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="premium_record",
        obj=entry,
        area_code=scheme.county_id,
        data={"persons": persons, "amount": str(entry.amount)},
    )
    return entry


@transaction.atomic
def fund_settle(*, actor: User, scheme_id: int, on: dt.date) -> list[LedgerEntry]:
    """Year-end (多退少补): carry a surplus into next year's scheme, or book the county's top-up."""
    scheme = selectors.scheme_get(actor, scheme_id)
    require_configure(actor, scheme.county_id)
    not_future(on, "on")
    if on <= scheme.period_end:
        raise invalid("on", "保险期间结束后才能年终结算", "Settle only after the scheme period has ended")
    if LedgerEntry.objects.filter(scheme=scheme, kind__in=["carry_out", "topup"]).exists():
        raise Conflict("该方案已完成年终结算", "This scheme has already been settled", "already_settled")
    s = settle(selectors.fund_figures(scheme), carry_over=scheme.carry_over, deficit_topup=scheme.deficit_topup)
    return _book_settlement(actor, scheme, s.carry_over, s.topup, on)


def _book_settlement(actor: User, scheme: Scheme, carry: Decimal, topup: Decimal, on: dt.date) -> list[LedgerEntry]:
    out: list[LedgerEntry] = []
    if topup > 0:
        out.append(
            LedgerEntry.objects.create(
                scheme=scheme, kind="topup", amount=topup, on=on, recorded_by=actor, note="财政补足基金缺口"
            )
        )
    if carry > 0:
        nxt = Scheme.objects.filter(county__code=scheme.county_id, year=scheme.year + 1).first()
        if nxt is None:
            raise Conflict(
                "请先配置下一年度方案，结余才能结转",
                "Configure next year's scheme first so the surplus can be carried over",
                "no_next_scheme",
            )
        out.append(
            LedgerEntry.objects.create(
                scheme=scheme,
                kind="carry_out",
                amount=carry,
                on=on,
                recorded_by=actor,
                note=f"结转{nxt.year}年",
            )
        )
        out.append(
            LedgerEntry.objects.create(
                scheme=nxt,
                kind="carry_in",
                amount=carry,
                on=on,
                recorded_by=actor,
                note=f"{scheme.year}年结转",
            )
        )
    audit_record(
        actor=actor,
        action="fund_settle",
        obj=scheme,
        area_code=scheme.county_id,
        data={"carry": str(carry), "topup": str(topup)},
    )
    return out
