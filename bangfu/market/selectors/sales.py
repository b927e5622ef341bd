"""Sales of visible enterprises: summaries by channel/product/month, events by place, the Excel export."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bangfu.core.selectors import get_or_404
from bangfu.market.domain import figures
from bangfu.market.labels import channel_label, unit_label
from bangfu.market.models import Enterprise, SaleRecord, SalesEvent
from bangfu.market.selectors.access import enterprise_get, enterprises_visible

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from bangfu.accounts.models import User


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
        by_channel={channel_label(k): v for k, v in sorted(by_channel.items())},
        by_product=dict(sorted(by_product.items(), key=lambda kv: -kv[1])),
        by_month=dict(sorted(by_month.items())),
        online=by_online.get(True, Decimal("0.00")),
        offline=by_online.get(False, Decimal("0.00")),
    )


class EventTotal(TypedDict):
    total: Decimal | None  # the event's sales, summed (None: none recorded)


def sales_events_of(user: User, enterprise_id: int) -> list[WithAnnotations[SalesEvent, EventTotal]]:
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
    ev = get_or_404(SalesEvent.objects.filter(pk=event_id, enterprise__in=enterprises_visible(user)))
    rows = list(SaleRecord.objects.filter(event=ev).values("place", "online", "channel").annotate(s=Sum("amount")))
    online = sum((r["s"] for r in rows if r["online"]), Decimal("0.00"))
    total = sum((r["s"] for r in rows), Decimal("0.00"))
    return EventTotals(
        event=ev,
        total=total,
        online=online,
        offline=total - online,
        by_place=figures.totals_by((r["place"] or (_("线上") if r["online"] else "—"), r["s"]) for r in rows),
        by_channel={channel_label(k): v for k, v in figures.totals_by((r["channel"], r["s"]) for r in rows).items()},
    )


# Column titles of the sales sheet, translated when the workbook is written (views/files.py).
SALES_COLUMNS = [
    gettext_noop("日期"),
    gettext_noop("企业"),
    gettext_noop("产品"),
    gettext_noop("渠道"),
    gettext_noop("线上"),
    gettext_noop("平台"),
    gettext_noop("地点"),
    gettext_noop("活动"),
    gettext_noop("数量"),
    gettext_noop("单位"),
    gettext_noop("金额(元)"),
]


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
        channel, unit = channel_label(s.channel), unit_label(s.product.unit)
        event = s.event.name if s.event else ""
        rows.append(
            (s.day, s.enterprise.name, s.product.name, channel, _("是") if s.online else _("否"), s.platform, s.place,
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
