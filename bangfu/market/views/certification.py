"""Certification pages: the list of applications (the user's turn first), one application with the steps
done and only the next steps the viewing user may take, and the posts that apply and take a step."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.core.replicas import replica_ok
from bangfu.core.views import form_post, page_on_get
from bangfu.market import selectors, services
from bangfu.market.labels import sector_options, unit_label
from bangfu.market.models import Certification


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
    c = selectors.certification_get(request.user, pk)
    return render(request, "market/certification_detail.html", _detail_context(request, c))


def _detail_context(request: AuthedHttpRequest, c: Certification) -> dict[str, Any]:
    v = selectors.certification_detail(request.user, c.pk)
    p = v.certification.product
    return {
        "v": v,
        "c": v.certification,
        "p": p,
        # A sector bureau reviews the application without seeing the rest of the enterprise's data.
        "sees_enterprise": selectors.enterprises_visible(request.user).filter(pk=p.enterprise_id).exists(),
        "unit": unit_label(p.unit),
        "price": selectors.current_price(p),
        "sectors": sector_options(),
    }


@login_required
@page_on_get("market:certification_detail")
@writes(Cap.CASE_ACCEPT, Cap.UPLOAD_FEEDS, Cap.MARKET_EDIT)
def certification_decide(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """One step from the application page (or the product page's resubmit button): a missing reason,
    sector or number shows the page again with the problem beside the step's field."""
    user = request.user
    c = selectors.certification_get(user, pk)
    decision = request.POST.get("decision", "")
    back_to_product = request.POST.get("back", "") == "product" and (
        selectors.enterprises_visible(user).filter(pk=c.product.enterprise_id).exists()
    )
    back = reverse("market:product_detail", args=[c.product_id]) if back_to_product else None
    return form_post(
        request,
        template="market/certification_detail.html",
        context=lambda: _detail_context(request, c),
        run=lambda v: services.certification_decide(
            actor=user,
            certification=c,
            decision=decision,
            on=timezone.localdate(),
            number=v.get("number", ""),
            note=v.get("note", ""),
            sector=v.get("sector", ""),
        ),
        done=_("已办理"),
        then=back or reverse("market:certification_detail", args=[c.pk]),
        form=decision,
    )
