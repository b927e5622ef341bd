"""One household's payments (the analytics timeline) and batch counts for indicator jobs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Sum

from bangfu.areas.selectors import Where, under_code_q, where_q
from bangfu.core.domain.money import q
from bangfu.market.models import Payment, SaleRecord
from bangfu.registry import selectors as registry

if TYPE_CHECKING:
    from bangfu.accounts.models import User


def payments_to_household(user: User, household_id: int) -> list[Payment]:
    """What enterprises paid one household (the analytics timeline); 404 unless the user may see the
    household in the registry."""
    h = registry.household_get(user, household_id)
    return list(Payment.objects.filter(household=h).select_related("enterprise").order_by("paid_on", "pk"))


def village_counts(as_of: dt.date, *, prefix: Where = "", by: str = "village") -> list[tuple[str, str, Decimal]]:
    """(area code or grid id, key, value), this year up to `as_of`: "sales.<channel>" and
    "sales.total" yuan by the enterprise's area (a village, or a higher area the enterprise is
    registered at), and "market.paid" yuan paid to households by the household's village or grid.
    Two grouped queries (by="grid" only counts the payments). For batch indicator jobs, never
    returned to a user.
    """
    year = {"gte": dt.date(as_of.year, 1, 1), "lte": as_of}
    out: list[tuple[str, str, Decimal]] = []
    if by == "village":
        sales = SaleRecord.objects.filter(day__gte=year["gte"], day__lte=year["lte"])
        if prefix:
            sales = sales.filter(where_q("enterprise__area_id", prefix))
        totals: dict[str, Decimal] = {}
        for r in sales.values("enterprise__area_id", "channel").annotate(s=Sum("amount")).order_by():
            code = str(r["enterprise__area_id"])
            out.append((code, f"sales.{r['channel']}", q(r["s"])))
            totals[code] = totals.get(code, Decimal("0.00")) + q(r["s"])
        out += [(code, "sales.total", total) for code, total in totals.items()]
    column = "household__village_id" if by == "village" else "household__grid_id"
    paid = Payment.objects.filter(paid_on__gte=year["gte"], paid_on__lte=year["lte"])
    if prefix:
        paid = paid.filter(where_q("household__village_id", prefix))
    for r in paid.exclude(**{f"{column}__isnull": True}).values(column).annotate(s=Sum("amount")).order_by():
        out.append((str(r[column]), "market.paid", q(r["s"])))
    return out


def villages_dated(after: dt.date, until: dt.date, prefix: str = "") -> set[str]:
    """Areas whose figures may move between two days without a write: sales (by the enterprise's area)
    and payments to households (by the household's village) dated in [after, until]."""
    sales = SaleRecord.objects.filter(day__range=(after, until))
    paid = Payment.objects.filter(paid_on__range=(after, until))
    if prefix:
        sales = sales.filter(under_code_q("enterprise__area_id", prefix))
        paid = paid.filter(under_code_q("household__village_id", prefix))
    codes = set(sales.values_list("enterprise__area_id", flat=True).distinct())
    return {str(c) for c in codes | set(paid.values_list("household__village_id", flat=True).distinct())}
