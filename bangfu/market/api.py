"""JSON API of the market module (/api/v1/market/).

Reads go through `market.selectors` (scoped exactly like the pages; the catalogue is public),
writes through `market.services`. Objects outside the caller's reach answer 404.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.market import selectors, services
from bangfu.market.domain import codes
from bangfu.market.domain.orders import STATE_LABELS, OrderState, available

if TYPE_CHECKING:
    from bangfu.accounts.models import User
    from bangfu.market.models import Certification, Enterprise, Order, Product

router = Router(tags=["market"])


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined, no-any-return]


def _year(year: int | None) -> int:
    return year or timezone.localdate().year


# --- schemas ----------------------------------------------------------------------------------------


class CatalogueOut(Schema):
    id: int
    name: str
    category: str
    unit: str
    unit_label: str
    spec: str
    price: Decimal | None
    stock: Decimal
    producer: str
    producer_id: int
    county: str
    certificate: str
    valid_until: dt.date
    photo: str


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


class PriceIn(Schema):
    price: Decimal
    effective_from: dt.date
    note: str = ""


class ProductionIn(Schema):
    day: dt.date
    quantity: Decimal
    note: str = ""


class DecisionIn(Schema):
    decision: str = Field(description="pass, return, reject, certify, revoke, resubmit (see `allowed`)")
    on: dt.date | None = Field(None, description="day of the step (certify: start of validity); default today")
    number: str = Field("", description="certificate number, for certify")
    note: str = Field("", description="opinion; the reason for return, reject and revoke (the enterprise sees it)")
    sector: str = Field("", description="township pass: agriculture, forestry, culture_tourism, industry")


class EventIn(Schema):
    name: str
    start: dt.date
    end: dt.date
    places: list[str]


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


class BuyerIn(Schema):
    name: str
    kind: str = Field(description="budget_unit, canteen, union")
    area_code: str
    has_canteen: bool = True
    contact: str = ""


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


# --- shaping ----------------------------------------------------------------------------------------


def _catalogue_row(item: selectors.CatalogueItem) -> dict[str, Any]:
    p = item.product
    return {
        "id": p.pk,
        "name": p.name,
        "category": p.category,
        "unit": p.unit,
        "unit_label": codes.UNIT_LABELS[codes.Unit(p.unit)],
        "spec": p.spec,
        "price": item.price,
        "stock": p.free,
        "producer": p.enterprise.name,
        "producer_id": p.enterprise_id,
        "county": p.enterprise.area.name,
        "certificate": item.certification.number,
        "valid_until": item.certification.valid_until,
        "photo": reverse("market:photo", args=[p.pk]) if p.photo else "",  # never a /media/ address
    }


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


def _cert_row(c: Certification) -> dict[str, Any]:
    return {
        "id": c.pk,
        "product_id": c.product_id,
        "product": c.product.name,
        "enterprise": c.product.enterprise.name,
        "applied_on": c.applied_on,
        "state": c.state,
        "state_label": c.get_state_display(),
        "sector": c.sector,
        "number": c.number,
        "valid_from": c.valid_from,
        "valid_until": c.valid_until,
    }


def _cert_view(v: selectors.CertView) -> dict[str, Any]:
    return _cert_row(v.certification) | {
        "waiting_for": v.waiting_for,
        "reason": v.reason,
        "steps": [{"step": s.label, "on": s.on, "at": s.at, "actor": s.actor, "note": s.note} for s in v.steps],
        "allowed": [t.action.value for t in v.allowed],
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
                "from": ev.source,
                "to": ev.target,
                "at": ev.at,
                "note": ev.note,
                "actor": str(ev.actor) if ev.actor else "",
            }
            for ev in o.events.all()
        ],
        "allowed": [t.event for t in available(OrderState(o.state), parties)],
    }


# --- catalogue (public) ------------------------------------------------------------------------------


@router.get("/catalogue", auth=None, response=list[CatalogueOut], summary="帮扶产品目录（公开） Public catalogue")
def catalogue(request: HttpRequest, county: str = "") -> list[dict[str, Any]]:
    """Certified products whose certification is valid today; `county` is a 6-digit county code prefix."""
    return [_catalogue_row(i) for i in selectors.catalogue(area_prefix=county[:6])]


# --- enterprises -------------------------------------------------------------------------------------


@router.get("/enterprises", response=list[EnterpriseRowOut], summary="企业和合作社 List enterprises")
def enterprise_list(request: HttpRequest) -> list[dict[str, Any]]:
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
        for e in selectors.enterprise_list(_user(request))
    ]


@router.post("/enterprises", response={201: dict[str, Any]}, summary="登记企业 Register an enterprise")
@writes(Cap.MARKET_EDIT)
def enterprise_create(request: HttpRequest, body: EnterpriseIn) -> Status[dict[str, Any]]:
    e = services.enterprise_create(actor=_user(request), **body.model_dump())
    return Status(201, _enterprise(_user(request), selectors.enterprise_get(_user(request), e.pk)))


@router.get("/enterprises/{pk}", response=dict[str, Any], summary="企业详情 Enterprise with products and figures")
def enterprise_get(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _enterprise(_user(request), selectors.enterprise_get(_user(request), pk))


@router.post("/enterprises/{pk}/counterparts", response={201: dict[str, Any]}, summary="对口帮扶 Add counterpart")
@writes(Cap.MARKET_EDIT)
def counterpart_add(request: HttpRequest, pk: int, body: CounterpartIn) -> Status[dict[str, Any]]:
    e = selectors.enterprise_get(_user(request), pk)
    link = services.counterpart_link_add(actor=_user(request), enterprise=e, **body.model_dump())
    return Status(201, {"id": link.pk})


@router.post("/enterprises/{pk}/links", response={201: dict[str, Any]}, summary="联农带农 Link a household")
@writes(Cap.MARKET_EDIT)
def link_create(request: HttpRequest, pk: int, body: LinkIn) -> Status[dict[str, Any]]:
    e = selectors.enterprise_get(_user(request), pk)
    link = services.household_link_create(actor=_user(request), enterprise=e, **body.model_dump())
    return Status(201, {"id": link.pk})


@router.post("/enterprises/{pk}/years", response=dict[str, Any], summary="年度产值利润 Report a year")
@writes(Cap.MARKET_EDIT)
def year_set(request: HttpRequest, pk: int, body: YearIn) -> dict[str, Any]:
    e = selectors.enterprise_get(_user(request), pk)
    row = services.enterprise_year_set(actor=_user(request), enterprise=e, **body.model_dump())
    return {"year": row.year, "output_value": row.output_value, "revenue": row.revenue, "profit": row.profit}


@router.get("/enterprises/{pk}/sales", response=dict[str, Any], summary="销售汇总 Sales by channel, product, month")
def sales_summary(request: HttpRequest, pk: int, year: int | None = None) -> dict[str, Any]:
    s = selectors.sales_summary(_user(request), pk, _year(year))
    return {
        "year": s.year,
        "total": s.total,
        "online": s.online,
        "offline": s.offline,
        "by_channel": s.by_channel,
        "by_product": s.by_product,
        "by_month": s.by_month,
        "events": [
            {"id": ev.pk, "name": ev.name, "start": ev.start, "total": ev.total}  # type: ignore[attr-defined]
            for ev in selectors.sales_events_of(_user(request), pk)
        ],
    }


@router.get("/enterprises/{pk}/households", response=list[dict[str, Any]], summary="受益农户 Households benefiting")
def households(request: HttpRequest, pk: int, year: int | None = None) -> list[dict[str, Any]]:
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
        for b in selectors.beneficiaries(_user(request), pk, _year(year))
    ]


@router.post("/enterprises/{pk}/products", response={201: dict[str, Any]}, summary="新增产品 Add a product")
@writes(Cap.MARKET_EDIT)
def product_create(request: HttpRequest, pk: int, body: ProductIn) -> Status[dict[str, Any]]:
    e = selectors.enterprise_get(_user(request), pk)
    p = services.product_create(actor=_user(request), enterprise=e, **body.model_dump())
    return Status(201, _product(selectors.product_get(_user(request), p.pk)))


@router.post("/enterprises/{pk}/events", response={201: dict[str, Any]}, summary="销售活动 Create a sales event")
@writes(Cap.MARKET_EDIT)
def event_create(request: HttpRequest, pk: int, body: EventIn) -> Status[dict[str, Any]]:
    e = selectors.enterprise_get(_user(request), pk)
    ev = services.sales_event_create(actor=_user(request), enterprise=e, **body.model_dump())
    return Status(201, {"id": ev.pk})


@router.get("/events/{pk}", response=dict[str, Any], summary="活动销售 Sales of an event")
def event_get(request: HttpRequest, pk: int) -> dict[str, Any]:
    t = selectors.sales_event_totals(_user(request), pk)
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


# --- products ----------------------------------------------------------------------------------------


@router.post("/products/{pk}/prices", response={201: dict[str, Any]}, summary="调价 Set a price")
@writes(Cap.MARKET_EDIT)
def price_set(request: HttpRequest, pk: int, body: PriceIn) -> Status[dict[str, Any]]:
    p = selectors.product_get(_user(request), pk)
    row = services.price_set(actor=_user(request), product=p, **body.model_dump())
    return Status(201, {"price": row.price, "effective_from": row.effective_from})


@router.get("/products/{pk}/production", response=dict[str, Any], summary="生产记录 Daily output")
def production_list(request: HttpRequest, pk: int, days: int = 30) -> dict[str, Any]:
    rows = selectors.production_of(_user(request), pk, min(max(days, 1), 366))
    return {
        "average": selectors.average_daily_output(rows),
        "records": [{"day": r.day, "quantity": r.quantity, "note": r.note} for r in rows],
    }


@router.post("/products/{pk}/production", response={201: dict[str, Any]}, summary="登记产量 Record output")
@writes(Cap.MARKET_EDIT)
def production_add(request: HttpRequest, pk: int, body: ProductionIn) -> Status[dict[str, Any]]:
    p = selectors.product_get(_user(request), pk)
    rec = services.production_record(actor=_user(request), product=p, **body.model_dump())
    return Status(201, {"id": rec.pk, "day": rec.day, "quantity": rec.quantity})


@router.post("/products/{pk}/certifications", response={201: dict[str, Any]}, summary="申请认定 Apply")
@writes(Cap.MARKET_EDIT)
def certification_apply(request: HttpRequest, pk: int) -> Status[dict[str, Any]]:
    p = selectors.product_get(_user(request), pk)
    c = services.certification_apply(actor=_user(request), product=p, applied_on=timezone.localdate())
    return Status(201, {"id": c.pk, "state": c.state})


@router.get("/certifications", response=list[dict[str, Any]], summary="认定申请 Certification applications")
def certification_list(request: HttpRequest, state: str = "open") -> list[dict[str, Any]]:
    """`state`: open (in progress, the caller's turn first) or closed (the latest 200 decided)."""
    return [
        _cert_row(r.certification) | {"waiting_for": r.waiting_for, "your_turn": r.your_turn}
        for r in selectors.certification_rows(_user(request), open_=state != "closed")
    ]


@router.get("/certifications/{pk}", response=dict[str, Any], summary="认定申请详情 Steps done and allowed next")
def certification_get(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _cert_view(selectors.certification_detail(_user(request), pk))


@router.post("/certifications/{pk}/decision", response=dict[str, Any], summary="认定办理 Take the next step")
@writes(Cap.CASE_ACCEPT, Cap.UPLOAD_FEEDS, Cap.MARKET_EDIT)
def certification_decide(request: HttpRequest, pk: int, body: DecisionIn) -> dict[str, Any]:
    """Township review (pass with `sector`, return, reject), sector review (pass, return, reject), county
    decision (certify with `number`, return, reject), the enterprise's resubmit, the county's revoke."""
    c = selectors.certification_get(_user(request), pk)
    services.certification_decide(actor=_user(request), certification=c, **body.model_dump())
    return _cert_view(selectors.certification_detail(_user(request), pk))


# --- sales and payments ------------------------------------------------------------------------------


@router.post("/sales", response={201: dict[str, Any]}, summary="登记销售 Record a sale")
@writes(Cap.MARKET_EDIT)
def sale_create(request: HttpRequest, body: SaleIn) -> Status[dict[str, Any]]:
    data = body.model_dump()
    p = selectors.product_get(_user(request), data.pop("product_id"))
    event_id = data.pop("event_id")
    event = selectors.sales_event_totals(_user(request), event_id).event if event_id else None
    sale = services.sale_record(actor=_user(request), product=p, event=event, **data)
    return Status(201, {"id": sale.pk, "amount": sale.amount, "online": sale.online})


@router.post("/payments", response={201: dict[str, Any]}, summary="支付农户 Pay a linked household")
@writes(Cap.MARKET_EDIT)
def payment_create(request: HttpRequest, body: PaymentIn) -> Status[dict[str, Any]]:
    data = body.model_dump()
    e = selectors.enterprise_get(_user(request), data.pop("enterprise_id"))
    p = services.payment_record(actor=_user(request), enterprise=e, **data)
    item = codes.PAYMENT_INCOME_ITEM[codes.PaymentKind(p.kind)]
    return Status(201, {"id": p.pk, "year": p.year, "amount": p.amount, "income_item": item})


# --- buyers and orders -------------------------------------------------------------------------------


@router.get("/buyers", response=list[dict[str, Any]], summary="采购单位及完成进度 Buyers and progress")
def buyer_list(request: HttpRequest, year: int | None = None) -> list[dict[str, Any]]:
    out = []
    for row in selectors.buyer_progress(_user(request), _year(year)):
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
def buyer_create(request: HttpRequest, body: BuyerIn) -> Status[dict[str, Any]]:
    b = services.buyer_create(actor=_user(request), **body.model_dump())
    return Status(201, {"id": b.pk, "name": b.name})


@router.post("/buyers/{pk}/targets", response=dict[str, Any], summary="年度采购目标 Set a yearly target")
@writes(Cap.MARKET_EDIT)
def target_set(request: HttpRequest, pk: int, body: TargetIn) -> dict[str, Any]:
    b = selectors.buyer_get(_user(request), pk)
    t = services.target_set(actor=_user(request), buyer=b, **body.model_dump())
    return {"year": t.year, "canteen_purchases": t.canteen_purchases, "share": t.share}


@router.get("/orders", response=list[dict[str, Any]], summary="订单 Orders")
def order_list(request: HttpRequest, state: str = "") -> list[dict[str, Any]]:
    qs = selectors.orders_visible(_user(request))
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
def order_place(request: HttpRequest, body: OrderIn) -> Status[dict[str, Any]]:
    user = _user(request)
    buyer = selectors.buyer_get(user, body.buyer_id)
    lines = [(selectors.catalogue_item(ln.product_id).product, ln.quantity) for ln in body.lines]
    o = services.order_place(actor=user, buyer=buyer, lines=lines, note=body.note)
    return Status(201, _order(user, selectors.order_get(user, o.pk)))


@router.get("/orders/{pk}", response=dict[str, Any], summary="订单详情 Order with lines and events")
def order_get(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _order(_user(request), selectors.order_get(_user(request), pk))


@router.post("/orders/{pk}/transitions", response=dict[str, Any], summary="订单流转 Move an order on")
@writes(Cap.MARKET_EDIT)
def order_transition(request: HttpRequest, pk: int, body: OrderTransitionIn) -> dict[str, Any]:
    user = _user(request)
    o = selectors.order_get(user, pk)
    services.order_transition(actor=user, order=o, event=body.event, note=body.note)
    return _order(user, selectors.order_get(user, pk))
