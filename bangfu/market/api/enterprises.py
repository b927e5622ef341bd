"""Enterprises and cooperatives: register, counterparts, linked households, yearly figures, products, sales events."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ninja import Router, Schema, Status
from pydantic import Field

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.core.replicas import replica_ok
from bangfu.market import selectors, services
from bangfu.market.api._common import year_or_current

if TYPE_CHECKING:
    from bangfu.accounts.models import User
    from bangfu.market.models import Enterprise, Product

router = Router()


class EnterpriseIn(Schema):
    name: str
    kind: str = Field(description="company, cooperative, family_farm, workshop")
    credit_code: str = Field(description="统一社会信用代码 (18 characters)")
    area_code: str
    leader: str
    phone: str = ""
    address: str = ""
    description: str = ""


class EnterpriseRowOut(Schema):
    id: int
    name: str
    kind: str
    area_code: str
    area_name: str
    leader: str
    products: int
    households: int


class CounterpartIn(Schema):
    partner: str
    partner_province: str
    kind: str = Field(description="对口援藏, 东西部协作, 定点帮扶 …")
    start: dt.date
    end: dt.date | None = None
    support: str = ""


class LinkIn(Schema):
    household_id: int
    kind: str = Field(description="employment, produce_purchase, dividend")
    start: dt.date
    note: str = ""


class YearIn(Schema):
    year: int = Field(ge=2000, le=2100)
    output_value: Decimal
    revenue: Decimal
    profit: Decimal


class ProductIn(Schema):
    name: str
    category: str
    unit: str = Field(description="jin, kg, piece, box")
    price: Decimal
    price_from: dt.date
    spec: str = ""
    description: str = ""


class EventIn(Schema):
    name: str
    start: dt.date
    end: dt.date
    places: list[str]


def _product(p: Product) -> dict[str, Any]:
    cert = selectors.valid_certification(p)
    return {
        "id": p.pk,
        "name": p.name,
        "category": p.category,
        "unit": p.unit,
        "spec": p.spec,
        "price": selectors.current_price(p),
        "on_hand": p.on_hand,
        "reserved": p.reserved,
        "free": p.free,
        "certified": cert is not None,
        "certificate": cert.number if cert else "",
        "valid_until": cert.valid_until if cert else None,
    }


def _enterprise(user: User, e: Enterprise) -> dict[str, Any]:
    return {
        "id": e.pk,
        "name": e.name,
        "kind": e.kind,
        "credit_code": e.credit_code,
        "area_code": e.area_id,
        "area_name": e.area.name,
        "leader": e.leader,
        "phone": e.phone,
        "address": e.address,
        "description": e.description,
        "counterparts": [
            {
                "partner": c.partner,
                "province": c.partner_province,
                "kind": c.kind,
                "start": c.start,
                "end": c.end,
                "support": c.support,
            }
            for c in e.counterparts.all()
        ],
        "years": [
            {"year": y.year, "output_value": y.output_value, "revenue": y.revenue, "profit": y.profit}
            for y in selectors.years_of(user, e.pk)
        ],
        "products": [_product(p) for p in selectors.products_of(user, e.pk)],
        "can_edit": selectors.can_edit(user, e),
    }


@router.get("/enterprises", response=list[EnterpriseRowOut], summary="企业和合作社 List enterprises")
@replica_ok
def enterprise_list(request: AuthedHttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": e.pk,
            "name": e.name,
            "kind": e.kind,
            "area_code": e.area_id,
            "area_name": e.area.name,
            "leader": e.leader,
            "products": getattr(e, "n_products", 0),
            "households": getattr(e, "n_households", 0),
        }
        for e in selectors.enterprise_list(request.user)
    ]


@router.post("/enterprises", response={201: dict[str, Any]}, summary="登记企业 Register an enterprise")
@writes(Cap.MARKET_EDIT)
def enterprise_create(request: AuthedHttpRequest, body: EnterpriseIn) -> Status[dict[str, Any]]:
    e = services.enterprise_create(actor=request.user, **body.model_dump())
    return Status(201, _enterprise(request.user, selectors.enterprise_get(request.user, e.pk)))


@router.get("/enterprises/{pk}", response=dict[str, Any], summary="企业详情 Enterprise with products and figures")
def enterprise_get(request: AuthedHttpRequest, pk: int) -> dict[str, Any]:
    return _enterprise(request.user, selectors.enterprise_get(request.user, pk))


@router.post("/enterprises/{pk}/counterparts", response={201: dict[str, Any]}, summary="对口帮扶 Add counterpart")
@writes(Cap.MARKET_EDIT)
def counterpart_add(request: AuthedHttpRequest, pk: int, body: CounterpartIn) -> Status[dict[str, Any]]:
    e = selectors.enterprise_get(request.user, pk)
    link = services.counterpart_link_add(actor=request.user, enterprise=e, **body.model_dump())
    return Status(201, {"id": link.pk})


@router.post("/enterprises/{pk}/links", response={201: dict[str, Any]}, summary="联农带农 Link a household")
@writes(Cap.MARKET_EDIT)
def link_create(request: AuthedHttpRequest, pk: int, body: LinkIn) -> Status[dict[str, Any]]:
    e = selectors.enterprise_get(request.user, pk)
    link = services.household_link_create(actor=request.user, enterprise=e, **body.model_dump())
    return Status(201, {"id": link.pk})


@router.post("/enterprises/{pk}/years", response=dict[str, Any], summary="年度产值利润 Report a year")
@writes(Cap.MARKET_EDIT)
def year_set(request: AuthedHttpRequest, pk: int, body: YearIn) -> dict[str, Any]:
    e = selectors.enterprise_get(request.user, pk)
    row = services.enterprise_year_set(actor=request.user, enterprise=e, **body.model_dump())
    return {"year": row.year, "output_value": row.output_value, "revenue": row.revenue, "profit": row.profit}


@router.get("/enterprises/{pk}/sales", response=dict[str, Any], summary="销售汇总 Sales by channel, product, month")
@replica_ok
def sales_summary(request: AuthedHttpRequest, pk: int, year: int | None = None) -> dict[str, Any]:
    s = selectors.sales_summary(request.user, pk, year_or_current(year))
    return {
        "year": s.year,
        "total": s.total,
        "online": s.online,
        "offline": s.offline,
        "by_channel": s.by_channel,
        "by_product": s.by_product,
        "by_month": s.by_month,
        "events": [
            {"id": ev.pk, "name": ev.name, "start": ev.start, "total": ev.total}
            for ev in selectors.sales_events_of(request.user, pk)
        ],
    }


@router.get("/enterprises/{pk}/households", response=list[dict[str, Any]], summary="受益农户 Households benefiting")
@replica_ok
def households(request: AuthedHttpRequest, pk: int, year: int | None = None) -> list[dict[str, Any]]:
    return [
        {
            "household_id": b.household_id,
            "number": b.number,
            "head_name": b.head_name,
            "village": b.village,
            "links": list(b.kinds),
            "by_kind": b.by_kind,
            "total": b.total,
        }
        for b in selectors.beneficiaries(request.user, pk, year_or_current(year))
    ]


@router.post("/enterprises/{pk}/products", response={201: dict[str, Any]}, summary="新增产品 Add a product")
@writes(Cap.MARKET_EDIT)
def product_create(request: AuthedHttpRequest, pk: int, body: ProductIn) -> Status[dict[str, Any]]:
    e = selectors.enterprise_get(request.user, pk)
    p = services.product_create(actor=request.user, enterprise=e, **body.model_dump())
    return Status(201, _product(selectors.product_get(request.user, p.pk)))


@router.post("/enterprises/{pk}/events", response={201: dict[str, Any]}, summary="销售活动 Create a sales event")
@writes(Cap.MARKET_EDIT)
def event_create(request: AuthedHttpRequest, pk: int, body: EventIn) -> Status[dict[str, Any]]:
    e = selectors.enterprise_get(request.user, pk)
    ev = services.sales_event_create(actor=request.user, enterprise=e, **body.model_dump())
    return Status(201, {"id": ev.pk})


@router.get("/events/{pk}", response=dict[str, Any], summary="活动销售 Sales of an event")
def event_get(request: AuthedHttpRequest, pk: int) -> dict[str, Any]:
    t = selectors.sales_event_totals(request.user, pk)
    return {
        "id": t.event.pk,
        "name": t.event.name,
        "start": t.event.start,
        "end": t.event.end,
        "places": t.event.places,
        "total": t.total,
        "online": t.online,
        "offline": t.offline,
        "by_place": t.by_place,
        "by_channel": t.by_channel,
    }
