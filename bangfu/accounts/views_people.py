"""Account administration pages: the county's (or an allowed township's) people, one account, new
account, batch import, the county's account policy, and "who can do what here" for an area."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts import batch, lockout, selectors, services
from bangfu.accounts.domain.administration import ROLE_LEVELS, ROLE_RANK
from bangfu.accounts.domain.roles import ROLE_LABELS, Cap, Role, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.accounts.models import User
from bangfu.core import inputs
from bangfu.core.errors import NotFound, invalid
from bangfu.core.listing import Filter, Listing
from bangfu.core.replicas import replica_ok
from bangfu.core.views import form_post, int_or_none, page_on_get, uploaded


def handover_from(post: QueryDict) -> dict[int, int | None]:
    """`handover_<grid id>` fields: a worker's id, or "vacant" (left without a worker); unset ones are left out."""
    out: dict[int, int | None] = {}
    for key in post:
        value = post.get(key, "")
        if not key.startswith("handover_") or not value:
            continue
        grid_id = int_or_none(key.removeprefix("handover_"))
        if grid_id is not None:
            out[grid_id] = None if value == "vacant" else int_or_none(value)
    return out


def _role(value: str | None) -> Role:
    try:
        return Role(value or "")
    except ValueError:
        raise invalid("role", "请选择角色", "Choose a role") from None


def _grant_areas(user: User) -> list[Any]:
    """Areas where the administrator may grant some role (for the forms' area choices)."""
    from bangfu.areas.selectors import areas_visible  # accounts views may use areas' selectors

    roles = selectors.grantable_roles(user)
    levels = {lv.value for r in roles for lv in ROLE_LEVELS[r]}
    prefixes = [p for p, _r in selectors.admin_roles(user)]
    return [
        a
        for a in areas_visible(user, cap=Cap.MANAGE_USERS).filter(level__in=levels)[:3000]
        if any(a.code.startswith(p) for p in prefixes)
    ]


@login_required
@replica_ok
def people(request: AuthedHttpRequest) -> HttpResponse:
    """账号管理: the accounts the user administers; the area from the link, search, status, sorting."""
    from bangfu.areas.selectors import place_in_query  # accounts views may use areas' selectors

    selectors.users_visible(request.user)  # 403 for those who administer nothing
    place = place_in_query(request.user, request.GET, cap=Cap.MANAGE_USERS)
    listing = Listing(
        request,
        sorts={"username": ("username",), "name": ("display_name",), "area": ("home_area_id",)},
        default_sort="username",
        filters=[Filter("status", _("状态"), [("active", _("在用")), ("inactive", _("已停用"))])],
        search=_("用户名、姓名或电话"),
    )
    if place:
        listing.chip(place.name, place.param)
    status = listing.value("status")
    users = selectors.users_visible(
        request.user,
        search=listing.q,
        under=place.prefix if place else "",
        active=None if not status else status == "active",
    )
    return render(request, "accounts/people.html", {"page": listing.page(users), "listing": listing})


NEW_FIELDS = ("username", "display_name", "phone", "role", "area_code", "organisation", "start")


def _role_choices(user: User) -> list[tuple[str, str]]:
    return [(r.value, _(ROLE_LABELS[r])) for r in selectors.grantable_roles(user)]


def _area_choices(user: User) -> list[tuple[str, str]]:
    return [(a.code, f"{a.name} · {a.get_level_display()} {a.code}") for a in _grant_areas(user)]


@login_required
@writes(Cap.MANAGE_USERS)
def person_new(request: AuthedHttpRequest) -> HttpResponse:
    selectors.users_visible(request.user)  # 403 for those who administer nothing

    def run(v: dict[str, str]) -> User:
        user, first = services.account_create(
            actor=request.user,
            username=v["username"],
            display_name=v["display_name"],
            phone=v["phone"],
            role=_role(v["role"]),
            area_code=v["area_code"],
            organisation=v["organisation"],
            start=inputs.date(v["start"], "start", required=False, future=True),
            password=request.POST.get("password", ""),  # never stripped, never shown again
        )
        request.session["shown_password"] = {"user": user.pk, "password": first}
        return user

    return form_post(
        request,
        template="accounts/person_new.html",
        context=lambda: {"roles": _role_choices(request.user), "areas": _area_choices(request.user)},
        fields=NEW_FIELDS,
        initial={"start": timezone.localdate().isoformat()},
        run=run,
        done=lambda user: _("账号%(username)s已创建") % {"username": user.username},
        then=lambda user: redirect("accounts:person", pk=user.pk),
    )


def _person_context(request: AuthedHttpRequest, pk: int) -> dict[str, Any]:
    from bangfu.areas.selectors import grids_of_worker  # accounts views may use areas' selectors

    person = selectors.user_get(request.user, pk)
    grids = [
        (g, selectors.grid_worker_successors(request.user, g.village_id, person)) for g in grids_of_worker(person.pk)
    ]
    shown = request.session.pop("shown_password", None)
    return {
        "person": person,
        "memberships": selectors.memberships_history(person),
        "today": timezone.localdate(),
        "roles": _role_choices(request.user),
        "areas": _area_choices(request.user),
        "grids": grids,
        "lockouts": [lk for lk in lockout.lockouts_visible(request.user) if lk.user.pk == person.pk],
        "shown_password": shown["password"] if shown and shown.get("user") == person.pk else None,
        "errors": {},
        "error": None,
        "form": {},
    }


@login_required
def person(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return render(request, "accounts/person.html", _person_context(request, pk))


def _on_person(
    request: AuthedHttpRequest, pk: int, form: str, run: Callable[[dict[str, str]], object], done: str
) -> HttpResponse:
    """One of the person page's forms (`failed` names it): the page again with the problems, or back to it."""
    return form_post(
        request,
        template="accounts/person.html",
        context=lambda: _person_context(request, pk) | {"failed": form},
        run=run,
        done=done,
        then=lambda _: redirect("accounts:person", pk=pk),
        keep_as="form",
    )


@login_required
@page_on_get("accounts:person")
@writes(Cap.MANAGE_USERS)
def person_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _on_person(
        request,
        pk,
        "edit",
        lambda v: services.account_update(
            actor=request.user, user_id=pk, display_name=v.get("display_name", ""), phone=v.get("phone", "")
        ),
        _("已保存"),
    )


@login_required
@page_on_get("accounts:person")
@writes(Cap.MANAGE_USERS)
def person_reset(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    def run(v: dict[str, str]) -> None:
        temp = services.password_reset(actor=request.user, user_id=pk)
        request.session["shown_password"] = {"user": pk, "password": temp}

    return _on_person(
        request,
        pk,
        "reset",
        run,
        _("密码已重置，对方下次登录须修改密码"),
    )


@login_required
@page_on_get("accounts:person")
@writes(Cap.MANAGE_USERS)
def person_deactivate(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _on_person(
        request,
        pk,
        "deactivate",
        lambda v: services.account_deactivate(
            actor=request.user, user_id=pk, reason=v.get("reason", ""), handover=handover_from(request.POST)
        ),
        _("账号已停用，记录均保留"),
    )


@login_required
@page_on_get("accounts:person")
@writes(Cap.MANAGE_USERS)
def person_reactivate(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _on_person(
        request,
        pk,
        "reactivate",
        lambda v: services.account_reactivate(actor=request.user, user_id=pk, reason=v.get("reason", "")),
        _("账号已恢复，请重新授予角色"),
    )


@login_required
@page_on_get("accounts:person")
@writes(Cap.MANAGE_USERS)
def person_grant(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    def run(v: dict[str, str]) -> object:
        with inputs.Problems() as p:
            start = p.date(v.get("start"), "start", required=False, future=True)
            end = p.date(v.get("end"), "end", required=False, future=True)
        return services.membership_grant(
            actor=request.user,
            user=selectors.user_get(request.user, pk),
            role=_role(v.get("role")),
            area_code=v.get("area_code", ""),
            organisation=v.get("organisation", "")[:100],
            start=start,
            end=end,
        )

    return _on_person(request, pk, "grant", run, _("已授予角色"))


def _person_of_membership(request: AuthedHttpRequest, pk: int) -> dict[str, int]:
    return {"pk": selectors.membership_get(request.user, pk).user_id}


@login_required
@page_on_get("accounts:person", to=_person_of_membership)
@writes(Cap.MANAGE_USERS)
def membership_end(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    m = selectors.membership_get(request.user, pk)
    return _on_person(
        request,
        m.user_id,
        f"end-{pk}",
        lambda v: services.membership_end(
            actor=request.user,
            membership_id=pk,
            reason=v.get("reason", ""),
            end=inputs.date(v.get("end"), "end", required=False, future=True),
            handover=handover_from(request.POST),
        ),
        _("角色已结束"),
    )


# --- batch ------------------------------------------------------------------------------------------


@login_required
def people_template(request: AuthedHttpRequest) -> HttpResponse:
    selectors.users_visible(request.user)  # 403 for those who administer nothing
    response = HttpResponse(batch.template_workbook(request.user), content_type=batch.XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''accounts-template.xlsx"
    return response


@login_required
@writes(Cap.MANAGE_USERS)
def people_import(request: AuthedHttpRequest) -> HttpResponse:
    selectors.users_visible(request.user)
    return form_post(  # the passwords are shown once, on this page: no redirect
        request,
        template="accounts/people_import.html",
        context={},
        run=lambda _v: batch.accounts_import(actor=request.user, **uploaded(request)),
        done=None,
        then=lambda created: render(request, "accounts/people_import.html", {"created": created}),
    )


# --- the county's account policy ----------------------------------------------------------------------


def _policy_counties(user: User) -> list[str]:
    return [p.ljust(12, "0") for p, r in selectors.admin_roles(user) if r == Role.COUNTY_ADMIN and len(p) == 6]


@login_required
@writes(Cap.MANAGE_USERS)
def policy(request: AuthedHttpRequest) -> HttpResponse:
    from bangfu.areas.selectors import area_names  # accounts views may use areas' selectors

    counties = _policy_counties(request.user)
    if not counties:
        raise NotFound()
    code = request.POST.get("area_code") or request.GET.get("area") or counties[0]
    if code not in counties:
        raise NotFound()

    def run(p: dict[str, str]) -> object:
        return services.policy_set(
            actor=request.user,
            area_code=code,
            effective_from=inputs.date(p.get("effective_from"), "effective_from", required=False, future=True)
            or timezone.localdate(),
            township_administers=p.get("township_administers") == "on",
            password_min_length=int_or_none(p.get("password_min_length")) or 0,
            password_block_common=p.get("password_block_common") == "on",
        )

    return form_post(
        request,
        template="accounts/policy.html",
        context=lambda: {
            "code": code,
            "counties": sorted(area_names(set(counties)).items()),
            "current": selectors.policy_for(code),
            "rows": selectors.policies_of(code),
            "today": timezone.localdate(),
            "errors": {},
        },
        run=run,
        done=_("账号规则已保存"),
        then=lambda _r: redirect(f"{request.path}?area={code}"),
        keep_as="kept",  # what was typed, shown again beside the problems (the rows in force otherwise)
    )


# --- who can do what here -------------------------------------------------------------------------------


@login_required
@replica_ok
def area_people(request: AuthedHttpRequest, code: str) -> HttpResponse:
    area, holders, role_caps = selectors.area_people(request.user, code)
    ranks = sorted(role_caps.items(), key=lambda kv: -max(ROLE_RANK[r] for r in Role if ROLE_LABELS[r] == kv[0]))
    shown = [(_(label), [_(c) for c in caps]) for label, caps in ranks]  # labels are msgids (domain)
    return render(request, "accounts/area_people.html", {"area": area, "holders": holders, "role_caps": shown})
