"""Area pages: the area tree a user may see, and the import of an area tree from CSV or Excel."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.accounts.selectors import has_cap
from bangfu.areas import selectors, services
from bangfu.areas.domain.codes import LEVEL_LABELS, Level
from bangfu.areas.selectors import require_somewhere
from bangfu.core.errors import NotFound
from bangfu.core.excel import SheetSpec, write_workbook
from bangfu.core.listing import Listing
from bangfu.core.views import form_post, uploaded

if TYPE_CHECKING:
    from bangfu.accounts.models import User
    from bangfu.areas.models import Area

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Node:
    code: str
    name: str
    level: str
    level_label: str
    children: list[Node] = field(default_factory=list)


def area_tree(user: User, root: str = "") -> list[Node]:
    """The areas the user may see as a forest (one query), optionally only under `root`."""
    qs = selectors.areas_visible(user)
    if root:
        qs = qs.filter(code__startswith=root)
    nodes: dict[str, Node] = {}
    parents: dict[str, str | None] = {}
    for a in qs.only("code", "name", "level", "parent__code").select_related("parent"):
        nodes[a.code] = Node(a.code, a.name, a.level, _(LEVEL_LABELS[Level(a.level)]))
        parents[a.code] = a.parent.code if a.parent else None
    roots: list[Node] = []
    for code, node in nodes.items():  # codes come sorted, so parents are met before children
        parent = parents[code]
        (nodes[parent].children if parent in nodes else roots).append(node)
    return roots


def area_template(user: User) -> bytes:
    """The empty data sheet (it opens on it, nothing to delete before filling it in), then the areas
    the user manages already, whose codes are the parents of the new rows."""
    managed: list[Sequence[str]] = [
        (a.code, a.name, LEVEL_LABELS[Level(a.level)])
        for a in selectors.areas_visible(user, cap=Cap.MANAGE_AREAS)[:5000]
    ]
    return write_workbook(
        [
            SheetSpec(
                services.IMPORT_SHEET,
                services.IMPORT_COLUMNS,
                text_columns={"区划代码", "上级区划代码"},
                widths={"区划代码": 16, "名称": 24, "上级区划代码": 16},
            ),
            SheetSpec("已有区划", ["区划代码", "名称", "层级"], rows=managed, text_columns={"区划代码"}),
        ]
    )


def grid_template(user: User) -> bytes:
    """The grid file: opens on its data sheet (village dropdown); the second sheet lists the user's
    villages with their grid-worker accounts and grids."""
    villages = list(selectors.areas_visible(user, level=Level.VILLAGE, cap=Cap.MANAGE_AREAS)[:5000])
    grids: dict[str, list[str]] = {}
    for g in selectors.grids_visible(user, cap=Cap.MANAGE_AREAS):
        grids.setdefault(g.village_id, []).append(g.code)
    workers = selectors.grid_worker_usernames([v.code for v in villages])
    data = SheetSpec(
        services.GRID_SHEET,
        services.GRID_COLUMNS,
        choices={"村代码": [v.code for v in villages]},
        text_columns={"网格编号", "村代码", "网格员用户名"},
        widths={"网格编号": 14, "网格名称": 24, "村代码": 16, "网格员用户名": 18},
    )
    listed = SheetSpec(
        "村和网格员",
        ["村代码", "村名称", "网格员账号", "已有网格"],
        rows=[(v.code, v.name, "、".join(workers.get(v.code, [])), "、".join(grids.get(v.code, []))) for v in villages],
        text_columns={"村代码"},
        widths={"村名称": 20, "网格员账号": 30, "已有网格": 30},
    )
    return write_workbook([data, listed])


@login_required
def grid_import_template(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    require_somewhere(user, Cap.MANAGE_AREAS)
    response = HttpResponse(grid_template(user), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''grid-import-template.xlsx"
    return response


@login_required
@writes(Cap.MANAGE_AREAS)
def grid_import(request: AuthedHttpRequest) -> HttpResponse:
    """GET: the upload form. POST: every grid of the file, or none, with a report by row."""
    user = request.user
    require_somewhere(user, Cap.MANAGE_AREAS)
    return form_post(
        request,
        template="areas/grid_import.html",
        context={},
        run=lambda _v: services.grids_import(actor=user, **uploaded(request)),
        done=lambda done: _("已新建%(created)s个网格，指定网格员%(assigned)s个") % done,
        then="casework:grid_villages",
    )


@login_required
def tree(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    if not has_cap(user, Cap.VIEW_PEOPLE) and not has_cap(user, Cap.MANAGE_AREAS):
        raise NotFound()
    place = selectors.place_in_query(user, request.GET)  # a link's ?area=: that branch of the tree
    listing = Listing(
        request, sorts={"code": ("code",), "name": ("name",)}, default_sort="code", search=_("名称或区划代码")
    )
    if place:
        listing.chip(place.name, place.param)
    root = place.prefix if place else ""
    ctx: dict[str, Any] = {"listing": listing, "can_import": has_cap(user, Cap.MANAGE_AREAS)}
    if listing.q:  # a search lists the matching areas, with page numbers, instead of the tree
        found = selectors.areas_visible(user).filter(code__startswith=root)
        found = found.filter(Q(name__icontains=listing.q) | Q(code__startswith=listing.q))
        ctx["page"] = listing.page(found.select_related("parent"))
    else:
        ctx["roots"] = area_tree(user, root)
    return render(request, "areas/tree.html", ctx)


@login_required
def import_template(request: AuthedHttpRequest) -> HttpResponse:
    require_somewhere(request.user, Cap.MANAGE_AREAS)
    response = HttpResponse(area_template(request.user), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''area-import-template.xlsx"
    return response


@login_required
@writes(Cap.MANAGE_AREAS)
def import_areas(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    require_somewhere(user, Cap.MANAGE_AREAS)
    return form_post(
        request,
        template="areas/import.html",
        context={},
        run=lambda _v: services.area_import(actor=user, **uploaded(request)),
        done=lambda count: _("已导入%(count)s个区划") % {"count": count},
        then="areas:tree",
    )


def area_detail_of(user: User, code: str) -> tuple[Area, list[Any]]:
    """An area within the user's scope (404 otherwise) and its grids with their workers."""
    area = selectors.area_get(user, code)
    grids = list(
        selectors.grids_visible(user).filter(village__code=code).values("pk", "code", "name", "worker__username")
    )
    return area, grids
