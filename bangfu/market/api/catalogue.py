"""The public catalogue of certified products (no login)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema

from bangfu.core.replicas import replica_ok
from bangfu.market import selectors
from bangfu.market.domain import codes

router = Router()


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


@router.get("/catalogue", auth=None, response=list[CatalogueOut], summary="帮扶产品目录（公开） Public catalogue")
@replica_ok
def catalogue(request: HttpRequest, county: str = "") -> list[dict[str, Any]]:
    """Certified products whose certification is valid today; `county` is a 6-digit county code prefix."""
    return [_catalogue_row(i) for i in selectors.catalogue(area_prefix=county[:6])]
