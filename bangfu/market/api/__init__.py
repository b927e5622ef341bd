"""JSON API of the market module (/api/v1/market/).

Reads go through `market.selectors` (scoped exactly like the pages; the catalogue is public),
writes through `market.services`. Objects outside the caller's reach answer 404.

One module per topic, like `market.selectors` and `market.services`, each with its own Ninja router
mounted here in this order (the order of the OpenAPI document): `catalogue` (public), `enterprises`
(register, counterparts, links, yearly figures, products, sales events), `products` (prices, output),
`certification`, `sales` (sales and payments), `orders` (buyers, targets, orders). `_common` holds the
default year; operations take `request: AuthedHttpRequest` and act as `request.user`.
"""

from ninja import Router

from bangfu.market.api import catalogue, certification, enterprises, orders, products, sales

router = Router(tags=["market"])
for _module in (catalogue, enterprises, products, certification, sales, orders):
    router.add_router("", _module.router)
