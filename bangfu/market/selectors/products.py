"""Products of a visible enterprise: price in force, valid certification, production, photo."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone

from bangfu.core.errors import NotFound
from bangfu.core.selectors import get_or_404
from bangfu.market.domain import figures
from bangfu.market.models import Certification, CertState, Product, ProductionRecord
from bangfu.market.selectors.access import enterprise_get, enterprises_visible
from bangfu.market.selectors.catalogue import catalogue
from bangfu.market.selectors.certification import certifications_visible

if TYPE_CHECKING:
    from bangfu.accounts.models import User


def products_of(user: User, enterprise_id: int) -> QuerySet[Product]:
    e = enterprise_get(user, enterprise_id)
    return Product.objects.filter(enterprise=e).prefetch_related("prices", "certifications").order_by("name")


def product_get(user: User, pk: int) -> Product:
    p = get_or_404(Product.objects.filter(pk=pk, enterprise__in=enterprises_visible(user)).select_related("enterprise"))
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


def production_of(user: User, product_id: int, days: int = 30) -> list[ProductionRecord]:
    p = product_get(user, product_id)
    return list(ProductionRecord.objects.filter(product=p).order_by("-day")[:days])


def average_daily_output(records: list[ProductionRecord]) -> Decimal:
    return figures.average([r.quantity for r in records])


def photo_product(user: User, pk: int) -> tuple[Product, bool]:
    """A product whose photo may be shown, and whether the photo is public: anybody for catalogue
    products, otherwise only those who see the enterprise (its own user checking the picture before
    certification) or who see an application of the product (the sector bureau reviewing it)."""
    listed = catalogue(product_ids=[pk])
    reviewed = None if listed else certifications_visible(user).filter(product_id=pk).first()
    p = listed[0].product if listed else reviewed.product if reviewed else product_get(user, pk)
    if not p.photo:
        raise NotFound()
    return p, bool(listed)
