"""Scoped reads of the market module. Every function that returns market data takes the acting user first.

Who sees what:
- officers see enterprises, buyers and orders of their areas (capability view_reports, scoped by
  `areas.selectors.scope_for`); they change them when they also hold market_edit there;
- an enterprise user (role enterprise_user) sees and changes only the enterprise their membership
  names: Membership.organisation = the enterprise's 统一社会信用代码 (the same convention as the
  employment module's workshop operators), and the enterprise must lie inside the membership's area;
- everybody, logged in or not, sees the public catalogue of certified, currently valid products.

Import from here: `market.selectors.enterprise_get`. The modules split the reads by topic: `access`
(who sees and changes which enterprise), `enterprises` (list, years, households benefiting, parameters),
`products`, `certification`, `catalogue` (public), `sales` (summaries, events, the export), `orders`
(buyers, targets, orders) and `batch` (one household's payments, indicator counts).
"""

from bangfu.market.selectors.access import (
    can_edit,
    enterprise_get,
    enterprises_visible,
    is_officer_for,
    names_an_organisation,
    officer_areas,
    own_buyers,
    own_enterprise,
    own_enterprises,
    require_officer_somewhere,
    sees_any_market,
    sees_area,
)
from bangfu.market.selectors.batch import payments_to_household, village_counts, villages_dated
from bangfu.market.selectors.catalogue import CatalogueItem, catalogue, catalogue_filter, catalogue_item
from bangfu.market.selectors.certification import (
    CertRow,
    CertView,
    certification_detail,
    certification_get,
    certification_parties,
    certification_rows,
    certifications_of_product,
    certifications_pending,
    certifications_visible,
)
from bangfu.market.selectors.enterprises import (
    Beneficiary,
    beneficiaries,
    enterprise_list,
    links_of,
    parameters_for,
    parameters_visible,
    payments_of,
    years_of,
)
from bangfu.market.selectors.orders import (
    BuyerProgress,
    buyer_get,
    buyer_progress,
    buyers_orderable,
    buyers_visible,
    may_order,
    order_get,
    order_suppliers,
    orders_list,
    orders_visible,
    parties_of,
    targets_of,
)
from bangfu.market.selectors.products import (
    average_daily_output,
    current_price,
    photo_product,
    product_get,
    production_of,
    products_of,
    valid_certification,
)
from bangfu.market.selectors.sales import (
    SALES_COLUMNS,
    EventTotals,
    SalesExport,
    SalesSummary,
    sales_event_totals,
    sales_events_of,
    sales_export,
    sales_summary,
)

__all__ = [
    "SALES_COLUMNS",
    "Beneficiary",
    "BuyerProgress",
    "CatalogueItem",
    "CertRow",
    "CertView",
    "EventTotals",
    "SalesExport",
    "SalesSummary",
    "average_daily_output",
    "beneficiaries",
    "buyer_get",
    "buyer_progress",
    "buyers_orderable",
    "buyers_visible",
    "can_edit",
    "catalogue",
    "catalogue_filter",
    "catalogue_item",
    "certification_detail",
    "certification_get",
    "certification_parties",
    "certification_rows",
    "certifications_of_product",
    "certifications_pending",
    "certifications_visible",
    "current_price",
    "enterprise_get",
    "enterprise_list",
    "enterprises_visible",
    "is_officer_for",
    "links_of",
    "may_order",
    "names_an_organisation",
    "officer_areas",
    "order_get",
    "order_suppliers",
    "orders_list",
    "orders_visible",
    "own_buyers",
    "own_enterprise",
    "own_enterprises",
    "parameters_for",
    "parameters_visible",
    "parties_of",
    "payments_of",
    "payments_to_household",
    "photo_product",
    "product_get",
    "production_of",
    "products_of",
    "require_officer_somewhere",
    "sales_event_totals",
    "sales_events_of",
    "sales_export",
    "sales_summary",
    "sees_any_market",
    "sees_area",
    "targets_of",
    "valid_certification",
    "village_counts",
    "villages_dated",
    "years_of",
]
