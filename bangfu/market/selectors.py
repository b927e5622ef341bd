"""Scoped reads of the market module. Every function takes the acting user first.

Who sees what:
- officers see enterprises, buyers and orders of their areas (capability view_reports, scoped by
  `areas.selectors.scope_for`); they change them when they also hold market_edit there;
- an enterprise user (role enterprise_user) sees and changes only the enterprise their membership
  names: Membership.organisation = the enterprise's 统一社会信用代码 (the same convention as the
  employment module's workshop operators), and the enterprise must lie inside the membership's area;
- everybody, logged in or not, sees the public catalogue of certified, currently valid products.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from bangfu.accounts.domain.roles import Cap, Role
from bangfu.accounts.selectors import memberships_of
from bangfu.areas.selectors import areas_visible, scope_for
from bangfu.core.domain.money import q
from bangfu.core.errors import NotFound
from bangfu.market.domain import codes, figures
from bangfu.market.domain.orders import Party
from bangfu.market.models import (
    Buyer,
    Certification,
    CertState,
    Enterprise,
    EnterpriseYear,
    HouseholdLink,
    MarketParameter,
    Order,
    Payment,
    PriceRecord,
    Product,
    ProductionRecord,
    SaleRecord,
    SalesEvent,
)
from bangfu.registry import selectors as registry

if TYPE_CHECKING:
    from bangfu.accounts.models import User


# --- access ---------------------------------------------------------------------------------------


def _own_q(user: User) -> Q:
    """Enterprises named by the user's enterprise memberships (inside the membership's area)."""
    q = Q(pk__in=[])
    if not getattr(user, "is_authenticated", False):
        return q
    for m in memberships_of(user):
        if m.role == Role.ENTERPRISE.value and m.organisation:
            q |= Q(credit_code=m.organisation.strip().upper(), area__code__startswith=m.area.prefix)
    return q


def is_officer_for(user: User, area_code: str) -> bool:
    """An officer who may change market data of the area. Enterprise users hold market_edit too, but
    only for their own enterprise; asking for view_reports as well is what sets the officers apart."""
    return scope_for(user, Cap.MARKET_EDIT).covers_code(area_code) and scope_for(user, Cap.VIEW_REPORTS).covers_code(
        area_code
    )


def sees_area(user: User, area_code: str) -> bool:
    return scope_for(user, Cap.VIEW_REPORTS).covers_code(area_code)


def enterprises_visible(user: User) -> QuerySet[Enterprise]:
    area_q = scope_for(user, Cap.VIEW_REPORTS).q(village="area_id", grid=None)
    return Enterprise.objects.filter(area_q | _own_q(user))


def enterprise_get(user: User, pk: int) -> Enterprise:
    e = enterprises_visible(user).select_related("area").filter(pk=pk).first()
    if e is None:
        raise NotFound()
    return e


def own_enterprises(user: User) -> QuerySet[Enterprise]:
    return Enterprise.objects.filter(_own_q(user))


def can_edit(user: User, enterprise: Enterprise) -> bool:
    return is_officer_for(user, enterprise.area_id) or own_enterprises(user).filter(pk=enterprise.pk).exists()


def parties_of(user: User, order: Order) -> frozenset[Party]:
    parties: set[Party] = set()
    if is_officer_for(user, order.buyer.area_id):
        parties.add(Party.BUYER)
    if can_edit(user, order.enterprise):
        parties.add(Party.SUPPLIER)
    return frozenset(parties)


# --- products and catalogue -------------------------------------------------------------------------


def products_of(user: User, enterprise_id: int) -> QuerySet[Product]:
    e = enterprise_get(user, enterprise_id)
    return Product.objects.filter(enterprise=e).prefetch_related("prices", "certifications").order_by("name")


def product_get(user: User, pk: int) -> Product:
    p = Product.objects.filter(pk=pk, enterprise__in=enterprises_visible(user)).select_related("enterprise").first()
    if p is None:
        raise NotFound()
    return p


def current_price(product: Product, day: dt.date | None = None) -> Decimal | None:
    """Uses prefetched prices when present (no query per product in lists)."""
    history = [figures.PricePoint(p.effective_from, p.price) for p in product.prices.all()]
    return figures.price_on(history, day or timezone.localdate())


def valid_certification(product: Product, day: dt.date | None = None) -> Certification | None:
    today = day or timezone.localdate()
    for c in product.certifications.all():
        if figures.is_valid(c.state == CertState.CERTIFIED, c.valid_from, c.valid_until, today):
            return c
    return None


@dataclass(frozen=True)
class CatalogueItem:
    product: Product
    price: Decimal | None
    certification: Certification


def catalogue(
    area_prefix: str = "", day: dt.date | None = None, product_ids: list[int] | None = None
) -> list[CatalogueItem]:
    """Public: active products whose certification is in force today; four queries whatever the size.

    `product_ids` narrows it to given products (an order checks only its own lines)."""
    today = day or timezone.localdate()
    valid = Certification.objects.filter(state=CertState.CERTIFIED, valid_from__lte=today, valid_until__gte=today)
    qs = (
        Product.objects.filter(active=True, pk__in=valid.values("product_id"))
        .select_related("enterprise", "enterprise__area")
        .prefetch_related(
            Prefetch("prices", queryset=PriceRecord.objects.filter(effective_from__lte=today)),
            Prefetch("certifications", queryset=valid.order_by("-valid_until")),
        )
        .order_by("enterprise__name", "name")
    )
    if area_prefix:
        qs = qs.filter(enterprise__area__code__startswith=area_prefix)
    if product_ids is not None:
        qs = qs.filter(pk__in=product_ids)
    return [
        CatalogueItem(
            product=p,
            price=figures.price_on([figures.PricePoint(r.effective_from, r.price) for r in p.prices.all()], today),
            certification=p.certifications.all()[0],
        )
        for p in qs
    ]


def catalogue_item(pk: int, day: dt.date | None = None) -> CatalogueItem:
    found = catalogue(day=day, product_ids=[pk])
    if not found:
        raise NotFound(
            "该产品不在帮扶产品目录中（未认定或已过有效期）",
            "This product is not in the catalogue (not certified or no longer valid)",
        )
    return found[0]


def production_of(user: User, product_id: int, days: int = 30) -> list[ProductionRecord]:
    p = product_get(user, product_id)
    return list(ProductionRecord.objects.filter(product=p).order_by("-day")[:days])


def average_daily_output(records: list[ProductionRecord]) -> Decimal:
    return figures.average([r.quantity for r in records])


def certifications_pending(user: User) -> QuerySet[Certification]:
    area_q = scope_for(user, Cap.VIEW_REPORTS).q(village="product__enterprise__area_id", grid=None)
    return Certification.objects.filter(area_q, state=CertState.APPLIED).select_related("product__enterprise")


def certification_get(user: User, pk: int) -> Certification:
    c = Certification.objects.filter(pk=pk, product__enterprise__in=enterprises_visible(user))
    found = c.select_related("product__enterprise").first()
    if found is None:
        raise NotFound()
    return found


# --- sales --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SalesSummary:
    year: int
    total: Decimal
    by_channel: dict[str, Decimal]
    by_product: dict[str, Decimal]
    by_month: dict[str, Decimal]
    online: Decimal
    offline: Decimal


def sales_summary(user: User, enterprise_id: int, year: int) -> SalesSummary:
    e = enterprise_get(user, enterprise_id)
    qs = SaleRecord.objects.filter(enterprise=e, day__year=year)
    by_channel = figures.totals_by((r["channel"], r["s"]) for r in qs.values("channel").annotate(s=Sum("amount")))
    by_product = figures.totals_by(
        (r["product__name"], r["s"]) for r in qs.values("product__name").annotate(s=Sum("amount"))
    )
    by_month = figures.totals_by(
        (r["m"].strftime("%Y-%m"), r["s"])
        for r in qs.annotate(m=TruncMonth("day")).values("m").annotate(s=Sum("amount")).order_by("m")
    )
    by_online = figures.totals_by((r["online"], r["s"]) for r in qs.values("online").annotate(s=Sum("amount")))
    return SalesSummary(
        year=year,
        total=sum(by_channel.values(), Decimal("0.00")),
        by_channel={codes.CHANNEL_LABELS[codes.Channel(k)]: v for k, v in sorted(by_channel.items())},
        by_product=dict(sorted(by_product.items(), key=lambda kv: -kv[1])),
        by_month=dict(sorted(by_month.items())),
        online=by_online.get(True, Decimal("0.00")),
        offline=by_online.get(False, Decimal("0.00")),
    )


def sales_events_of(user: User, enterprise_id: int) -> list[SalesEvent]:
    e = enterprise_get(user, enterprise_id)
    return list(SalesEvent.objects.filter(enterprise=e).annotate(total=Sum("sales__amount")).order_by("-start"))


@dataclass(frozen=True)
class EventTotals:
    event: SalesEvent
    total: Decimal
    online: Decimal
    offline: Decimal
    by_place: dict[str, Decimal]
    by_channel: dict[str, Decimal]


def sales_event_totals(user: User, event_id: int) -> EventTotals:
    ev = SalesEvent.objects.filter(pk=event_id, enterprise__in=enterprises_visible(user)).first()
    if ev is None:
        raise NotFound()
    rows = list(SaleRecord.objects.filter(event=ev).values("place", "online", "channel").annotate(s=Sum("amount")))
    online = sum((r["s"] for r in rows if r["online"]), Decimal("0.00"))
    total = sum((r["s"] for r in rows), Decimal("0.00"))
    return EventTotals(
        event=ev,
        total=total,
        online=online,
        offline=total - online,
        by_place=figures.totals_by((r["place"] or ("线上" if r["online"] else "—"), r["s"]) for r in rows),
        by_channel={
            codes.CHANNEL_LABELS[codes.Channel(k)]: v
            for k, v in figures.totals_by((r["channel"], r["s"]) for r in rows).items()
        },
    )


# --- households and payments ------------------------------------------------------------------------


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
        sums.setdefault(r["household_id"], {})[codes.PAYMENT_KIND_LABELS[codes.PaymentKind(r["kind"])]] = q(r["s"])
    kinds: dict[int, set[str]] = {}
    homes: dict[int, Any] = {}
    for link in links:
        kinds.setdefault(link.household_id, set()).add(codes.LINK_KIND_LABELS[codes.LinkKind(link.kind)])
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


# --- buyers and orders ------------------------------------------------------------------------------


def buyers_visible(user: User) -> QuerySet[Buyer]:
    return Buyer.objects.filter(scope_for(user, Cap.VIEW_REPORTS).q(village="area_id", grid=None))


def buyer_get(user: User, pk: int) -> Buyer:
    b = buyers_visible(user).filter(pk=pk).first()
    if b is None:
        raise NotFound()
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


def orders_visible(user: User) -> QuerySet[Order]:
    mine = Q(buyer__in=buyers_visible(user)) | Q(enterprise__in=enterprises_visible(user))
    return Order.objects.filter(mine).select_related("buyer", "enterprise")


def order_get(user: User, pk: int) -> Order:
    o = orders_visible(user).filter(pk=pk).prefetch_related("lines__product", "events__actor").first()
    if o is None:
        raise NotFound()
    return o


def parameters_for(area_code: str, key: codes.ParamKey, day: dt.date) -> Decimal | None:
    """Unscoped, for services: the parameter in force for a place on a day."""
    rows = [
        figures.ParamRow(p.area_id, p.area.prefix, p.effective_from, p.value)
        for p in MarketParameter.objects.filter(key=key.value).select_related("area")
    ]
    return figures.pick_param(rows, area_code, day)


# --- forms, photos and exports ----------------------------------------------------------------------


def officer_areas(user: User) -> list[Any]:
    """Areas (county down to village) where the user may register enterprises, buyers and parameters."""
    rows = areas_visible(user, cap=Cap.MARKET_EDIT).order_by("code")
    return [a for a in rows if is_officer_for(user, a.code)]


def require_officer_somewhere(user: User) -> list[Any]:
    """The officer's areas, or 404: a page that only creates things reveals nothing to anybody else."""
    found = officer_areas(user)
    if not found:
        raise NotFound()
    return found


def parameters_visible(user: User) -> QuerySet[MarketParameter]:
    scope = scope_for(user, Cap.VIEW_REPORTS)
    return MarketParameter.objects.filter(scope.q(village="area_id", grid=None)).select_related("area")


def targets_of(user: User, buyer_id: int) -> list[Any]:
    return list(buyer_get(user, buyer_id).targets.order_by("-year"))


def photo_product(user: User, pk: int) -> Product:
    """A product whose photo may be shown: anybody for catalogue products, otherwise only those who see
    the enterprise (its own user checking the picture before certification)."""
    listed = catalogue(product_ids=[pk])
    p = listed[0].product if listed else product_get(user, pk)
    if not p.photo:
        raise NotFound()
    return p


SALES_COLUMNS = ["日期", "企业", "产品", "渠道", "线上", "平台", "地点", "活动", "数量", "单位", "金额(元)"]


@dataclass(frozen=True)
class SalesExport:
    year: int
    rows: list[tuple[Any, ...]]  # one per sale, in SALES_COLUMNS order
    by_product: dict[str, Decimal]
    by_channel: dict[str, Decimal]
    by_event: dict[str, Decimal]
    by_month: dict[str, Decimal]


def sales_export(user: User, year: int, enterprise_id: int | None = None) -> SalesExport:
    """Every visible sale of the year (one query), with the four totals the county reports."""
    if enterprise_id is not None:
        scope: QuerySet[Enterprise] = Enterprise.objects.filter(pk=enterprise_get(user, enterprise_id).pk)
    else:
        scope = enterprises_visible(user)
    sales = (
        SaleRecord.objects.filter(enterprise__in=scope, day__year=year)
        .select_related("enterprise", "product", "event")
        .order_by("day", "pk")
    )
    rows: list[tuple[Any, ...]] = []
    for s in sales:
        channel = codes.CHANNEL_LABELS[codes.Channel(s.channel)]
        unit = codes.UNIT_LABELS[codes.Unit(s.product.unit)]
        event = s.event.name if s.event else ""
        rows.append(
            (s.day, s.enterprise.name, s.product.name, channel, "是" if s.online else "否", s.platform, s.place,
             event, s.quantity, unit, s.amount)
        )  # fmt: skip
    return SalesExport(
        year=year,
        rows=rows,
        by_product=figures.totals_by((r[2], r[10]) for r in rows),
        by_channel=figures.totals_by((r[3], r[10]) for r in rows),
        by_event=figures.totals_by((r[7] or "（无活动）", r[10]) for r in rows),
        by_month=dict(sorted(figures.totals_by((r[0].strftime("%Y-%m"), r[10]) for r in rows).items())),
    )


def sees_any_market(user: User) -> bool:
    """Officers with reports somewhere, or an enterprise user with an enterprise."""
    return not scope_for(user, Cap.VIEW_REPORTS).empty or own_enterprises(user).exists()


# --- one household, and batch counts ----------------------------------------------------------------


def payments_to_household(user: User, household_id: int) -> list[Payment]:
    """What enterprises paid one household (the analytics timeline); 404 unless the user may see the
    household in the registry."""
    h = registry.household_get(user, household_id)
    return list(Payment.objects.filter(household=h).select_related("enterprise").order_by("paid_on", "pk"))


def _under(field: str, prefix: str) -> dict[str, str]:
    return {f"{field}__gte": prefix, f"{field}__lte": prefix + "9" * (12 - len(prefix))}


def village_counts(as_of: dt.date, *, prefix: str = "", by: str = "village") -> list[tuple[str, str, Decimal]]:
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
            sales = sales.filter(
                enterprise__area_id__gte=prefix, enterprise__area_id__lte=prefix + "9" * (12 - len(prefix))
            )
        totals: dict[str, Decimal] = {}
        for r in sales.values("enterprise__area_id", "channel").annotate(s=Sum("amount")).order_by():
            code = str(r["enterprise__area_id"])
            out.append((code, f"sales.{r['channel']}", q(r["s"])))
            totals[code] = totals.get(code, Decimal("0.00")) + q(r["s"])
        out += [(code, "sales.total", total) for code, total in totals.items()]
    column = "household__village_id" if by == "village" else "household__grid_id"
    paid = Payment.objects.filter(paid_on__gte=year["gte"], paid_on__lte=year["lte"])
    if prefix:
        paid = paid.filter(
            household__village_id__gte=prefix, household__village_id__lte=prefix + "9" * (12 - len(prefix))
        )
    for r in paid.exclude(**{f"{column}__isnull": True}).values(column).annotate(s=Sum("amount")).order_by():
        out.append((str(r[column]), "market.paid", q(r["s"])))
    return out
