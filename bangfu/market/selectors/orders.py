"""Institutional buyers with their yearly targets and progress, and orders with the parties a user acts for."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet, Sum

from bangfu.accounts.domain.roles import Cap
from bangfu.areas.selectors import scope_for
from bangfu.core.domain.money import q
from bangfu.core.selectors import get_or_404
from bangfu.market.domain import figures
from bangfu.market.domain.orders import Party
from bangfu.market.models import Buyer, Order
from bangfu.market.selectors.access import can_edit, enterprises_visible, is_officer_for, own_buyers

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from bangfu.accounts.models import User
    from bangfu.areas.selectors import Place


def parties_of(user: User, order: Order) -> frozenset[Party]:
    parties: set[Party] = set()
    if is_officer_for(user, order.buyer.area_id) or own_buyers(user).filter(pk=order.buyer_id).exists():
        parties.add(Party.BUYER)
    if can_edit(user, order.enterprise):
        parties.add(Party.SUPPLIER)
    return frozenset(parties)


def buyers_visible(user: User) -> QuerySet[Buyer]:
    """Buyers of the officer's areas, and a buyer's own unit (buyer self-service)."""
    area_q = scope_for(user, Cap.VIEW_REPORTS).q(village="area_id", grid=None)
    return Buyer.objects.filter(area_q | Q(pk__in=own_buyers(user).values("pk")))


def buyers_orderable(user: User) -> list[Buyer]:
    """Buyers the user may place an order for: their own unit, or a unit of an area where they are a
    market officer (`order_place` checks the same). A county has a handful of buyers."""
    own = set(own_buyers(user).values_list("pk", flat=True))
    rows = buyers_visible(user).order_by("name")
    return [b for b in rows if b.pk in own or is_officer_for(user, b.area_id)]


def may_order(user: User | AnonymousUser) -> bool:
    """Shows the order button of the catalogue (anonymous visitors: no)."""
    return user.is_authenticated and bool(buyers_orderable(user))


def buyer_get(user: User, pk: int) -> Buyer:
    b = get_or_404(buyers_visible(user), pk)
    return b


@dataclass(frozen=True)
class BuyerProgress:
    buyer: Buyer
    year: int
    progress: figures.Progress | None  # None: no target set for the year (or the unit has no canteen)


def buyer_progress(user: User, year: int) -> list[BuyerProgress]:
    """Each visible buyer's target and settled purchases in `year` (three queries)."""
    buyers = list(buyers_visible(user).prefetch_related("targets").order_by("name"))
    done = dict(
        Order.objects.filter(buyer__in=buyers, state="settled", settled_on__year=year)
        .values_list("buyer_id")
        .annotate(s=Sum("total"))
    )
    out = []
    for b in buyers:
        t = next((t for t in b.targets.all() if t.year == year), None)
        prog = figures.Progress(t.canteen_purchases, t.share, q(done.get(b.pk, Decimal(0)))) if t else None
        out.append(BuyerProgress(b, year, prog if b.has_canteen else None))
    return out


def targets_of(user: User, buyer_id: int) -> list[Any]:
    return list(buyer_get(user, buyer_id).targets.order_by("-year"))


def orders_visible(user: User) -> QuerySet[Order]:
    mine = Q(buyer__in=buyers_visible(user)) | Q(enterprise__in=enterprises_visible(user))
    return Order.objects.filter(mine).select_related("buyer", "enterprise")


def orders_list(
    user: User,
    *,
    place: Place | None = None,
    q: str = "",
    state: str = "",
    enterprise_id: int | None = None,
    placed_from: dt.date | None = None,
    placed_to: dt.date | None = None,
) -> QuerySet[Order]:
    """The orders list: visible orders of a place (the buyer's or the supplier's area lies in it),
    matching `q` (order number, buyer or supplier), in a state, of one supplier, placed between two
    days (both included, local dates)."""
    qs = orders_visible(user)
    if place is not None:
        qs = qs.filter(place.q(village="buyer__area_id", grid=None) | place.q(village="enterprise__area_id", grid=None))
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(buyer__name__icontains=q) | Q(enterprise__name__icontains=q))
    if state:
        qs = qs.filter(state=state)
    if enterprise_id is not None:
        qs = qs.filter(enterprise_id=enterprise_id)
    if placed_from is not None:
        qs = qs.filter(placed_at__date__gte=placed_from)
    if placed_to is not None:
        qs = qs.filter(placed_at__date__lte=placed_to)
    return qs


def order_suppliers(user: User) -> list[tuple[str, str]]:
    """(id, name) of the suppliers of the user's visible orders, for the list's filter."""
    rows = orders_visible(user).values_list("enterprise_id", "enterprise__name").distinct()
    return sorted(((str(pk), name) for pk, name in rows), key=lambda r: r[1])


def order_get(user: User, pk: int) -> Order:
    o = get_or_404(orders_visible(user).prefetch_related("lines__product", "events__actor"), pk)
    return o
