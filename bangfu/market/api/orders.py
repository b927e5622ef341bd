"""Institutional buyers (消费帮扶 targets) and their orders."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ninja import Router, Schema, Status
from pydantic import Field

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.core.replicas import replica_ok
from bangfu.market import selectors, services
from bangfu.market.api._common import year_or_current
from bangfu.market.domain.orders import STATE_LABELS, TABLE, OrderState

if TYPE_CHECKING:
    from bangfu.accounts.models import User
    from bangfu.market.models import Order

router = Router()


class BuyerIn(Schema):
    name: str
    kind: str = Field(description="budget_unit, canteen, union")
    area_code: str
    has_canteen: bool = True
    contact: str = ""
    credit_code: str = Field(
        "", description="统一社会信用代码: an account whose membership names it orders for the unit"
    )


class TargetIn(Schema):
    year: int = Field(ge=2000, le=2100)
    canteen_purchases: Decimal
    share: Decimal | None = Field(None, description="omit to use the area's configured share")


class OrderLineIn(Schema):
    product_id: int
    quantity: Decimal


class OrderIn(Schema):
    buyer_id: int
    lines: list[OrderLineIn]
    note: str = ""


class OrderTransitionIn(Schema):
    event: str = Field(description="confirm, ship, receive, refuse, settle, cancel")
    note: str = ""


def _order(user: User, o: Order) -> dict[str, Any]:
    parties = selectors.parties_of(user, o)
    return {
        "id": o.pk,
        "number": o.number,
        "state": o.state,
        "state_label": STATE_LABELS[OrderState(o.state)],
        "buyer": o.buyer.name,
        "buyer_id": o.buyer_id,
        "enterprise": o.enterprise.name,
        "enterprise_id": o.enterprise_id,
        "total": o.total,
        "placed_at": o.placed_at,
        "inspection_note": o.inspection_note,
        "settled_on": o.settled_on,
        "lines": [
            {
                "product_id": ln.product_id,
                "product": ln.product.name,
                "quantity": ln.quantity,
                "unit_price": ln.unit_price,
                "amount": ln.amount,
            }
            for ln in o.lines.all()
        ],
        "events": [
            {
                "event": ev.event,
                "from": ev.from_state,
                "to": ev.to_state,
                "at": ev.at,
                "note": ev.note,
                "actor": str(ev.actor) if ev.actor else "",
            }
            for ev in o.events.all()
        ],
        "allowed": [t.event for t in TABLE.open_to(OrderState(o.state), parties)],
    }


@router.get("/buyers", response=list[dict[str, Any]], summary="采购单位及完成进度 Buyers and progress")
@replica_ok
def buyer_list(request: AuthedHttpRequest, year: int | None = None) -> list[dict[str, Any]]:
    out = []
    for row in selectors.buyer_progress(request.user, year_or_current(year)):
        p = row.progress
        out.append(
            {
                "id": row.buyer.pk,
                "name": row.buyer.name,
                "kind": row.buyer.kind,
                "has_canteen": row.buyer.has_canteen,
                "year": row.year,
                "target": p.target if p else None,
                "done": p.done if p else None,
                "ratio": p.ratio if p else None,
                "met": p.met if p else None,
            }
        )
    return out


@router.post("/buyers", response={201: dict[str, Any]}, summary="登记采购单位 Register a buyer")
@writes(Cap.MARKET_EDIT)
def buyer_create(request: AuthedHttpRequest, body: BuyerIn) -> Status[dict[str, Any]]:
    b = services.buyer_create(actor=request.user, **body.model_dump())
    return Status(201, {"id": b.pk, "name": b.name})


@router.post("/buyers/{pk}/targets", response=dict[str, Any], summary="年度采购目标 Set a yearly target")
@writes(Cap.MARKET_EDIT)
def target_set(request: AuthedHttpRequest, pk: int, body: TargetIn) -> dict[str, Any]:
    b = selectors.buyer_get(request.user, pk)
    t = services.target_set(actor=request.user, buyer=b, **body.model_dump())
    return {"year": t.year, "canteen_purchases": t.canteen_purchases, "share": t.share}


@router.get("/orders", response=list[dict[str, Any]], summary="订单 Orders")
@replica_ok
def order_list(request: AuthedHttpRequest, state: str = "") -> list[dict[str, Any]]:
    qs = selectors.orders_visible(request.user)
    if state:
        qs = qs.filter(state=state)
    return [
        {
            "id": o.pk,
            "number": o.number,
            "state": o.state,
            "buyer": o.buyer.name,
            "enterprise": o.enterprise.name,
            "total": o.total,
            "placed_at": o.placed_at,
        }
        for o in qs[:500]
    ]


@router.post("/orders", response={201: dict[str, Any]}, summary="下单 Place an order")
@writes(Cap.MARKET_EDIT)
def order_place(request: AuthedHttpRequest, body: OrderIn) -> Status[dict[str, Any]]:
    user = request.user
    buyer = selectors.buyer_get(user, body.buyer_id)
    lines = [(selectors.catalogue_item(ln.product_id).product, ln.quantity) for ln in body.lines]
    o = services.order_place(actor=user, buyer=buyer, lines=lines, note=body.note)
    return Status(201, _order(user, selectors.order_get(user, o.pk)))


@router.get("/orders/{pk}", response=dict[str, Any], summary="订单详情 Order with lines and events")
def order_get(request: AuthedHttpRequest, pk: int) -> dict[str, Any]:
    return _order(request.user, selectors.order_get(request.user, pk))


@router.post("/orders/{pk}/transitions", response=dict[str, Any], summary="订单流转 Move an order on")
@writes(Cap.MARKET_EDIT)
def order_transition(request: AuthedHttpRequest, pk: int, body: OrderTransitionIn) -> dict[str, Any]:
    user = request.user
    o = selectors.order_get(user, pk)
    services.order_transition(actor=user, order=o, event=body.event, note=body.note)
    return _order(user, selectors.order_get(user, pk))
