"""Ending a labour contract (终止劳动合同): officers of the workshop's area and the workshop's operator."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from bangfu.core.errors import ApplicationError
from bangfu.employment import selectors, services
from bangfu.employment.domain.endings import CONTRACT_END_REASONS, choices
from bangfu.employment.models import Contract
from bangfu.employment.views._forms import failed, posted


def _page(request: HttpRequest, c: Contract, extra: dict[str, Any], status: int = 200) -> HttpResponse:
    context = {"c": c, "reasons": choices(CONTRACT_END_REASONS), "values": {"end": timezone.localdate().isoformat()}}
    return render(request, "employment/contract_end.html", context | extra, status=status)


@login_required
def contract_end(request: HttpRequest, pk: int) -> HttpResponse:
    """The first day no longer worked, a reason from the list and a note; the KPI and payroll follow."""
    user: Any = request.user
    c = selectors.contract_to_change(user, pk)
    if request.method != "POST":
        return _page(request, c, {})
    values = posted(request, ["end", "reason", "note"])
    try:
        services.contract_end(actor=user, contract=c, **values)
    except ApplicationError as exc:
        return _page(request, c, failed(exc, values=values), exc.status)
    messages.success(request, f"已终止劳动合同：{c.member.name} Contract ended")
    return redirect("employment:workshop_detail", pk=c.workshop_id)
