"""Certification pages: the list of applications (the user's turn first), one application with the steps
done and only the next steps the viewing user may take, and the posts that apply and take a step."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.core.replicas import replica_ok
from bangfu.core.views import post_message
from bangfu.market import selectors, services
from bangfu.market.domain import codes


@login_required
@replica_ok
def certification_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    ctx = {
        "open": selectors.certification_rows(user, open_=True),
        "closed": selectors.certification_rows(user, open_=False, limit=50),
    }
    return render(request, "market/certification_list.html", ctx)


@login_required
def certification_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    v = selectors.certification_detail(request.user, pk)
    p = v.certification.product
    ctx = {
        "v": v,
        "c": v.certification,
        "p": p,
        # A sector bureau reviews the application without seeing the rest of the enterprise's data.
        "sees_enterprise": selectors.enterprises_visible(request.user).filter(pk=p.enterprise_id).exists(),
        "unit": codes.UNIT_LABELS[codes.Unit(p.unit)],
        "price": selectors.current_price(p),
        "sectors": codes.SECTOR_LABELS.items(),
    }
    return render(request, "market/certification_detail.html", ctx)


@login_required
@require_POST
@writes(Cap.MARKET_EDIT)
def certification_apply(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    p = selectors.product_get(request.user, pk)
    post_message(
        request,
        "认定申请已提交，等待镇办初审 Application sent to the township for its first review",
        lambda: services.certification_apply(actor=request.user, product=p, applied_on=timezone.localdate()),
    )
    return redirect("market:product_detail", pk=p.pk)


@login_required
@require_POST
@writes(Cap.CASE_ACCEPT, Cap.UPLOAD_FEEDS, Cap.MARKET_EDIT)
def certification_decide(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """One step from the application page (or the product page's resubmit button)."""
    c = selectors.certification_get(request.user, pk)
    post_message(
        request,
        "已办理 Step recorded",
        lambda: services.certification_decide(
            actor=request.user,
            certification=c,
            decision=request.POST.get("decision", ""),
            on=timezone.localdate(),
            number=request.POST.get("number", ""),
            note=request.POST.get("note", ""),
            sector=request.POST.get("sector", ""),
        ),
    )
    back = request.POST.get("back", "")
    if back == "product" and selectors.enterprises_visible(request.user).filter(pk=c.product.enterprise_id).exists():
        return redirect("market:product_detail", pk=c.product_id)
    return redirect("market:certification_detail", pk=c.pk)
