"""An enterprise's page: the list with counts, reported years, household links, households benefiting
and what they were paid; market parameters per area."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext as _

from bangfu.accounts.domain.roles import Cap
from bangfu.areas.selectors import scope_for
from bangfu.core.domain.money import q
from bangfu.market.domain import codes, figures
from bangfu.market.models import Enterprise, EnterpriseYear, HouseholdLink, MarketParameter, Payment
from bangfu.market.selectors.access import enterprise_get, enterprises_visible

if TYPE_CHECKING:
    from bangfu.accounts.models import User


@dataclass(frozen=True)
class Beneficiary:
    household_id: int
    number: str
    head_name: str
    village: str
    kinds: tuple[str, ...]
    by_kind: dict[str, Decimal]
    total: Decimal


def beneficiaries(user: User, enterprise_id: int, year: int) -> list[Beneficiary]:
    """Households linked to the enterprise with what each received from it in `year` (two queries)."""
    e = enterprise_get(user, enterprise_id)
    links = HouseholdLink.objects.filter(enterprise=e).select_related("household", "household__village")
    paid = Payment.objects.filter(enterprise=e, year=year).values("household_id", "kind").annotate(s=Sum("amount"))
    sums: dict[int, dict[str, Decimal]] = {}
    for r in paid:
        sums.setdefault(r["household_id"], {})[_(codes.PAYMENT_KIND_LABELS[codes.PaymentKind(r["kind"])])] = q(r["s"])
    kinds: dict[int, set[str]] = {}
    homes: dict[int, Any] = {}
    for link in links:
        kinds.setdefault(link.household_id, set()).add(_(codes.LINK_KIND_LABELS[codes.LinkKind(link.kind)]))
        homes[link.household_id] = link.household
    out = [
        Beneficiary(
            hid,
            h.number,
            h.head_name,
            h.village.name,
            tuple(sorted(kinds[hid])),
            sums.get(hid, {}),
            sum(sums.get(hid, {}).values(), Decimal("0.00")),
        )
        for hid, h in homes.items()
    ]
    return sorted(out, key=lambda b: (-b.total, b.number))


def payments_of(user: User, enterprise_id: int, year: int) -> QuerySet[Payment]:
    e = enterprise_get(user, enterprise_id)
    return Payment.objects.filter(enterprise=e, year=year).select_related("household").order_by("-paid_on", "pk")


def links_of(user: User, enterprise_id: int) -> QuerySet[HouseholdLink]:
    e = enterprise_get(user, enterprise_id)
    return HouseholdLink.objects.filter(enterprise=e).select_related("household")


def years_of(user: User, enterprise_id: int) -> list[EnterpriseYear]:
    e = enterprise_get(user, enterprise_id)
    return list(EnterpriseYear.objects.filter(enterprise=e).order_by("-year"))


def enterprise_list(user: User) -> list[Enterprise]:
    """The list page: each enterprise with its product and linked-household counts, in one query."""
    qs = (
        enterprises_visible(user)
        .select_related("area")
        .annotate(
            n_products=Count("products", distinct=True),
            n_households=Count("household_links__household", distinct=True),
        )
    )
    return list(qs.order_by("area_id", "name"))


def parameters_for(area_code: str, key: codes.ParamKey, day: dt.date) -> Decimal | None:
    """Unscoped, for services: the parameter in force for a place on a day."""
    rows = [
        figures.ParamRow(p.area_id, p.area.prefix, p.effective_from, p.value)
        for p in MarketParameter.objects.filter(key=key.value).select_related("area")
    ]
    return figures.pick_param(rows, area_code, day)


def parameters_visible(user: User) -> QuerySet[MarketParameter]:
    scope = scope_for(user, Cap.VIEW_REPORTS)
    return MarketParameter.objects.filter(scope.q(village="area_id", grid=None)).select_related("area")
