"""Sales records by channel and event (a sale from stock on hand lowers the stock)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F

from bangfu.core.errors import Conflict, invalid
from bangfu.core.inputs import not_future
from bangfu.core.services import audit_record
from bangfu.market.domain import codes
from bangfu.market.models import Enterprise, Product, SaleRecord, SalesEvent
from bangfu.market.services._guard import positive, require_edit, text

if TYPE_CHECKING:
    from bangfu.accounts.models import User


@transaction.atomic
def sales_event_create(
    *, actor: User | None, enterprise: Enterprise, name: str, start: dt.date, end: dt.date, places: list[str]
) -> SalesEvent:
    """A promotion such as the Double-11 fair, held in one or more places over the given days."""
    require_edit(actor, enterprise)
    cleaned = [p.strip() for p in places if p and p.strip()]
    if not cleaned:
        raise invalid("places", "请至少填写一个举办地点", "give at least one place")
    if end < start:
        raise invalid("end", "结束日期不能早于开始日期", "end is before start")
    ev = SalesEvent.objects.create(
        enterprise=enterprise, name=text("name", name, "活动名称"), start=start, end=end, places=cleaned
    )
    audit_record(actor=actor, action="sales_event_create", obj=ev, area_code=enterprise.area_id)
    return ev


@transaction.atomic
def sale_record(
    *,
    actor: User | None,
    product: Product,
    day: dt.date,
    channel: str,
    quantity: Decimal,
    amount: Decimal,
    online: bool | None = None,
    platform: str = "",
    place: str = "",
    event: SalesEvent | None = None,
    from_stock: bool = True,
    note: str = "",
) -> SaleRecord:
    """Record a sale. `from_stock` lowers the free stock (refused if there is not enough); sales of
    goods that never entered the stock records (older sales typed in afterwards) pass False."""
    enterprise = product.enterprise
    require_edit(actor, enterprise)
    sale_channel = _channel(channel)
    positive("quantity", quantity, "数量")
    positive("amount", amount, "金额")
    not_future(day, "day", zh="销售日期", en="sale date")
    is_online = _online(sale_channel, online)
    if sale_channel in codes.NEEDS_PLATFORM and not platform.strip():
        raise invalid(
            "platform", "直播销售请填写平台（如抖音、淘宝）", "name the livestream platform (e.g. Douyin, Taobao)"
        )
    _check_event(event, enterprise, day, place, is_online)
    if from_stock:
        taken = Product.objects.filter(pk=product.pk, on_hand__gte=F("reserved") + quantity).update(
            on_hand=F("on_hand") - quantity
        )
        if not taken:
            product.refresh_from_db(fields=["on_hand", "reserved"])
            raise Conflict(
                f"库存不足：可售{product.free}，本次{quantity}",
                f"not enough stock: {product.free} free, {quantity} sold",
                "out_of_stock",
            )
    sale = SaleRecord.objects.create(
        enterprise=enterprise,
        product=product,
        day=day,
        channel=sale_channel.value,
        online=is_online,
        platform=platform.strip(),
        place=place.strip(),
        event=event,
        quantity=quantity,
        amount=amount,
        note=note,
    )
    audit_record(
        actor=actor,
        action="sale_record",
        obj=sale,
        area_code=enterprise.area_id,
        data={"amount": str(amount), "channel": sale_channel.value},
    )
    return sale


def _channel(value: str) -> codes.Channel:
    try:
        return codes.Channel(value)
    except ValueError:
        raise invalid(
            "channel",
            "销售渠道无效：专柜、展销会、网店、直播或机关采购",
            "channel must be counter, fair, online_shop, livestream or institutional",
        ) from None


def _online(channel: codes.Channel, online: bool | None) -> bool:
    if channel in codes.ALWAYS_ONLINE:
        if online is False:
            raise invalid("online", "网店和直播销售只能是线上", "this channel is online only")
        return True
    return bool(online)


def _check_event(event: SalesEvent | None, enterprise: Enterprise, day: dt.date, place: str, online: bool) -> None:
    if event is None:
        return
    if event.enterprise_id != enterprise.pk:
        raise invalid("event", "该活动不属于本企业", "the event belongs to another enterprise")
    if not event.start <= day <= event.end:
        raise invalid(
            "day",
            f"销售日期不在活动期间（{event.start}至{event.end}）",
            f"the day is outside the event ({event.start}–{event.end})",
        )
    if not online and place.strip() not in event.places:
        raise invalid(
            "place",
            f"线下销售地点应为活动地点之一：{'、'.join(event.places)}",
            f"an offline sale must be at one of the event's places: {event.places}",
        )
