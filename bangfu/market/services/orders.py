"""Institutional buyers, their yearly targets, and orders through the transition table.

Stock is reserved with one conditional UPDATE per line (`on_hand >= reserved + qty`), so two orders
racing for the last units cannot both win: the database re-checks the condition on the locked row.
A check constraint on Product backs this up.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bangfu.core.domain.workflow import StepRefused
from bangfu.core.errors import ApplicationError, Conflict, invalid, refused
from bangfu.core.services import audit_record
from bangfu.market import selectors as sel
from bangfu.market.domain import codes, figures
from bangfu.market.domain.orders import STOCK, TABLE, OrderState, Party, Stock
from bangfu.market.models import Buyer, Order, OrderEvent, OrderLine, ProcurementTarget, Product, SaleRecord
from bangfu.market.services._guard import credit_code as credit_code_parse
from bangfu.market.services._guard import positive, recorded_by, require_officer, text

if TYPE_CHECKING:
    from bangfu.accounts.models import User


@transaction.atomic
def buyer_create(
    *,
    actor: User | None,
    name: str,
    kind: str,
    area_code: str,
    has_canteen: bool = True,
    contact: str = "",
    credit_code: str = "",
) -> Buyer:
    """Register a unit; with its 统一社会信用代码, an account whose membership names the code orders for it."""
    require_officer(actor, area_code)
    if kind not in codes.BuyerKind.__members__.values():
        raise invalid("kind", "单位类型无效：预算单位、食堂或工会", "kind must be budget_unit, canteen or union")
    name = text("name", name, "单位名称")
    if Buyer.objects.filter(area_id=area_code, name=name).exists():
        raise Conflict(f"该地区已有采购单位“{name}”", f"a buyer named {name} exists in this area", "duplicate")
    code = credit_code_parse(credit_code) if credit_code.strip() else ""
    b = Buyer.objects.create(
        name=name, kind=kind, area_id=area_code, has_canteen=has_canteen, contact=contact, credit_code=code
    )
    audit_record(actor=actor, action="buyer_create", obj=b, area_code=area_code)
    return b


@transaction.atomic
def target_set(
    *, actor: User | None, buyer: Buyer, year: int, canteen_purchases: Decimal, share: Decimal | None = None
) -> ProcurementTarget:
    """The year's canteen purchases and reserved share (default: the area's parameter on 1 January)."""
    require_officer(actor, buyer.area_id)
    positive("canteen_purchases", canteen_purchases, "食堂采购总额")
    if share is None:
        share = sel.parameters_for(buyer.area_id, codes.ParamKey.PROCUREMENT_SHARE, dt.date(year, 1, 1))
        if share is None:
            raise ApplicationError(
                zh="本地区尚未配置预留采购比例，请填写比例或先设置参数",
                en="No procurement share is configured here; give one or set the parameter",
                code="not_configured",
                status=409,
            )
    if not Decimal(0) < share <= Decimal(1):
        raise invalid("share", "比例应在0到1之间，例如10%填0.10", "share is a fraction, e.g. 0.10")
    t, _ = ProcurementTarget.objects.update_or_create(
        buyer=buyer, year=year, defaults={"canteen_purchases": canteen_purchases, "share": share}
    )
    audit_record(
        actor=actor,
        action="target_set",
        obj=t,
        area_code=buyer.area_id,
        data={"year": year, "base": str(canteen_purchases), "share": str(share)},
    )
    return t


@transaction.atomic
def order_place(*, actor: User | None, buyer: Buyer, lines: list[tuple[Product, Decimal]], note: str = "") -> Order:
    """Place an order with one supplier for catalogue products, reserving their stock: by a market
    officer of the buyer's area, or by the buyer's own account (self-service; the supplier confirms)."""
    if actor is None or not sel.own_buyers(actor).filter(pk=buyer.pk).exists():
        require_officer(actor, buyer.area_id)
    if not lines:
        raise invalid("lines", "请至少选择一种产品", "add at least one product")
    enterprises = {p.enterprise_id for p, _ in lines}
    if len(enterprises) != 1:
        raise invalid(
            "lines",
            "一张订单只能向一家企业采购，请分开下单",
            "one order is for one supplier; place one order per enterprise",
        )
    listed = {i.product.pk: i for i in sel.catalogue(product_ids=[p.pk for p, _ in lines])}
    priced: list[tuple[Product, Decimal, Decimal]] = []
    for i, (product, qty) in enumerate(lines):
        positive(f"lines[{i}].quantity", qty, "数量")
        if product.pk not in listed:
            raise invalid(
                f"lines[{i}].product",
                f"“{product.name}”不在帮扶产品目录中（未认定或已过期）",
                f"{product.name} is not a certified, valid catalogue product",
            )
        price = listed[product.pk].price
        if price is None:
            raise invalid(f"lines[{i}].product", f"“{product.name}”尚未定价", f"{product.name} has no price yet")
        priced.append((product, qty, price))
    order = Order.objects.create(
        number=f"tmp-{uuid.uuid4().hex[:20]}", buyer=buyer, enterprise_id=enterprises.pop(), total=Decimal(0)
    )
    # Lock rows in a fixed order so two orders for the same products cannot deadlock.
    for product, qty, price in sorted(priced, key=lambda r: r[0].pk):
        _reserve(product, qty)
        OrderLine.objects.create(
            order=order,
            product=product,
            quantity=qty,
            unit_price=price,
            amount=figures.line_amount(qty, price),
        )
    order.total = sum((figures.line_amount(q, p) for _, q, p in priced), Decimal("0.00"))
    order.number = _number_for(order)
    order.save(update_fields=["total", "number"])
    OrderEvent.objects.create(
        order=order, event="place", to_state=OrderState.PLACED, actor=recorded_by(actor), note=note
    )
    audit_record(
        actor=actor,
        action="order_place",
        obj=order,
        area_code=buyer.area_id,
        data={"total": str(order.total), "enterprise": order.enterprise_id},
    )
    return order


def _reserve(product: Product, qty: Decimal) -> None:
    won = Product.objects.filter(pk=product.pk, on_hand__gte=F("reserved") + qty).update(reserved=F("reserved") + qty)
    if not won:
        product.refresh_from_db(fields=["on_hand", "reserved"])
        raise Conflict(
            f"“{product.name}”库存不足：可订{product.free}，需要{qty}；请减少数量或稍后再订",
            f"not enough {product.name}: {product.free} free, {qty} wanted; order less or later",
            "out_of_stock",
        )


def _number_for(order: Order) -> str:
    """CG + date + the row id: unique without a counter table, readable over the phone."""
    return f"CG{timezone.localdate():%Y%m%d}{order.pk:06d}"


@transaction.atomic
def order_transition(*, actor: User | None, order: Order, event: str, note: str = "") -> Order:
    """Fire `event` on the order if the table allows it for the actor's party; adjust stock; log the event."""
    locked = Order.objects.select_for_update(of=("self",)).select_related("buyer", "enterprise").get(pk=order.pk)
    # A system job (actor None: the demo loader) acts for both sides.
    parties = sel.parties_of(actor, locked) if actor is not None else frozenset(Party)
    if actor is not None and not parties:
        require_officer(actor, locked.buyer.area_id)  # raises 404/403 in the right way
    try:
        t = TABLE.decide(locked.state, event, parties, reason=note)
    except StepRefused as exc:
        raise refused(exc) from None
    lines = list(locked.lines.select_related("product").order_by("product_id"))
    for line in lines:  # the step's effect on stock
        _apply_stock(STOCK.get(event, Stock.NONE), line.product, line.quantity)
    if event == "receive":
        locked.inspection_note = note or "验收合格"
    if event == "refuse":
        locked.inspection_note = note
    if event == "settle":
        locked.settled_on = timezone.localdate()
        _sales_from(locked, lines, locked.settled_on)
    source, locked.state = locked.state, t.target.value
    locked.save()
    OrderEvent.objects.create(
        order=locked, from_state=source, event=event, to_state=t.target, actor=recorded_by(actor), note=note
    )
    audit_record(actor=actor, action=f"order_{event}", obj=locked, area_code=locked.buyer.area_id, reason=note)
    return locked


def _apply_stock(effect: Stock, product: Product, qty: Decimal) -> None:
    changes = {
        Stock.RELEASE: {"reserved": F("reserved") - qty},
        Stock.DEDUCT: {"on_hand": F("on_hand") - qty, "reserved": F("reserved") - qty},
        Stock.RESTOCK: {"on_hand": F("on_hand") + qty},
    }.get(effect)
    if changes:
        Product.objects.filter(pk=product.pk).update(**changes)


def _sales_from(order: Order, lines: list[OrderLine], day: dt.date) -> None:
    """A settled order is a sale through the institutional channel (its goods left stock when shipped)."""
    for line in lines:
        SaleRecord.objects.create(
            enterprise=order.enterprise,
            product=line.product,
            day=day,
            channel="institutional",
            online=False,
            place=order.buyer.name,
            order=order,
            quantity=line.quantity,
            amount=line.amount,
        )
