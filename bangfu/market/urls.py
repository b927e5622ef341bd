from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from bangfu.market import selectors
from bangfu.market.views import certification, files, manage, pages

if TYPE_CHECKING:
    from bangfu.accounts.models import User


def own_enterprise_links(user: User) -> list[tuple[str, str]]:
    """The navigation's first entry for an enterprise user: their own company (by name)."""
    return [(e.name, reverse("market:enterprise_detail", args=[e.pk])) for e in selectors.own_enterprises(user)]


app_name = "market"
NAV = [
    # the enterprise user's own company first (the membership names it: market.selectors.own_enterprises);
    # only for accounts whose membership names a company, so an officer's pages never ask for it
    (selectors.names_an_organisation, _("我的企业"), own_enterprise_links, "mine"),
    ("view_reports", _("经营主体"), "market:enterprise_list", "industry"),
    ("market_edit", _("消费帮扶订单"), "market:order_list", "industry"),
    # Sector bureaus (department officers) review certifications and see nothing else of the market.
    ("upload_feeds", _("产品认定复审"), "market:certification_list", "industry"),
]
urlpatterns = [
    path("", pages.enterprise_list, name="enterprise_list"),
    path("catalogue/", pages.catalogue, name="catalogue"),
    path("enterprises/new/", manage.enterprise_new, name="enterprise_new"),
    path("enterprises/<int:pk>/", pages.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:pk>/edit/", manage.enterprise_edit, name="enterprise_edit"),
    path("enterprises/<int:pk>/counterparts/new/", manage.counterpart_new, name="counterpart_new"),
    path("enterprises/<int:pk>/households/new/", manage.household_link_new, name="household_link_new"),
    path("enterprises/<int:pk>/years/new/", manage.year_new, name="year_new"),
    path("enterprises/<int:pk>/sales.xlsx", files.enterprise_sales_xlsx, name="enterprise_sales_xlsx"),
    path("enterprises/<int:pk>/sales/", pages.enterprise_post, {"form": "sales"}, name="sale_add"),
    path("enterprises/<int:pk>/payments/", pages.enterprise_post, {"form": "households"}, name="payment_add"),
    path("sales.xlsx", files.sales_xlsx, name="sales_xlsx"),
    path("events/<int:pk>/", pages.event_detail, name="event_detail"),
    path("products/<int:pk>/", pages.product_detail, name="product_detail"),
    path("products/<int:pk>/prices/", pages.product_post, {"form": "price"}, name="price_add"),
    path("products/<int:pk>/production/", pages.product_post, {"form": "production"}, name="production_add"),
    path("products/<int:pk>/certify/", pages.product_post, {"form": "certification"}, name="certification_apply"),
    path("products/<int:pk>/photo/", files.photo_upload, name="photo_upload"),
    path("photos/<int:pk>/", files.photo, name="photo"),
    path("certifications/", certification.certification_list, name="certification_list"),
    path("certifications/<int:pk>/", certification.certification_detail, name="certification_detail"),
    path("certifications/<int:pk>/decide/", certification.certification_decide, name="certification_decide"),
    path("buyers/", pages.buyer_list, name="buyer_list"),
    path("buyers/new/", manage.buyer_new, name="buyer_new"),
    path("buyers/<int:pk>/targets/", manage.target_new, name="target_new"),
    path("parameters/", manage.parameters, name="parameters"),
    path("orders/", pages.order_list, name="order_list"),
    path("orders/new/", pages.order_new, name="order_new"),
    path("orders/<int:pk>/", pages.order_detail, name="order_detail"),
    path("orders/<int:pk>/move/", pages.order_move, name="order_move"),
]
