"""Registry pages: list/search, household page, create/edit forms, members, income, checks."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.accounts.selectors import has_cap
from bangfu.areas import selectors as areas
from bangfu.areas.domain.codes import Level
from bangfu.core import inputs, params
from bangfu.core.errors import Forbidden, NotFound
from bangfu.core.replicas import replica_ok
from bangfu.core.views import form_post, int_or_none, post_dict, post_message
from bangfu.registry import selectors, services
from bangfu.registry.domain import codes
from bangfu.registry.domain.validation import HOUSEHOLD_FLAGS, LABELS, MEMBER_CHOICES

MEMBER_FIELDS = ["name", "id_number", *MEMBER_CHOICES, "months_worked", "phone"]
HOUSEHOLD_FIELDS = ["number", "address", "phone", "exit_year", *HOUSEHOLD_FLAGS]
FIELD_LABELS = {k: f"{zh} {en}" for k, (zh, en) in LABELS.items()}
FLAG_LABELS = [
    ("poverty_exited", "脱贫户"),
    ("monitored", "监测对象"),
    ("dibao", "低保"),
    ("tekun", "特困"),
    ("relocated", "易地搬迁"),
    ("relocated_unplaced", "搬迁未安置"),
    ("no_labour", "整户无劳动力"),
]


def _filter(data: QueryDict) -> selectors.HouseholdFilter:
    return selectors.HouseholdFilter(
        text=data.get("q", "").strip(),
        village=data.get("village", ""),
        grid=int_or_none(data.get("grid")),
        flag=data.get("flag", ""),
        monitoring_type=data.get("type", ""),
    )


def _looks_like_id(text: str) -> bool:
    """An 18-character ID number (or a typo of one): it must never travel in a URL (D10)."""
    return len(text) == 18 and text[:17].isdigit()


def _list_query(data: QueryDict) -> QueryDict:
    """The list's filters for links (page, export, the address bar), without an ID number."""
    query = QueryDict(mutable=True)
    for key in ("q", "village", "grid", "flag", "type"):
        value = data.get(key, "").strip()
        if value and not (key == "q" and _looks_like_id(value)):
            query[key] = value
    return query


@login_required
@writes(Cap.VIEW_PEOPLE)  # the search form is sent by POST, so an ID number typed in it stays out of URLs
@replica_ok
def household_list(request: AuthedHttpRequest) -> HttpResponse:
    areas.require_somewhere(request.user, Cap.VIEW_PEOPLE)
    data = request.POST if request.method == "POST" else request.GET
    f = _filter(data)
    url = reverse("registry:household_list")
    query = _list_query(data)
    if request.method == "GET" and _looks_like_id(f.text):
        messages.info(
            request, "身份证号请在查询框中输入（不进网址）。 Type ID numbers in the search box; they stay out of URLs."
        )
        return redirect(f"{url}?{query.urlencode()}" if query else url)
    if request.method == "POST" and not request.htmx and not _looks_like_id(f.text):
        return redirect(f"{url}?{query.urlencode()}" if query else url)  # after a plain form post: a bookmarkable page
    page = selectors.household_page(request.user, f, params.page_number(request.GET))
    ctx = {
        "page": page,
        "f": f,
        "query": query.urlencode(),
        "flags": FLAG_LABELS,
        **_filter_choices(request, f),
        "types": [t for t in codes.MONITORING_TYPE if t],
        "can_create": has_cap(request.user, Cap.EDIT_REGISTRY),
    }
    template = "registry/_household_rows.html" if request.htmx else "registry/household_list.html"
    response = render(request, template, ctx)
    if request.htmx and request.method == "POST":
        response["HX-Push-Url"] = f"{url}?{query.urlencode()}" if query else url
    return response


# A province officer may see 50,000 villages: past this many, the filter takes a typed code instead.
MAX_DROPDOWN = 500


def _filter_choices(request: AuthedHttpRequest, f: selectors.HouseholdFilter) -> dict[str, Any]:
    villages = list(areas.areas_visible(request.user, level=Level.VILLAGE).values("code", "name")[: MAX_DROPDOWN + 1])
    grids = areas.grids_visible(request.user)
    if f.village:
        grids = grids.filter(areas.under_code_q("village_id", f.village))
    grid_list = list(grids.values("pk", "name")[: MAX_DROPDOWN + 1])
    return {
        "villages": villages if len(villages) <= MAX_DROPDOWN else None,
        "grids": grid_list if len(grid_list) <= MAX_DROPDOWN else None,
    }


@login_required
def household_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    areas.require_somewhere(request.user, Cap.VIEW_PEOPLE)
    d = selectors.household_detail(request.user, pk)
    ctx = {
        "h": d.household,
        "members": d.members,
        "statements": d.statements,
        "checks": d.checks,
        "history": selectors.household_history(request.user, pk),
        "can_edit": has_cap(request.user, Cap.EDIT_REGISTRY),
        "can_view_id": has_cap(request.user, Cap.VIEW_FULL_ID),
        "sees_birth_date": selectors.sees_birth_date(request.user, d.household.village_id),
        "income_items": codes.INCOME_ITEMS,
        "this_year": timezone.localdate().year,
        "sections": _household_sections(request, pk),
    }
    return render(request, "registry/household_detail.html", ctx)


def _household_sections(request: AuthedHttpRequest, pk: int) -> list[dict[str, Any]]:
    """Sections other modules contribute to the household page (claims, jobs, visits…)."""
    from bangfu.registry.sections import sections_for

    return sections_for(request, pk)


def _household_context(request: AuthedHttpRequest, **extra: Any) -> dict[str, Any]:
    return {
        "choices": MEMBER_CHOICES,
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
        done=lambda h: f"已登记农户 {h.number} Household registered",
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
        done="已保存 Saved",
        then=lambda _: redirect("registry:household_detail", pk=h.pk),
    )


def _member_context(**extra: Any) -> dict[str, Any]:
    return {"choices": MEMBER_CHOICES, "labels": FIELD_LABELS} | extra


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
        done="已添加成员 Member added",
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
        done="已保存 Saved",
        then=lambda _: redirect("registry:household_detail", pk=m.household_id),
    )


@login_required
@require_POST
@writes(Cap.EDIT_REGISTRY)
def member_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    m = selectors.member_get(request.user, pk)
    post_message(
        request,
        "成员已减员 Member removed from the household",
        lambda: services.member_remove(actor=request.user, member=m, reason=request.POST.get("reason", "")),
    )
    return redirect("registry:household_detail", pk=m.household_id)


@login_required
@require_POST
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
@require_POST
@writes(Cap.EDIT_REGISTRY)
def income_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    h = selectors.household_get(request.user, pk)
    v = post_dict(request, ["year", "item", "amount", "note", "member"])
    post_message(
        request,
        "收入已登记 Income recorded",
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
@require_POST
@writes(Cap.EDIT_REGISTRY)
def income_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    item = selectors.income_item_get(request.user, pk)
    household_id = item.statement.household_id
    post_message(request, "已删除 Deleted", lambda: services.income_item_delete(actor=request.user, item=item))
    return redirect(f"/registry/households/{household_id}/#income")


@login_required
@require_POST
@writes(Cap.LOG_VISITS)
def guarantee_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    h = selectors.household_get(request.user, pk)
    flags = {k: request.POST.get(k) == "on" for k in ("housing_safe", "schooling_ok", "medical_ok", "water_safe")}
    post_message(
        request,
        "核查结果已记录 Check recorded",
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
