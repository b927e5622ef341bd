"""Writes of the market module (keyword-only, atomic, audited). Split by subject; import from here."""

from bangfu.market.services.enterprises import (
    counterpart_link_add,
    enterprise_create,
    enterprise_update,
    enterprise_year_set,
    household_link_create,
    parameter_set,
)
from bangfu.market.services.orders import buyer_create, order_place, order_transition, target_set
from bangfu.market.services.payments import payment_cancel, payment_record
from bangfu.market.services.products import (
    certification_apply,
    certification_decide,
    price_set,
    product_create,
    product_photo_set,
    production_record,
)
from bangfu.market.services.sales import sale_record, sales_event_create

__all__ = [
    "buyer_create",
    "certification_apply",
    "certification_decide",
    "counterpart_link_add",
    "enterprise_create",
    "enterprise_update",
    "enterprise_year_set",
    "household_link_create",
    "order_place",
    "order_transition",
    "parameter_set",
    "payment_cancel",
    "payment_record",
    "price_set",
    "product_create",
    "product_photo_set",
    "production_record",
    "sale_record",
    "sales_event_create",
    "target_set",
]
