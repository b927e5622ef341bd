"""The public catalogue: active products whose certification is in force today (no login)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from bangfu.core.errors import NotFound
from bangfu.market.domain import figures
from bangfu.market.models import Certification, CertState, PriceRecord, Product


@dataclass(frozen=True)
class CatalogueItem:
    product: Product
    price: Decimal | None
    certification: Certification


def catalogue(
    area_prefix: str = "", day: dt.date | None = None, product_ids: list[int] | None = None
) -> list[CatalogueItem]:
    """Public: active products whose certification is in force today; four queries whatever the size.

    `product_ids` narrows it to given products (an order checks only its own lines)."""
    today = day or timezone.localdate()
    valid = Certification.objects.filter(state=CertState.CERTIFIED, valid_from__lte=today, valid_until__gte=today)
    qs = (
        Product.objects.filter(active=True, pk__in=valid.values("product_id"))
        .select_related("enterprise", "enterprise__area")
        .prefetch_related(
            Prefetch("prices", queryset=PriceRecord.objects.filter(effective_from__lte=today)),
            Prefetch("certifications", queryset=valid.order_by("-valid_until")),
        )
        .order_by("enterprise__name", "name")
    )
    if area_prefix:
        qs = qs.filter(enterprise__area__code__startswith=area_prefix)
    if product_ids is not None:
        qs = qs.filter(pk__in=product_ids)
    return [
        CatalogueItem(
            product=p,
            price=figures.price_on([figures.PricePoint(r.effective_from, r.price) for r in p.prices.all()], today),
            certification=p.certifications.all()[0],
        )
        for p in qs
    ]


def catalogue_item(pk: int, day: dt.date | None = None) -> CatalogueItem:
    found = catalogue(day=day, product_ids=[pk])
    if not found:
        raise NotFound(
            "该产品不在帮扶产品目录中（未认定或已过有效期）",
            "This product is not in the catalogue (not certified or no longer valid)",
        )
    return found[0]


def catalogue_filter(items: list[CatalogueItem], *, search: str = "", category: str = "") -> list[CatalogueItem]:
    """The catalogue narrowed to a category and to products whose name, category, producer, place or
    description contains `search` (a catalogue is a few hundred products at most: filtered in memory,
    after the four queries of `catalogue`)."""
    needle = search.strip().casefold()

    def hit(i: CatalogueItem) -> bool:
        p = i.product
        words = (p.name, p.category, p.spec, p.description, p.enterprise.name, p.enterprise.area.name)
        return not needle or any(needle in (w or "").casefold() for w in words)

    return [i for i in items if (not category or i.product.category == category) and hit(i)]
