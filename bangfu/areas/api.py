"""JSON API of areas (/api/v1/areas/): the area tree the caller may see, one area, and area import."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.areas import services, views
from bangfu.areas.domain.codes import LEVEL_LABELS, Level
from bangfu.core.excel import upload_bytes
from bangfu.core.replicas import replica_ok

if TYPE_CHECKING:
    pass

router = Router(tags=["areas"])


class NodeOut(Schema):
    code: str
    name: str
    level: str
    level_label: str
    children: list[NodeOut]


class GridOut(Schema):
    id: int
    code: str
    name: str
    worker: str | None


class AreaOut(Schema):
    code: str
    name: str
    level: str
    level_label: str
    parent_code: str | None
    grids: list[GridOut]


class AreaImportOut(Schema):
    imported: int


@router.get("/tree", response=list[NodeOut], summary="区划树 Area tree within your areas")
@replica_ok
def tree(request: AuthedHttpRequest, root: str = "") -> list[views.Node]:
    return views.area_tree(request.user, root)


@router.post(
    "/import", response={201: AreaImportOut}, summary="导入区划 Import an area tree (CSV or Excel, all or none)"
)
@writes(Cap.MANAGE_AREAS)
def import_areas(request: AuthedHttpRequest, file: File[UploadedFile]) -> Status[dict[str, int]]:
    """Columns 区划代码, 名称, 上级区划代码. 422 with every problem by row when any row is wrong."""
    count = services.area_import(data=upload_bytes(file), filename=file.name or "", actor=request.user)
    return Status(201, {"imported": count})


# Declared after /import so that POST /import is not taken for an area code.
@router.get("/{code}", response=AreaOut, summary="区划详情 One area (with its grids)")
def area_get(request: AuthedHttpRequest, code: str) -> dict[str, Any]:
    area, grids = views.area_detail_of(request.user, code)
    return {
        "code": area.code, "name": area.name, "level": area.level, "level_label": LEVEL_LABELS[Level(area.level)],
        "parent_code": area.parent.code if area.parent else None,
        "grids": [
            {"id": g["pk"], "code": g["code"], "name": g["name"], "worker": g["worker__username"]} for g in grids
        ],
    }  # fmt: skip
