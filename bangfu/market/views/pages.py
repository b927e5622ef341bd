"""Market pages: the public catalogue, enterprises (the enterprise page), products, events, buyers, orders.

The small forms of the enterprise and product pages post to actions that call a service through
`core.views.form_post`: on success the browser goes back to the page with a message, on a problem the
page is shown again with the problem beside its field and what was typed kept; 'not yours' (404) and
'not allowed' (403) go to the error page.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.areas import selectors as areas
from bangfu.core import params
from bangfu.core.errors import invalid
from bangfu.core.listing import DateRange, Filter, Listing
from bangfu.core.replicas import replica_ok
from bangfu.core.views import form_post, int_or_none, page_on_get, post_message, same
from bangfu.market import selectors, services
from bangfu.market.domain.certification import OPEN_STATES
from bangfu.market.domain.orders import TABLE, OrderState
from bangfu.market.domain.photos import MAX_PHOTO_BYTES
from bangfu.market.labels import (
    channel_options,
    order_state_label,
    order_state_options,
    payment_kind_options,
    unit_label,
)
from bangfu.market.models import Enterprise, Order, Product
from bangfu.market.views._forms import date_value, decimal_value

if TYPE_CHECKING:
    from bangfu.accounts.models import User


def _year(request: HttpRequest) -> int:
    return params.year(request.GET)


# --- public catalogue ---------------------------------------------------------------------------------


@replica_ok
def catalogue(request: HttpRequest) -> HttpResponse:
    """No login: what budget units, canteens and the public may buy, with photo, price, producer and
    stock; search and category. A buyer's own account (or a county officer) orders from the card."""
    county = request.GET.get("county", "")[:6]
    everything = selectors.catalogue(area_prefix=county if county.isdigit() else "")
    search, category = request.GET.get("q", "").strip()[:40], request.GET.get("category", "").strip()[:40]
    ctx = {
        "items": selectors.catalogue_filter(everything, search=search, category=category),
        "categories": sorted({i.product.category for i in everything if i.product.category}),
        "q": search,
        "category": category,
        "total": len(everything),
        "may_order": selectors.may_order(request.user),
        "today": timezone.localdate(),
    }
    return render(request, "market/catalogue.html", ctx)


# --- enterprises --------------------------------------------------------------------------------------


@login_required
@replica_ok
def enterprise_list(request: AuthedHttpRequest) -> HttpResponse:
    officer = bool(selectors.officer_areas(request.user))
    own = selectors.own_enterprise(request.user)
    if own is not None and not officer:
        return redirect("market:enterprise_detail", pk=own.pk)  # an enterprise user lands on their company
    # Applications waiting for a step this user takes: a township's, a bureau's or the county's queue.
    ctx = {
        "rows": selectors.enterprise_list(request.user),
        "pending": selectors.certifications_pending(request.user),
        "is_officer": officer,
    }
    return render(request, "market/enterprise_list.html", ctx)


@login_required
def enterprise_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    e = selectors.enterprise_get(request.user, pk)
    return render(request, "market/enterprise_detail.html", _enterprise_context(request, e))


def _enterprise_context(request: AuthedHttpRequest, e: Enterprise) -> dict[str, Any]:
    user, pk = request.user, e.pk
    years = selectors.years_of(user, pk)
    # Without a chosen year the page opens on the latest reported year, where the figures are.
    year = params.year(request.GET, default=years[0].year if years else None)
    products = list(selectors.products_of(user, pk))
    beneficiaries = selectors.beneficiaries(user, pk, year)
    sales = selectors.sales_summary(user, pk, year)
    events = selectors.sales_events_of(user, pk)
    links = selectors.links_of(user, pk)
    return {
        "e": e,
        "year": year,
        "years": years,
        "counterparts": list(e.counterparts.all()),
        "products": [(p, selectors.current_price(p), selectors.valid_certification(p)) for p in products],
        "sales": sales,
        "events": events,
        "beneficiaries": beneficiaries,
        "income_total": sum((b.total for b in beneficiaries), Decimal("0.00")),
        "links": links,
        "product_options": [(p.pk, p.name) for p in products],
        "event_options": [(ev.pk, ev.name) for ev in events],
        "household_options": [(k.household_id, f"{k.household.head_name} · {k.get_kind_display()}") for k in links],
        "can_edit": selectors.can_edit(user, e),
        "is_officer": selectors.is_officer_for(user, e.area_id),
        "channels": channel_options(),
        "pay_kinds": payment_kind_options(),
        "today": timezone.localdate(),
        "charts": _chart_data(sales),
    }


def _chart_data(sales: selectors.SalesSummary) -> dict[str, Any]:
    """The two charts of the enterprise page; amounts as decimal strings (ECharts reads them as numbers)."""
    return {
        "unit": _("元"),
        "channel": {"names": list(sales.by_channel), "values": [str(v) for v in sales.by_channel.values()]},
        "month": {"names": list(sales.by_month), "values": [str(v) for v in sales.by_month.values()]},
    }


@login_required
def event_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return render(request, "market/event_detail.html", {"t": selectors.sales_event_totals(request.user, pk)})


# --- products -----------------------------------------------------------------------------------------


@login_required
def product_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    p = selectors.product_get(request.user, pk)
    return render(request, "market/product_detail.html", _product_context(request, p))


def _product_context(request: AuthedHttpRequest, p: Product) -> dict[str, Any]:
    user = request.user
    production = selectors.production_of(user, p.pk)
    certs = selectors.certifications_of_product(user, p.pk)
    return {
        "p": p,
        "prices": list(p.prices.all()),
        "price": selectors.current_price(p),
        "cert": selectors.valid_certification(p),
        "certs": certs,
        "open_application": next((v for v in certs if v.certification.state in OPEN_STATES), None),
        "production": production,
        "average": selectors.average_daily_output(production),
        "can_edit": selectors.can_edit(user, p.enterprise),
        "today": timezone.localdate(),
        "unit": unit_label(p.unit),
        "max_photo_mb": MAX_PHOTO_BYTES // (1024 * 1024),
    }


# --- the small forms of the enterprise and product pages ------------------------------------------------
# One view per page and a table of its forms: (message when done, the step). A step parses what was typed
# (views/_forms) and calls one service; `form_post` shows the page again with the problem beside its field.

Step = Callable[["User", Any, dict[str, str]], object]


def _record_sale(user: User, e: Enterprise, v: dict[str, str]) -> object:
    event_id = int_or_none(v.get("event"))
    return services.sale_record(
        actor=user,
        product=selectors.product_get(user, int_or_none(v.get("product")) or 0),
        day=date_value(v.get("day", ""), "day", "销售日期", "The sale date"),
        channel=v.get("channel", ""),
        quantity=decimal_value(v.get("quantity", ""), "quantity", "数量"),
        amount=decimal_value(v.get("amount", ""), "amount", "金额"),
        online=v.get("online") == "on",
        platform=v.get("platform", ""),
        place=v.get("place", ""),
        event=selectors.sales_event_totals(user, event_id).event if event_id else None,
    )


def _pay_household(user: User, e: Enterprise, v: dict[str, str]) -> object:
    return services.payment_record(
        actor=user,
        enterprise=e,
        household_id=int_or_none(v.get("household")) or 0,
        kind=v.get("kind", ""),
        amount=decimal_value(v.get("amount", ""), "amount", "金额"),
        paid_on=date_value(v.get("paid_on", ""), "paid_on", "支付日期", "The payment date"),
    )


def _set_price(user: User, p: Product, v: dict[str, str]) -> object:
    return services.price_set(
        actor=user,
        product=p,
        price=decimal_value(v.get("price", ""), "price", "单价"),
        effective_from=date_value(v.get("effective_from", ""), "effective_from", "起始日期", "The start date"),
        note=v.get("note", ""),
    )


def _record_output(user: User, p: Product, v: dict[str, str]) -> object:
    day = date_value(v.get("day", ""), "day", "日期")
    quantity = decimal_value(v.get("quantity", ""), "quantity", "产量", "The output")
    return services.production_record(actor=user, product=p, day=day, quantity=quantity)


def _apply_for_certification(user: User, p: Product, v: dict[str, str]) -> object:
    return services.certification_apply(actor=user, product=p, applied_on=timezone.localdate())


ENTERPRISE_FORMS: dict[str, tuple[str, Step]] = {
    "sales": (gettext_noop("销售已登记"), _record_sale),
    "households": (gettext_noop("已支付并计入农户收入"), _pay_household),
}
PRODUCT_FORMS: dict[str, tuple[str, Step]] = {
    "price": (gettext_noop("价格已更新"), _set_price),
    "production": (gettext_noop("产量已登记"), _record_output),
    "certification": (gettext_noop("认定申请已提交，等待镇办初审"), _apply_for_certification),
}


def _page_form(
    request: AuthedHttpRequest, form: str, obj: Any, forms: dict[str, tuple[str, Step]], page: str
) -> HttpResponse:
    """Form `form` of `obj`'s page ("enterprise" or "product"): success goes back to its section."""
    done, step = forms[form]
    build = _enterprise_context if page == "enterprise" else _product_context
    return form_post(
        request,
        template=f"market/{page}_detail.html",
        context=lambda: build(request, obj),
        run=lambda v: step(request.user, obj, v),
        done=_(done),
        then=reverse(f"market:{page}_detail", args=[obj.pk]) + f"#{form}",
        form=form,
    )


@login_required
@page_on_get("market:enterprise_detail", to=same("pk"))
@writes(Cap.MARKET_EDIT)
def enterprise_post(request: AuthedHttpRequest, pk: int, form: str) -> HttpResponse:
    """A sale or a payment to a household, from the enterprise page."""
    return _page_form(request, form, selectors.enterprise_get(request.user, pk), ENTERPRISE_FORMS, "enterprise")


@login_required
@page_on_get("market:product_detail", to=same("pk"))
@writes(Cap.MARKET_EDIT)
def product_post(request: AuthedHttpRequest, pk: int, form: str) -> HttpResponse:
    """A price, a day's output or an application for certification, from the product page."""
    return _page_form(request, form, selectors.product_get(request.user, pk), PRODUCT_FORMS, "product")


# --- buyers and orders --------------------------------------------------------------------------------


@login_required
@replica_ok
def buyer_list(request: AuthedHttpRequest) -> HttpResponse:
    year = _year(request)
    officer = bool(selectors.officer_areas(request.user))
    ctx = {"rows": selectors.buyer_progress(request.user, year), "year": year, "is_officer": officer}
    return render(request, "market/buyer_list.html", ctx)


@login_required
@replica_ok
def order_list(request: AuthedHttpRequest) -> HttpResponse:
    """Orders with the list kit: the area from the link (?area=, a removable chip), search, state and
    supplier filters, sortable columns, page numbers."""
    user = request.user
    place = areas.place_in_query(user, request.GET, cap=Cap.VIEW_REPORTS)
    listing = Listing(
        request,
        sorts={"placed": ("placed_at",), "total": ("total",), "number": ("number",), "buyer": ("buyer__name",)},
        default_sort="-placed",
        filters=[
            Filter("state", _("状态"), order_state_options()),
            Filter("enterprise", _("供货企业"), selectors.order_suppliers(user)),
        ],
        search=_("订单号、采购单位或企业"),
        dates=DateRange(_("下单日期")),
    )
    if place is not None:
        listing.chip(place.name, place.param)
    qs = selectors.orders_list(
        user,
        place=place,
        q=listing.q,
        state=listing.value("state"),
        enterprise_id=int_or_none(listing.value("enterprise")),
        placed_from=listing.date_from,
        placed_to=listing.date_to,
    )
    return render(request, "market/order_list.html", {"listing": listing, "page": listing.page(qs)})


@login_required
@writes(Cap.MARKET_EDIT)
def order_new(request: AuthedHttpRequest) -> HttpResponse:
    """Pick a supplier, then the buyer and quantities of that supplier's catalogue products. A market
    officer orders for any buyer of their areas, a buyer's own account for its unit; the supplier then
    confirms. Without a buyer to order for, the page says so (with the way to register one) and a post
    keeps what was typed."""
    user = request.user
    items = selectors.catalogue()
    suppliers = sorted({(i.product.enterprise_id, i.product.enterprise.name) for i in items}, key=lambda s: s[1])
    supplier = int_or_none(request.GET.get("enterprise") or request.POST.get("enterprise"))
    buyers = selectors.buyers_orderable(user)
    lines = [i for i in items if i.product.enterprise_id == supplier]
    ctx: dict[str, Any] = {
        "buyers": buyers,
        "buyers_options": [(b.pk, b.name) for b in buyers],
        "suppliers": suppliers,
        "supplier": supplier,
        "items": lines,
        "shown": ["buyer", "note", *(f"qty_{i.product.pk}" for i in lines)],  # problems shown beside a field
        "is_officer": bool(selectors.officer_areas(user)),
    }

    def place(values: dict[str, str]) -> Order:
        buyer = next((b for b in buyers if str(b.pk) == values.get("buyer")), None)
        if not buyers:
            raise invalid(
                "buyer", "本辖区没有采购单位，请先登记", "There is no buyer in your areas: register one first"
            )
        if buyer is None:
            raise invalid("buyer", "请选择采购单位", "Choose the buyer")
        chosen = [
            (
                i.product,
                decimal_value(values[f"qty_{i.product.pk}"], f"qty_{i.product.pk}", i.product.name, i.product.name),
            )
            for i in lines
            if values.get(f"qty_{i.product.pk}")
        ]
        return services.order_place(actor=user, buyer=buyer, lines=chosen, note=values.get("note", ""))

    initial = {"buyer": buyers[0].pk} if len(buyers) == 1 else {}
    return form_post(
        request,
        template="market/order_new.html",
        context=ctx,
        initial=initial,
        run=place,
        done=lambda o: _("订单%(number)s已提交，库存已预留，等待供货企业确认") % {"number": o.number},
        then=lambda o: redirect("market:order_detail", pk=o.pk),
    )


@login_required
def order_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    o = selectors.order_get(request.user, pk)
    ctx = {
        "o": o,
        "label": order_state_label(o.state),
        "actions": TABLE.open_to(OrderState(o.state), selectors.parties_of(request.user, o)),
    }
    return render(request, "market/order_detail.html", ctx)


@login_required
@page_on_get("market:order_detail")
@writes(Cap.MARKET_EDIT)
def order_move(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    o = selectors.order_get(request.user, pk)
    post_message(
        request,
        _("订单状态已更新"),
        lambda: services.order_transition(
            actor=request.user, order=o, event=request.POST.get("event", ""), note=request.POST.get("note", "")
        ),
    )
    return redirect("market:order_detail", pk=o.pk)
