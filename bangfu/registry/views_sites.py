"""Resettlement site pages: the sites of the user's areas, a new site and its correction, a site's page
with its households (place one by its number, move one to another site), the household's relocation
form, and the placement of households from Excel. Every write is a `registry.services` call, the same
the API makes; the relocation KPI (employment) reads what they write."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.accounts.selectors import has_cap
from bangfu.areas import selectors as areas
from bangfu.areas.domain.codes import Level
from bangfu.core.errors import NotFound, invalid
from bangfu.core.views import form_post, int_or_none, page_on_get, uploaded
from bangfu.registry import placement, selectors, services
from bangfu.registry.domain.codes import SITE_KINDS
from bangfu.registry.models import Household, ResettlementSite

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SITE_FORM_FIELDS = ["name", "area", "kind", "community", "address", "planned_households", "planned_people",
                    "completed_year", "services"]  # fmt: skip


@login_required
def site_list(request: AuthedHttpRequest) -> HttpResponse:
    areas.require_somewhere(request.user, Cap.VIEW_PEOPLE)
    ctx = {
        "sites": selectors.sites_with_counts(request.user),
        "unplaced": selectors.relocated_unplaced(request.user),
        "can_create": has_cap(request.user, Cap.CONFIGURE),
        "can_place": has_cap(request.user, Cap.EDIT_REGISTRY),
    }
    return render(request, "registry/site_list.html", ctx)


def _site_form_context(request: AuthedHttpRequest, **extra: Any) -> dict[str, Any]:
    villages = areas.areas_visible(request.user, level=Level.VILLAGE, cap=Cap.CONFIGURE)[:3000]
    return {"errors": {}, "kinds": list(SITE_KINDS.items()), "villages": villages} | extra


def _site_changes(values: dict[str, Any]) -> dict[str, Any]:
    return {k: values[k] for k in SITE_FORM_FIELDS if k not in ("name", "area")}


@login_required
@writes(Cap.CONFIGURE)
def site_new(request: AuthedHttpRequest) -> HttpResponse:
    areas.require_somewhere(request.user, Cap.CONFIGURE)
    return form_post(
        request,
        template="registry/site_form.html",
        context=lambda: _site_form_context(request, creating=True),
        fields=SITE_FORM_FIELDS,
        run=lambda v: services.site_create(actor=request.user, area_code=v["area"], name=v["name"], **_site_changes(v)),
        done=lambda site: _("已新建安置点 %(name)s") % {"name": site.name},
        then=lambda site: redirect("registry:site_detail", pk=site.pk),
    )


@login_required
@writes(Cap.CONFIGURE)
def site_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    site = selectors.site_get(request.user, pk)
    areas.require_somewhere(request.user, Cap.CONFIGURE)

    def run(v: dict[str, str]) -> object:
        v["area"] = site.area_id  # the area decides who sees the site: it stays
        return services.site_update(actor=request.user, site=site, changes=_site_changes(v) | {"name": v["name"]})

    return form_post(
        request,
        template="registry/site_form.html",
        context=lambda: _site_form_context(request, site=site),
        initial={k: getattr(site, k) for k in SITE_FORM_FIELDS if k != "area"} | {"area": site.area_id},
        fields=SITE_FORM_FIELDS,
        run=run,
        done=_("已保存"),
        then=lambda _: redirect("registry:site_detail", pk=site.pk),
    )


def _site_context(request: AuthedHttpRequest, site: ResettlementSite) -> dict[str, Any]:
    return {
        "site": site,
        "households": selectors.site_households(request.user, site),
        "can_edit": has_cap(request.user, Cap.CONFIGURE),
        "can_place": has_cap(request.user, Cap.EDIT_REGISTRY),
        "values": {"moved_on": timezone.localdate().isoformat()},
        "errors": {},
    }


@login_required
def site_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    site = selectors.site_get(request.user, pk)
    return render(request, "registry/site_detail.html", _site_context(request, site))


@login_required
@page_on_get("registry:site_detail")
@writes(Cap.EDIT_REGISTRY)
def site_place(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Place a household, found by its number among those the user may change, on this site."""
    site = selectors.site_get(request.user, pk)

    def run(v: dict[str, str]) -> Household:
        household = _household_to_place(request, v["number"])
        services.household_set_relocation(
            household=household,
            site=site,
            moved_on=v["moved_on"] or None,
            from_village=v["from_village"] or household.relocated_from_id,
            actor=request.user,
        )
        return household

    return form_post(
        request,
        template="registry/site_detail.html",
        context=lambda: _site_context(request, site),
        fields=["number", "moved_on", "from_village"],
        run=run,
        done=lambda household: _("已将 %(number)s 安置到 %(site)s") % {"number": household.number, "site": site.name},
        then=lambda _: redirect("registry:site_detail", pk=site.pk),
    )


def _household_to_place(request: AuthedHttpRequest, number: str) -> Household:

    if not number.strip():
        raise invalid("number", "请填写户编号", "Fill in the household number")
    try:
        return selectors.household_by_number(request.user, number, Cap.EDIT_REGISTRY)
    except NotFound:
        raise invalid(
            "number",
            f"没有找到您可修改的户编号 {number.strip()}，请核对",
            f"No household numbered {number.strip()} among those you may change; check the number",
        ) from None


@login_required
@writes(Cap.EDIT_REGISTRY)
def household_relocation(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The household's site: place it, move it to another site, or take it off the sites."""
    h = selectors.household_get(request.user, pk)
    areas.require_somewhere(request.user, Cap.EDIT_REGISTRY)
    sites = selectors.sites_visible(request.user).select_related("area").order_by("area_id", "name")
    ctx: dict[str, Any] = {"h": h, "sites": sites, "errors": {}}

    def run(v: dict[str, str]) -> object:
        site_id = int_or_none(v["site"])
        return services.household_set_relocation(
            household=h,
            site=selectors.site_get(request.user, site_id) if site_id is not None else None,
            moved_on=v["moved_on"] or None,
            from_village=v["from_village"] or None,
            actor=request.user,
            reason=v["reason"],
        )

    return form_post(
        request,
        template="registry/household_relocation.html",
        context=ctx,
        initial={
            "site": h.relocation_site_id or "",
            "moved_on": (h.relocated_on or timezone.localdate()).isoformat(),
            "from_village": h.relocated_from_id or "",
        },
        fields=["site", "moved_on", "from_village", "reason"],
        run=run,
        done=_("已保存安置信息"),
        then=lambda _: redirect("registry:household_detail", pk=h.pk),
    )


@login_required
def sites_template(request: AuthedHttpRequest) -> HttpResponse:
    areas.require_somewhere(request.user, Cap.EDIT_REGISTRY)
    response = HttpResponse(placement.template_workbook(request.user), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''site-placement-template.xlsx"
    return response


@login_required
@writes(Cap.EDIT_REGISTRY)
def sites_import(request: AuthedHttpRequest) -> HttpResponse:
    """GET: the upload form. POST: place every household of the file, or none, with the report by row."""
    areas.require_somewhere(request.user, Cap.EDIT_REGISTRY)
    return form_post(
        request,
        template="registry/sites_import.html",
        context={},
        run=lambda _v: placement.placements_import(actor=request.user, **uploaded(request)),
        done=lambda placed: ngettext("已安置%(n)d户", "已安置%(n)d户", placed) % {"n": placed},
        then="registry:site_list",
    )
