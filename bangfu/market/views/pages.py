"""Market pages: the public catalogue, enterprises (the enterprise page), products, events, buyers, orders.

Forms post to small actions that call a service and come back to the page with a message; input
problems are shown as messages, 'not yours' (404) and 'not allowed' (403) go to the error page.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.core import params
from bangfu.core.errors import ApplicationError
from bangfu.core.replicas import replica_ok
from bangfu.core.views import field_errors, int_or_none, post_message, reraise_access
from bangfu.market import selectors, services
from bangfu.market.domain import codes
from bangfu.market.domain.certification import OPEN_STATES
from bangfu.market.domain.orders import STATE_LABELS, TABLE, OrderState
from bangfu.market.domain.photos import MAX_PHOTO_BYTES
from bangfu.market.views._forms import date_field as _date
from bangfu.market.views._forms import decimal_field as _decimal


def _year(request: HttpRequest) -> int:
    return params.year(request.GET)


# --- public catalogue ---------------------------------------------------------------------------------


@replica_ok
def catalogue(request: HttpRequest) -> HttpResponse:
    """No login: what budget units, canteens and the public may buy, with price, producer and stock."""
    county = request.GET.get("county", "")[:6]
    items = selectors.catalogue(area_prefix=county if county.isdigit() else "")
    return render(request, "market/catalogue.html", {"items": items, "today": timezone.localdate()})


# --- enterprises --------------------------------------------------------------------------------------


@login_required
@replica_ok
def enterprise_list(request: AuthedHttpRequest) -> HttpResponse:
    rows = selectors.enterprise_list(request.user)
    if len(rows) == 1 and selectors.own_enterprises(request.user).exists():
        return redirect("market:enterprise_detail", pk=rows[0].pk)  # an enterprise user goes straight to theirs
    # Applications waiting for a step this user takes: a township's, a bureau's or the county's queue.
    pending = selectors.certifications_pending(request.user)
    ctx = {"rows": rows, "pending": pending, "today": timezone.localdate()}
    return render(
        request, "market/enterprise_list.html", ctx | {"is_officer": bool(selectors.officer_areas(request.user))}
    )


@login_required
def enterprise_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    e = selectors.enterprise_get(user, pk)
    years = selectors.years_of(user, pk)
    # Without a chosen year the page opens on the latest reported year, where the figures are.
    year = params.year(request.GET, default=years[0].year if years else None)
    products = list(selectors.products_of(user, pk))
    beneficiaries = selectors.beneficiaries(user, pk, year)
    sales = selectors.sales_summary(user, pk, year)
    ctx = {
        "e": e,
        "year": year,
        "years": years,
        "counterparts": list(e.counterparts.all()),
        "products": [(p, selectors.current_price(p), selectors.valid_certification(p)) for p in products],
        "sales": sales,
        "events": selectors.sales_events_of(user, pk),
        "beneficiaries": beneficiaries,
        "income_total": sum((b.total for b in beneficiaries), Decimal("0.00")),
        "links": selectors.links_of(user, pk),
        "can_edit": selectors.can_edit(user, e),
        "is_officer": selectors.is_officer_for(user, e.area_id),
        "channels": codes.CHANNEL_LABELS.items(),
        "pay_kinds": codes.PAYMENT_KIND_LABELS.items(),
        "today": timezone.localdate(),
    }
    ctx["charts"] = _chart_data(sales)
    return render(request, "market/enterprise_detail.html", ctx)


def _chart_data(sales: selectors.SalesSummary) -> dict[str, Any]:
    """The two charts of the enterprise page; amounts as decimal strings (ECharts reads them as numbers)."""
    return {
        "channel": {"names": list(sales.by_channel), "values": [str(v) for v in sales.by_channel.values()]},
        "month": {"names": list(sales.by_month), "values": [str(v) for v in sales.by_month.values()]},
    }


@login_required
@require_POST
@writes(Cap.MARKET_EDIT)
def sale_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    e = selectors.enterprise_get(request.user, pk)

    def act() -> None:
        product = selectors.product_get(request.user, int_or_none(request.POST.get("product")) or 0)
        event_id = int_or_none(request.POST.get("event"))
        event = selectors.sales_event_totals(request.user, event_id).event if event_id else None
        services.sale_record(
            actor=request.user,
            product=product,
            day=_date(request, "day", "销售日期"),
            channel=request.POST.get("channel", ""),
            quantity=_decimal(request, "quantity", "数量"),
            amount=_decimal(request, "amount", "金额"),
            online=request.POST.get("online") == "on",
            platform=request.POST.get("platform", ""),
            place=request.POST.get("place", ""),
            event=event,
        )

    post_message(request, "销售已登记 Sale recorded", act)
    return redirect(f"/market/enterprises/{e.pk}/#sales")


@login_required
@require_POST
@writes(Cap.MARKET_EDIT)
def payment_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    e = selectors.enterprise_get(request.user, pk)
    post_message(
        request,
        "已支付并计入农户收入 Payment recorded in the household's income",
        lambda: services.payment_record(
            actor=request.user,
            enterprise=e,
            household_id=int_or_none(request.POST.get("household")) or 0,
            kind=request.POST.get("kind", ""),
            amount=_decimal(request, "amount", "金额"),
            paid_on=_date(request, "paid_on", "支付日期"),
        ),
    )
    return redirect(f"/market/enterprises/{e.pk}/#households")


@login_required
def event_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return render(request, "market/event_detail.html", {"t": selectors.sales_event_totals(request.user, pk)})


# --- products -----------------------------------------------------------------------------------------


@login_required
def product_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    p = selectors.product_get(request.user, pk)
    production = selectors.production_of(request.user, pk)
    certs = selectors.certifications_of_product(request.user, pk)
    ctx = {
        "p": p,
        "prices": list(p.prices.all()),
        "price": selectors.current_price(p),
        "cert": selectors.valid_certification(p),
        "certs": certs,
        "open_application": next((v for v in certs if v.certification.state in OPEN_STATES), None),
        "production": production,
        "average": selectors.average_daily_output(production),
        "can_edit": selectors.can_edit(request.user, p.enterprise),
        "today": timezone.localdate(),
        "unit": codes.UNIT_LABELS[codes.Unit(p.unit)],
        "max_photo_mb": MAX_PHOTO_BYTES // (1024 * 1024),
    }
    return render(request, "market/product_detail.html", ctx)


@login_required
@require_POST
@writes(Cap.MARKET_EDIT)
def price_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    p = selectors.product_get(request.user, pk)
    post_message(
        request,
        "价格已更新 Price set",
        lambda: services.price_set(
            actor=request.user,
            product=p,
            price=_decimal(request, "price", "单价"),
            effective_from=_date(request, "effective_from", "起始日期"),
            note=request.POST.get("note", ""),
        ),
    )
    return redirect("market:product_detail", pk=p.pk)


@login_required
@require_POST
@writes(Cap.MARKET_EDIT)
def production_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    p = selectors.product_get(request.user, pk)
    post_message(
        request,
        "产量已登记 Output recorded",
        lambda: services.production_record(
            actor=request.user,
            product=p,
            day=_date(request, "day", "日期"),
            quantity=_decimal(request, "quantity", "产量"),
        ),
    )
    return redirect("market:product_detail", pk=p.pk)


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
    orders = list(selectors.orders_visible(request.user).order_by("-placed_at")[:200])
    return render(request, "market/order_list.html", {"orders": orders, "labels": STATE_LABELS})


@login_required
@writes(Cap.MARKET_EDIT)
def order_new(request: AuthedHttpRequest) -> HttpResponse:
    """Pick a buyer and a supplier, then quantities of that supplier's catalogue products."""
    user = request.user
    buyers = list(selectors.buyers_visible(user).order_by("name"))
    items = selectors.catalogue()
    suppliers = sorted({(i.product.enterprise_id, i.product.enterprise.name) for i in items}, key=lambda s: s[1])
    supplier = int_or_none(request.GET.get("enterprise") or request.POST.get("enterprise"))
    ctx: dict[str, Any] = {
        "buyers": buyers,
        "suppliers": suppliers,
        "supplier": supplier,
        "items": [i for i in items if i.product.enterprise_id == supplier],
    }
    if request.method == "POST":
        buyer = selectors.buyer_get(user, int_or_none(request.POST.get("buyer")) or 0)
        lines = []
        for i in ctx["items"]:
            raw = request.POST.get(f"qty_{i.product.pk}", "").strip()
            if raw:
                try:
                    lines.append((i.product, Decimal(raw)))
                except InvalidOperation:
                    messages.error(request, f"“{i.product.name}”的数量应为数字（quantity must be a number）")
                    return render(request, "market/order_new.html", ctx, status=422)
        try:
            order = services.order_place(actor=user, buyer=buyer, lines=lines, note=request.POST.get("note", ""))
        except ApplicationError as exc:
            reraise_access(exc)
            ctx["errors"] = field_errors(exc)
            return render(request, "market/order_new.html", ctx, status=422)
        messages.success(request, f"订单{order.number}已提交，库存已预留 Order placed, stock reserved")
        return redirect("market:order_detail", pk=order.pk)
    return render(request, "market/order_new.html", ctx)


@login_required
def order_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    o = selectors.order_get(request.user, pk)
    ctx = {
        "o": o,
        "label": STATE_LABELS[OrderState(o.state)],
        "labels": STATE_LABELS,
        "actions": TABLE.open_to(OrderState(o.state), selectors.parties_of(request.user, o)),
    }
    return render(request, "market/order_detail.html", ctx)


@login_required
@require_POST
@writes(Cap.MARKET_EDIT)
def order_move(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    o = selectors.order_get(request.user, pk)
    post_message(
        request,
        "订单状态已更新 Order updated",
        lambda: services.order_transition(
            actor=request.user, order=o, event=request.POST.get("event", ""), note=request.POST.get("note", "")
        ),
    )
    return redirect("market:order_detail", pk=o.pk)
