"""Products, prices, daily production (adds to stock) and certification as a support product (the steps
of domain/certification.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bangfu.core import files
from bangfu.core.domain.workflow import Step, StepRefused
from bangfu.core.errors import (
    ApplicationError,
    Conflict,
    invalid,
    refused,
)
from bangfu.core.inputs import not_future
from bangfu.core.services import audit_record
from bangfu.market import selectors as sel
from bangfu.market.domain import certification as cert
from bangfu.market.domain import codes, figures, photos
from bangfu.market.models import (
    Certification,
    CertificationEvent,
    CertState,
    Enterprise,
    PriceRecord,
    Product,
    ProductionRecord,
)
from bangfu.market.services._guard import positive, recorded_by, require_edit, text

if TYPE_CHECKING:
    from bangfu.accounts.models import User


@transaction.atomic
def product_create(
    *,
    actor: User | None,
    enterprise: Enterprise,
    name: str,
    category: str,
    unit: str,
    price: Decimal,
    price_from: dt.date,
    spec: str = "",
    description: str = "",
) -> Product:
    """A new product with its first price (a product is never listed without one)."""
    require_edit(actor, enterprise)
    if unit not in codes.Unit.__members__.values():
        raise invalid("unit", "计量单位无效：斤、公斤、件或箱", "unit must be jin, kg, piece or box")
    name = text("name", name, "品名")
    if Product.objects.filter(enterprise=enterprise, name=name, spec=spec).exists():
        raise Conflict(f"已有同名同规格产品“{name}”", f"a product named {name} with that spec exists", "duplicate")
    p = Product.objects.create(
        enterprise=enterprise,
        name=name,
        category=text("category", category, "品类"),
        unit=unit,
        spec=spec,
        description=description,
    )
    _price_insert(actor, p, price, price_from, "首次定价")
    audit_record(actor=actor, action="product_create", obj=p, area_code=enterprise.area_id)
    return p


def _price_insert(actor: User | None, product: Product, price: Decimal, start: dt.date, note: str) -> PriceRecord:
    positive("price", price, "单价")
    row, _ = PriceRecord.objects.update_or_create(
        product=product,
        effective_from=start,
        defaults={"price": price, "note": note, "recorded_by": recorded_by(actor)},
    )
    return row


@transaction.atomic
def price_set(
    *, actor: User | None, product: Product, price: Decimal, effective_from: dt.date, note: str = ""
) -> PriceRecord:
    """A new price from a date on; a second price for the same day replaces the first."""
    require_edit(actor, product.enterprise)
    row = _price_insert(actor, product, price, effective_from, note)
    audit_record(
        actor=actor,
        action="price_set",
        obj=row,
        area_code=product.enterprise.area_id,
        data={"product": product.pk, "price": str(price), "from": str(effective_from)},
    )
    return row


@transaction.atomic
def production_record(
    *, actor: User | None, product: Product, day: dt.date, quantity: Decimal, note: str = ""
) -> ProductionRecord:
    """One day's output; it goes into stock at once."""
    require_edit(actor, product.enterprise)
    positive("quantity", quantity, "产量")
    not_future(day, "day", zh="生产日期", en="production date")
    if ProductionRecord.objects.filter(product=product, day=day).exists():
        raise Conflict(
            f"{day}的产量已登记；如需更正请联系管理员",
            f"output for {day} is already recorded; ask an administrator to correct it",
            "duplicate",
        )
    rec = ProductionRecord.objects.create(product=product, day=day, quantity=quantity, note=note)
    Product.objects.filter(pk=product.pk).update(on_hand=F("on_hand") + quantity)
    audit_record(
        actor=actor,
        action="production_record",
        obj=rec,
        area_code=product.enterprise.area_id,
        data={"quantity": str(quantity)},
    )
    return rec


@transaction.atomic
def product_photo_set(*, actor: User | None, product: Product, upload: UploadedFile[bytes]) -> Product:
    """Replace the product's photo. The type is read from the file's first bytes (a renamed .exe or an
    HTML page stays refused) and the stored name is ours (bangfu.core.files)."""
    require_edit(actor, product.enterprise)
    accepted = files.accept(upload, allowed=files.PHOTO, max_bytes=photos.MAX_PHOTO_BYTES, field="photo")
    kind = accepted.type.key
    old = product.photo.name
    product.photo.save(f"{product.pk}-{accepted.upload.name}", accepted.upload, save=False)
    Product.objects.filter(pk=product.pk).update(photo=product.photo.name)
    if old:
        # Only once the new name is committed, so a rollback never leaves the product without its file.
        storage = product.photo.storage
        transaction.on_commit(lambda: storage.delete(old))
    audit_record(
        actor=actor, action="product_photo_set", obj=product, area_code=product.enterprise.area_id, data={"kind": kind}
    )
    return product


@transaction.atomic
def certification_apply(*, actor: User | None, product: Product, applied_on: dt.date) -> Certification:
    """The enterprise applies to have the product certified as a support product (主体自愿申请); the
    application then waits for the township's first review."""
    require_edit(actor, product.enterprise)
    not_future(applied_on, "applied_on", zh="申请日期", en="application date")
    open_one = Certification.objects.filter(product=product, state__in=list(cert.OPEN_STATES)).first()
    if open_one is not None and open_one.state == CertState.RETURNED:
        raise Conflict(
            "该产品的认定申请已被退回，请按退回原因修改后重新提交该申请",
            "this product's application was sent back; correct it and resubmit that application",
            "duplicate",
        )
    if open_one is not None:
        raise Conflict(
            "该产品已有正在办理的认定申请", "an application for this product is already pending", "duplicate"
        )
    c = Certification.objects.create(product=product, applied_on=applied_on)
    CertificationEvent.objects.create(
        certification=c, event="apply", to_state=CertState.APPLIED, actor=recorded_by(actor), on=applied_on
    )
    audit_record(actor=actor, action="certification_apply", obj=c, area_code=product.enterprise.area_id)
    return c


@transaction.atomic
def certification_decide(
    *,
    actor: User | None,
    certification: Certification,
    decision: str,
    on: dt.date | None = None,
    number: str = "",
    note: str = "",
    sector: str = "",
) -> Certification:
    """Take the next step of an application (table in domain/certification.py): the township's first review
    (pass naming the sector bureau, return, reject), the sector review (pass, return, reject), the county
    decision (certify with a number and a validity from the area's parameter, return, reject), the
    enterprise's resubmission of a returned application, or the county's revocation."""
    c = (
        Certification.objects.select_for_update(of=("self",))
        .select_related("product__enterprise")
        .get(pk=certification.pk)
    )
    if actor is not None:
        sel.certification_get(actor, c.pk)  # NotFound for anybody who cannot see the application at all
    t = _step(actor, c, decision, cert.Facts(sector, number), note)
    on = on or timezone.localdate()
    area = c.product.enterprise.area_id
    note = note.strip()
    if cert.G_SECTOR in t.guards:
        c.sector = sector
    if cert.G_NUMBER in t.guards:
        _certify(c, area, on, number)
    elif t.event == cert.Action.REVOKE:
        c.valid_until = min(c.valid_until or on, on)
    c.state = t.target
    c.save()
    CertificationEvent.objects.create(
        certification=c,
        event=t.event,
        from_state=t.source,
        to_state=t.target,
        actor=recorded_by(actor),
        note=note,
        on=on,
    )
    data = {"from": t.source.value, "to": t.target.value, "sector": c.sector}
    audit_record(actor=actor, action=f"certification_{t.event}", obj=c, area_code=area, reason=note, data=data)
    return c


def _step(
    actor: User | None, c: Certification, decision: str, facts: cert.Facts, note: str
) -> Step[CertState, cert.Action]:
    if decision not in cert.Action.__members__.values():
        choices = "、".join(a.value for a in cert.Action)
        raise invalid("decision", f"办理事项无效，可选：{choices}", f"decision must be one of {choices}")
    try:
        return cert.TABLE.decide(c.state, decision, sel.certification_parties(actor, c), facts, note)
    except StepRefused as exc:
        raise refused(exc) from None


def _certify(c: Certification, area: str, on: dt.date, number: str) -> None:
    """County decision: the number it gives, valid from `on` for the months configured for the area."""
    months = sel.parameters_for(area, codes.ParamKey.CERT_VALIDITY_MONTHS, on)
    if months is None:
        raise ApplicationError(
            zh="本地区尚未配置帮扶产品认定有效期，请先在参数中设置",
            en="No certification validity is configured for this area; set the parameter first",
            code="not_configured",
            status=409,
        )
    c.number, c.valid_from, c.valid_until = (
        number.strip(),
        on,
        figures.validity_end(on, int(months)),
    )
