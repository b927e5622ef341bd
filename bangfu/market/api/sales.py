"""Sales (by channel and event) and payments to linked households."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Router, Schema, Status
from pydantic import Field

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.market import selectors, services
from bangfu.market.domain import codes

router = Router()


class SaleIn(Schema):
    product_id: int
    day: dt.date
    channel: str = Field(description="counter, fair, online_shop, livestream, institutional")
    quantity: Decimal
    amount: Decimal
    online: bool | None = None
    platform: str = ""
    place: str = ""
    event_id: int | None = None
    from_stock: bool = True
    note: str = ""


class PaymentIn(Schema):
    enterprise_id: int
    household_id: int
    kind: str = Field(description="wage, produce, dividend")
    amount: Decimal
    paid_on: dt.date
    year: int | None = None
    note: str = ""


@router.post("/sales", response={201: dict[str, Any]}, summary="登记销售 Record a sale")
@writes(Cap.MARKET_EDIT)
def sale_create(request: AuthedHttpRequest, body: SaleIn) -> Status[dict[str, Any]]:
    data = body.model_dump()
    p = selectors.product_get(request.user, data.pop("product_id"))
    event_id = data.pop("event_id")
    event = selectors.sales_event_totals(request.user, event_id).event if event_id else None
    sale = services.sale_record(actor=request.user, product=p, event=event, **data)
    return Status(201, {"id": sale.pk, "amount": sale.amount, "online": sale.online})


@router.post("/payments", response={201: dict[str, Any]}, summary="支付农户 Pay a linked household")
@writes(Cap.MARKET_EDIT)
def payment_create(request: AuthedHttpRequest, body: PaymentIn) -> Status[dict[str, Any]]:
    data = body.model_dump()
    e = selectors.enterprise_get(request.user, data.pop("enterprise_id"))
    p = services.payment_record(actor=request.user, enterprise=e, **data)
    item = codes.PAYMENT_INCOME_ITEM[codes.PaymentKind(p.kind)]
    return Status(201, {"id": p.pk, "year": p.year, "amount": p.amount, "income_item": item})
