"""Opening a case by hand (supervision, hotline, grid report, self-report taken by phone) and the
township's lead queue with acceptance deadlines."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.areas.selectors import place_in_query
from bangfu.casework import selectors, services
from bangfu.casework.domain import codes
from bangfu.casework.views._common import date_or_none, today
from bangfu.core.errors import invalid
from bangfu.core.listing import Listing
from bangfu.core.replicas import replica_ok
from bangfu.core.views import form_post, int_or_none

# Channels an officer records by hand; warnings and screening arrive from the monitoring app.
MANUAL_SOURCES = ("supervision", "hotline", "grid", "self_report")


@login_required
@writes(Cap.CASE_ACCEPT)
def case_open(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    selectors.require_case_intake(user)
    q = request.GET.get("q", "").strip()
    ctx: dict[str, Any] = {
        "sources": [(k, _(codes.SOURCES[k])) for k in MANUAL_SOURCES],
        "hardships": [(t, _(t)) for t in codes.HARDSHIP_TYPES],
        "placed": ("household_id", "source", "hardship", "summary", "on"),
        "q": q,
        "found": selectors.households_for_intake(user, q) if q else [],
        "today": today(),
        "errors": {},
    }
    return form_post(
        request,
        template="casework/case_open.html",
        context=ctx,
        fields=("household_id", "source", "hardship", "summary", "on"),
        run=lambda v: _open_from_post(request, v),
        done=lambda case: _("已登记线索 #%(pk)s，受理期限 %(due)s") % {"pk": case.pk, "due": case.due_on or "—"},
        then=lambda case: redirect("casework:case_detail", pk=case.pk),
        keep_as="posted",
    )


def _open_from_post(request: AuthedHttpRequest, p: dict[str, str]) -> Any:
    user = request.user
    source = p.get("source", "")
    if source not in MANUAL_SOURCES:
        raise invalid("source", "请选择线索来源", "choose where the report came from")
    hid = int_or_none(p.get("household_id"))
    if hid is None:
        raise invalid("household_id", "请先搜索并选择农户", "search for the household and pick it")
    household = selectors.household_for_intake(user, hid)  # NotFound outside the officer's areas
    return services.case_open(
        actor=user,
        household=household,
        source=source,
        summary=p.get("summary", ""),
        hardship=p.get("hardship", ""),
        on=date_or_none(p.get("on")),
    )


@login_required
@replica_ok
def lead_queue(request: AuthedHttpRequest) -> HttpResponse:
    """Leads waiting for acceptance: the township counts on top (links narrowing the list), then the
    leads of the area of the link, searchable, the earliest deadline first, with page numbers."""
    user = request.user
    selectors.require_case_intake(user)
    place = place_in_query(user, request.GET, cap=Cap.CASE_ACCEPT)
    listing = Listing(
        request,
        sorts={"due": ("due_on",), "opened": ("opened_on",), "village": ("village__name",)},
        default_sort="due",
        search=_("户主或申报人姓名、户编号"),
    )
    if place:
        listing.chip(place.name, place.param)
    page = listing.page(selectors.leads_listed(user, place, listing.q))
    return render(
        request,
        "casework/lead_queue.html",
        {"page": page, "listing": listing, "townships": selectors.leads_by_township(user, today()), "today": today()},
    )
