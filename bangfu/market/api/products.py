"""A product's prices and daily output."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Router, Schema, Status

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.core.replicas import replica_ok
from bangfu.market import selectors, services

router = Router()


class PriceIn(Schema):
    price: Decimal
    effective_from: dt.date
    note: str = ""


class ProductionIn(Schema):
    day: dt.date
    quantity: Decimal
    note: str = ""


@router.post("/products/{pk}/prices", response={201: dict[str, Any]}, summary="调价 Set a price")
@writes(Cap.MARKET_EDIT)
def price_set(request: AuthedHttpRequest, pk: int, body: PriceIn) -> Status[dict[str, Any]]:
    p = selectors.product_get(request.user, pk)
    row = services.price_set(actor=request.user, product=p, **body.model_dump())
    return Status(201, {"price": row.price, "effective_from": row.effective_from})


@router.get("/products/{pk}/production", response=dict[str, Any], summary="生产记录 Daily output")
@replica_ok
def production_list(request: AuthedHttpRequest, pk: int, days: int = 30) -> dict[str, Any]:
    rows = selectors.production_of(request.user, pk, min(max(days, 1), 366))
    return {
        "average": selectors.average_daily_output(rows),
        "records": [{"day": r.day, "quantity": r.quantity, "note": r.note} for r in rows],
    }


@router.post("/products/{pk}/production", response={201: dict[str, Any]}, summary="登记产量 Record output")
@writes(Cap.MARKET_EDIT)
def production_add(request: AuthedHttpRequest, pk: int, body: ProductionIn) -> Status[dict[str, Any]]:
    p = selectors.product_get(request.user, pk)
    rec = services.production_record(actor=request.user, product=p, **body.model_dump())
    return Status(201, {"id": rec.pk, "day": rec.day, "quantity": rec.quantity})
