"""Registry pages: list/search, household page, create/edit forms, members, income, checks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.accounts.selectors import has_cap
from bangfu.areas import selectors as areas
from bangfu.areas.domain.codes import Level
from bangfu.core import inputs
from bangfu.core.errors import Forbidden, NotFound
from bangfu.core.listing import Filter, Listing
from bangfu.core.replicas import replica_ok
from bangfu.core.views import form_post, int_or_none, page_on_get, post_dict, post_message
from bangfu.registry import selectors, services
from bangfu.registry.domain import codes
from bangfu.registry.domain.validation import HOUSEHOLD_FLAGS, LABELS, MEMBER_CHOICES

if TYPE_CHECKING:
    from bangfu.accounts.models import User

MEMBER_FIELDS = ["name", "id_number", *MEMBER_CHOICES, "months_worked", "phone"]
HOUSEHOLD_FIELDS = ["number", "address", "phone", "exit_year", *HOUSEHOLD_FLAGS]
FIELD_LABELS = {k: gettext_lazy(zh) for k, (zh, _en) in LABELS.items()}  # translated where shown
FLAG_LABELS = [
    ("poverty_exited", gettext_lazy("脱贫户")),
    ("monitored", gettext_lazy("监测对象")),
    ("dibao", gettext_lazy("低保")),
    ("tekun", gettext_lazy("特困")),
    ("relocated", gettext_lazy("易地搬迁")),
    ("relocated_unplaced", gettext_lazy("搬迁未安置")),
    ("no_labour", gettext_lazy("整户无劳动力")),
]


SORTS = {
    "village": ("village_id", "number"),  # the composite index: the first page needs no sort of the county
    "number": ("number",),
    "head": ("head_name",),
    "size": ("size",),
}
# A province officer may see 50,000 villages: past this many the list has no village select, and the
# place comes from the link (?area=, a removable chip), as the dashboard's drill-down gives it.
MAX_DROPDOWN = 500


def _looks_like_id(text: str) -> bool:
    """An 18-character ID number (or a typo of one): it must never travel in a URL (D10)."""
    return len(text) == 18 and text[:17].isdigit()


def household_filter(user: User, query: QueryDict, text: str = "") -> selectors.HouseholdFilter:
    """The list's rows as its link names them (area of any level, village, grid, flag, type, import
    batch), read the same way by the page and its Excel export; a place outside the user's areas is 404."""
    place = areas.place_in_query(user, query)
    return selectors.HouseholdFilter(
        text=text,
        village=place.prefix if place else "",
        grid=int_or_none(query.get("grid")) or (place.grid_id if place else None),
        flag=query.get("flag", ""),
        monitoring_type=query.get("type", ""),
        batch=int_or_none(query.get("batch")),
    )


def _village_filter(user: User) -> Filter | None:
    """The village select, its villages grouped under their township (none past MAX_DROPDOWN)."""
    rows = list(
        areas.areas_visible(user, level=Level.VILLAGE)
        .order_by("code")
        .values_list("code", "name", "parent__name")[: MAX_DROPDOWN + 1]
    )
    if len(rows) > MAX_DROPDOWN or len(rows) < 2:
        return None
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, name, township in rows:
        groups.setdefault(township or "", []).append((code, name))
    return Filter(
        "village", _("村"), [(c, n) for c, n, _t in rows], groups=list(groups.items()), autosubmit=True, places=True
    )


def _grid_filter(user: User, village: str) -> Filter | None:
    """The grid select: the grids of the chosen village only (all of them when the user sees few)."""
    grids = areas.grids_visible(user).order_by("village_id", "code")
    if village:
        grids = grids.filter(village__code=village)
    options = [(str(pk), name) for pk, name in grids.values_list("pk", "name")[: MAX_DROPDOWN + 1]]
    if not options or len(options) > (MAX_DROPDOWN if village else 12):
        return None
    return Filter("grid", _("网格"), options, places=True)


def _filters(user: User, query: QueryDict) -> list[Filter]:
    village = _village_filter(user)
    chosen = query.get("village", "") if village else ""
    grid = _grid_filter(user, chosen if chosen in {v for v, _l in village.options} else "") if village else None
    flags = Filter("flag", _("标识"), [(k, str(label)) for k, label in FLAG_LABELS])
    types = Filter("type", _("监测类型"), [(t, _(t)) for t in codes.MONITORING_TYPE if t])
    return [f for f in (village, grid, flags, types) if f is not None]


def _list_redirect(request: AuthedHttpRequest) -> HttpResponse | None:
    """Where a search that does not belong in a URL, or a grid left over from another village, goes."""
    url = reverse("registry:household_list")
    if request.method == "POST":  # the search form (private: an ID number stays in the body)
        if _looks_like_id(request.POST.get("q", "").strip()):
            return None  # answered on this request; nothing of it goes into the address
        kept = QueryDict(mutable=True)  # the form carries the whole list: its hidden fields and selects
        for key in request.POST:
            value = str(request.POST.get(key, "")).strip()
            if key not in ("csrfmiddlewaretoken", "page") and value:
                kept[key] = value
        return redirect(f"{url}?{kept.urlencode()}" if kept else url)  # a bookmarkable page
    if _looks_like_id(request.GET.get("q", "").strip()):
        messages.info(request, _("身份证号请在查询框中输入（不进网址）。"))
        kept = request.GET.copy()
        kept.pop("q")
        return redirect(f"{url}?{kept.urlencode()}" if kept else url)
    return None


@login_required
@writes(Cap.VIEW_PEOPLE)  # the search form is sent by POST, so an ID number typed in it stays out of URLs
@replica_ok
def household_list(request: AuthedHttpRequest) -> HttpResponse:
    areas.require_somewhere(request.user, Cap.VIEW_PEOPLE)
    if (moved := _list_redirect(request)) is not None:
        return moved
    filters = _filters(request.user, request.GET)
    if (moved := _normalised(request, filters)) is not None:
        return moved
    listing = Listing(
        request,
        sorts=SORTS,
        default_sort="village",
        filters=filters,
        search=_("姓名、户编号或身份证号"),
        private_search=True,
    )
    f = household_filter(request.user, request.GET, listing.q)
    _chips(request, listing, {x.name for x in filters})
    page = listing.page(selectors.household_rows(request.user, f))
    export = listing.query.copy()
    if listing.q and not _looks_like_id(listing.q):
        export["q"] = listing.q
    ctx = {
        "listing": listing,
        "page": page,
        "export_query": export.urlencode(),
        "can_create": has_cap(request.user, Cap.EDIT_REGISTRY),
    }
    return render(request, "registry/household_list.html", ctx)


def _normalised(request: AuthedHttpRequest, filters: list[Filter]) -> HttpResponse | None:
    """Links that name the place another way than the selects: `?village=` with an area-code prefix (the
    dashboard's drill-down: 230225, 230225102) becomes `?area=` (a chip), and a grid left over from the
    village chosen before is dropped."""
    offered = {f.name: {v for v, _l in f.options} for f in filters}
    village, grid = request.GET.get("village", ""), request.GET.get("grid", "")
    base = Listing(request, sorts=SORTS, default_sort="village")
    if village and (len(village) < 12 or village not in offered.get("village", {village})):
        return redirect(base.url(village=None, area=village.ljust(12, "0") if village.isdigit() else village))
    if grid and "grid" in offered and grid not in offered["grid"]:
        return redirect(base.url(grid=None))
    return None


def _chips(request: AuthedHttpRequest, listing: Listing, selects: set[str]) -> None:
    """The filters the link set that no select shows: the area (of any level) and the import batch."""
    place = areas.place_in_query(request.user, request.GET)
    if place and place.param not in selects:
        listing.chip(place.name, place.param)
    batch = int_or_none(request.GET.get("batch"))
    if batch is not None:
        listing.chip(_("导入批次 %(batch)s") % {"batch": batch}, "batch")


@login_required
def household_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    areas.require_somewhere(request.user, Cap.VIEW_PEOPLE)
    d = selectors.household_detail(request.user, pk)
    ctx = {
        "h": d.household,
        "members": d.members,
        "statements": d.statements,
        "checks": d.checks,
        "history": _history(selectors.household_history(request.user, pk)),
        "can_edit": has_cap(request.user, Cap.EDIT_REGISTRY),
        "can_view_id": has_cap(request.user, Cap.VIEW_FULL_ID),
        "sees_birth_date": selectors.sees_birth_date(request.user, d.household.village_id),
        "income_items": codes.INCOME_ITEMS,
        "this_year": timezone.localdate().year,
        "sections": _household_sections(request, pk),
    }
    return render(request, "registry/household_detail.html", ctx)


def _history(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """People's changes shown; the system's (imports, the demo, automatic updates) folded away below them."""
    return {"recent": [r for r in rows if r["who"]], "earlier": [r for r in rows if not r["who"]]}


def _household_sections(request: AuthedHttpRequest, pk: int) -> list[dict[str, Any]]:
    """Sections other modules contribute to the household page (claims, jobs, visits…)."""
    from bangfu.registry.sections import sections_for

    return sections_for(request, pk)


def _member_choices() -> dict[str, list[tuple[str, str]]]:
    """The member's coded fields as (stored value, label in the reader's language) pairs."""
    return {key: [(v, _(v) if v else "—") for v in values] for key, values in MEMBER_CHOICES.items()}


def _household_context(request: AuthedHttpRequest, **extra: Any) -> dict[str, Any]:
    return {
        "choices": _member_choices(),
        "labels": FIELD_LABELS,
        "creating_head": extra.get("creating", False),
        "villages": areas.areas_visible(request.user, level=Level.VILLAGE, cap=Cap.EDIT_REGISTRY),
        "grids": areas.grids_visible(request.user, cap=Cap.EDIT_REGISTRY),
    } | extra


@login_required
@writes(Cap.EDIT_REGISTRY)
def household_create(request: AuthedHttpRequest) -> HttpResponse:
    areas.require_somewhere(request.user, Cap.EDIT_REGISTRY)
    return form_post(
        request,
        template="registry/household_form.html",
        context=lambda: _household_context(request, creating=True),
        initial={"relation": "户主"},
        fields=HOUSEHOLD_FIELDS + MEMBER_FIELDS + ["village", "grid"],
        run=lambda v: services.household_create(
            actor=request.user,
            village_code=v["village"],
            grid_id=int_or_none(v["grid"]),
            fields={k: v[k] for k in HOUSEHOLD_FIELDS},
            members=[{k: v[k] for k in MEMBER_FIELDS} | {"relation": "户主"}],
        ),
        done=lambda h: _("已登记农户 %(number)s") % {"number": h.number},
        then=lambda h: redirect("registry:household_detail", pk=h.pk),
    )


@login_required
@writes(Cap.EDIT_REGISTRY)
def household_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    h = selectors.household_get(request.user, pk)
    areas.require_somewhere(request.user, Cap.EDIT_REGISTRY)

    def run(v: dict[str, str]) -> object:
        changes: dict[str, Any] = {k: v[k] for k in HOUSEHOLD_FIELDS if k != "number"}
        changes["grid_id"] = int_or_none(v["grid"])
        return services.household_update(actor=request.user, household=h, changes=changes, reason=v["reason"])

    return form_post(
        request,
        template="registry/household_form.html",
        context=lambda: _household_context(request, h=h),
        initial={k: getattr(h, k) for k in HOUSEHOLD_FIELDS} | {"grid": h.grid_id or ""},
        fields=[*HOUSEHOLD_FIELDS, "grid", "reason"],
        run=run,
        done=_("已保存"),
        then=lambda _: redirect("registry:household_detail", pk=h.pk),
    )


def _member_context(**extra: Any) -> dict[str, Any]:
    return {"choices": _member_choices(), "labels": FIELD_LABELS} | extra


@login_required
@writes(Cap.EDIT_REGISTRY)
def member_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    h = selectors.household_get(request.user, pk)
    areas.require_somewhere(request.user, Cap.EDIT_REGISTRY)
    return form_post(
        request,
        template="registry/member_form.html",
        context=_member_context(h=h, creating=True),
        fields=MEMBER_FIELDS,
        run=lambda v: services.member_add(actor=request.user, household=h, fields=v),
        done=_("已添加成员"),
        then=lambda _: redirect("registry:household_detail", pk=h.pk),
    )


@login_required
@writes(Cap.EDIT_REGISTRY)
def member_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    m = selectors.member_get(request.user, pk)
    areas.require_somewhere(request.user, Cap.EDIT_REGISTRY)
    fields = [f for f in MEMBER_FIELDS if f != "id_number"]
    return form_post(
        request,
        template="registry/member_form.html",
        context=_member_context(h=m.household, m=m),
        initial={f: getattr(m, f) for f in fields},
        fields=[*fields, "reason"],
        run=lambda v: services.member_update(
            actor=request.user, member=m, changes={f: v[f] for f in fields}, reason=v["reason"]
        ),
        done=_("已保存"),
        then=lambda _: redirect("registry:household_detail", pk=m.household_id),
    )


def _household_of_member(request: AuthedHttpRequest, pk: int) -> dict[str, int]:
    return {"pk": selectors.member_get(request.user, pk).household_id}


def _household_of_income_item(request: AuthedHttpRequest, pk: int) -> dict[str, int]:
    return {"pk": selectors.income_item_get(request.user, pk).statement.household_id}


@login_required
@page_on_get("registry:household_detail", to=_household_of_member)
@writes(Cap.EDIT_REGISTRY)
def member_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    m = selectors.member_get(request.user, pk)
    post_message(
        request,
        _("成员已减员"),
        lambda: services.member_remove(actor=request.user, member=m, reason=request.POST.get("reason", "")),
    )
    return redirect("registry:household_detail", pk=m.household_id)


@login_required
@page_on_get("registry:household_detail", to=_household_of_member)
@writes(Cap.VIEW_FULL_ID)
def member_reveal_id(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The full ID number, for roles allowed to see it (htmx swaps it into the page); logged.

    POST with the CSRF token (hx-post): revealing writes a PiiView, so a cross-site link or a
    prefetch must not trigger it (D14)."""
    m = selectors.member_get(request.user, pk)
    try:
        value = selectors.member_full_id(request.user, m, purpose="household page")
    except Forbidden:
        return HttpResponse(m.id_masked, status=403)
    return HttpResponse(value)


@login_required
@page_on_get("registry:household_detail")
@writes(Cap.EDIT_REGISTRY)
def income_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    h = selectors.household_get(request.user, pk)
    v = post_dict(request, ["year", "item", "amount", "note", "member"])
    post_message(
        request,
        _("收入已登记"),
        lambda: services.income_item_set(
            actor=request.user,
            household=h,
            year=int_or_none(v["year"]) or 0,
            item=v["item"],
            amount=v["amount"],
            note=v["note"],
            member_id=int_or_none(v["member"]),
        ),
    )
    return redirect(f"/registry/households/{h.pk}/#income")


@login_required
@page_on_get("registry:household_detail", to=_household_of_income_item)
@writes(Cap.EDIT_REGISTRY)
def income_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    item = selectors.income_item_get(request.user, pk)
    household_id = item.statement.household_id
    post_message(request, _("已删除"), lambda: services.income_item_delete(actor=request.user, item=item))
    return redirect(f"/registry/households/{household_id}/#income")


@login_required
@page_on_get("registry:household_detail")
@writes(Cap.LOG_VISITS)
def guarantee_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    h = selectors.household_get(request.user, pk)
    flags = {k: request.POST.get(k) == "on" for k in ("housing_safe", "schooling_ok", "medical_ok", "water_safe")}
    post_message(
        request,
        _("核查结果已记录"),
        lambda: services.guarantee_check_record(
            actor=request.user,
            household=h,
            checked_on=inputs.date(request.POST.get("checked_on"), "checked_on", required=False, zh="核查日期")
            or timezone.localdate(),
            note=request.POST.get("note", ""),
            **flags,
        ),
    )
    return redirect(f"/registry/households/{h.pk}/#guarantees")


@login_required
@writes(Cap.VIEW_PEOPLE)
def find_by_id(request: AuthedHttpRequest) -> HttpResponse:
    """GET: the form. POST: find (the number goes in the body, never in a URL — D10)."""
    areas.require_somewhere(request.user, Cap.VIEW_PEOPLE)
    if request.method == "GET" and request.GET.get("id_number"):
        return redirect("registry:find_by_id")  # an old link with the number in it: not searched, not echoed
    number = request.POST.get("id_number", "").strip() if request.method == "POST" else ""
    ctx: dict[str, Any] = {"number": number}
    if number:
        try:
            member = selectors.member_find(request.user, number)
            return redirect("registry:household_detail", pk=member.household_id)
        except NotFound:
            ctx["not_found"] = True
    return render(request, "registry/find.html", ctx, status=404 if ctx.get("not_found") else 200)
