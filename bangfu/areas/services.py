"""Writes of areas: the area tree (single and imported), grids and their workers."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction

from bangfu.accounts.domain.roles import Cap
from bangfu.areas.domain.codes import LEVEL_LABELS, Level, check_child, common_area, level_of
from bangfu.areas.models import Area, Grid, GridWorkerTerm
from bangfu.areas.selectors import Scope, scope_for
from bangfu.core.errors import ApplicationError, FieldProblem, NotFound, ValidationFailed
from bangfu.core.excel import read_table, require_columns
from bangfu.core.services import audit_record

if TYPE_CHECKING:
    from bangfu.accounts.models import User

IMPORT_COLUMNS = ["区划代码", "名称", "上级区划代码"]
_LEVEL_BY_LABEL = {**{v: k for k, v in LEVEL_LABELS.items()}, **{lv.value: lv for lv in Level}}


@transaction.atomic
def area_create(*, code: str, name: str, parent_code: str | None, actor: User | None = None) -> Area:
    level = level_of(code)
    parent = Area.objects.filter(code=parent_code).first() if parent_code else None
    if level is None:
        raise ValidationFailed([FieldProblem("code", "区划代码格式不正确", "the division code is malformed")])
    problem = check_child(code, level, parent.code if parent else None, Level(parent.level) if parent else None)
    if problem:
        raise ValidationFailed([FieldProblem("code", problem.zh, problem.en)])
    area = Area.objects.create(code=code, name=name, level=level.value, parent=parent)
    audit_record(actor=actor, action="area_create", obj=area, area_code=code)
    return area


def area_import(*, data: bytes, filename: str, actor: User | None = None) -> int:
    """Import an area tree (code, name, parent code; parents first or anywhere in the file).

    Every row is checked before anything is written; on any problem nothing is stored and all
    problems come back with their row numbers.
    """
    scope = _import_scope(actor)
    header, rows = read_table(data, filename)
    col = require_columns(header, IMPORT_COLUMNS)
    known = {a.code: Level(a.level) for a in Area.objects.all().only("code", "level")}
    parsed, problems = _parse_area_rows(rows, col, known)
    if scope is not None:
        problems += [
            FieldProblem("区划代码", f"区划{code}不在您的管辖范围内", f"area {code} is outside your areas", row=n)
            for n, r in enumerate(rows, start=2)
            if (code := _cell(r, col["区划代码"])) and not scope.covers_code(code)
        ]
    if problems:
        raise ValidationFailed(
            problems, zh=f"{len(problems)}处错误，未导入任何区划", en=f"{len(problems)} problems; nothing imported"
        )
    return _store_areas(parsed, actor)


def _import_scope(actor: User | None) -> Scope | None:
    """None for system jobs; otherwise the areas the actor manages (404 for a role that manages none)."""
    if actor is None:
        return None
    scope = scope_for(actor, Cap.MANAGE_AREAS)
    if scope.empty:
        raise NotFound()
    return scope


def _cell(row: list[str], i: int) -> str:
    return row[i].strip() if i < len(row) else ""


def _parse_area_rows(
    rows: list[list[str]], col: dict[str, int], known: dict[str, Level]
) -> tuple[list[tuple[str, str, str | None, Level]], list[FieldProblem]]:
    def get(r: list[str], name: str) -> str:
        i = col[name]
        return r[i].strip() if i < len(r) else ""

    levels = dict(known)
    for r in rows:
        lv = level_of(get(r, "区划代码"))
        if lv:
            levels.setdefault(get(r, "区划代码"), lv)
    parsed: list[tuple[str, str, str | None, Level]] = []
    problems: list[FieldProblem] = []
    seen: set[str] = set()
    for n, r in enumerate(rows, start=2):
        code, name, parent = get(r, "区划代码"), get(r, "名称"), get(r, "上级区划代码") or None
        level = level_of(code)
        if not name:
            problems.append(FieldProblem("名称", "名称不能为空", "the name is empty", row=n))
        if code in seen or code in known:
            problems.append(
                FieldProblem("区划代码", f"区划代码{code}重复或已存在", f"code {code} is repeated or exists", row=n)
            )
        seen.add(code)
        if level is None:
            problems.append(FieldProblem("区划代码", "区划代码须为12位数字", "the code must be 12 digits", row=n))
            continue
        if parent is not None and parent not in levels:
            problems.append(
                FieldProblem("上级区划代码", f"上级区划{parent}不存在", f"parent {parent} does not exist", row=n)
            )
            continue
        p = check_child(code, level, parent, levels.get(parent) if parent else None)
        if p:
            problems.append(FieldProblem("区划代码", p.zh, p.en, row=n))
            continue
        parsed.append((code, name, parent, level))
    return parsed, problems


@transaction.atomic
def _store_areas(parsed: list[tuple[str, str, str | None, Level]], actor: User | None) -> int:
    # Parents sort before children because their codes are shorter-significant prefixes.
    from bangfu.areas.domain.codes import LEVEL_ORDER

    by_code = {a.code: a for a in Area.objects.all()}
    for code, name, parent, level in sorted(parsed, key=lambda t: LEVEL_ORDER.index(t[3])):
        area = Area.objects.create(code=code, name=name, level=level.value, parent=by_code.get(parent or ""))
        by_code[code] = area
    audit_record(
        actor=actor,
        action="area_import",
        obj=actor or Area(),
        area_code=common_area(code for code, *_ in parsed),
        data={"rows": len(parsed)},
    )
    return len(parsed)


@transaction.atomic
def grid_create(
    *, village_code: str, code: str, name: str, worker: User | None = None, actor: User | None = None
) -> Grid:
    village = Area.objects.filter(code=village_code, level=Level.VILLAGE.value).first()
    if village is None:
        raise ValidationFailed([FieldProblem("village", "网格必须建在村级区划之下", "a grid belongs to a village")])
    grid = Grid.objects.create(village=village, code=code, name=name, worker=worker)
    if worker is not None:
        GridWorkerTerm.objects.create(grid=grid, worker=worker, start=dt.date.today())
    audit_record(actor=actor, action="grid_create", obj=grid, area_code=village_code)
    return grid


@transaction.atomic
def grid_assign_worker(
    *, grid: Grid, worker: User | None, actor: User | None, reason: str = "", on: dt.date | None = None
) -> Grid:
    """Hand a grid to another worker (or leave it vacant), closing the previous term."""
    on = on or dt.date.today()
    if grid.worker_id == (worker.pk if worker else None):
        raise ApplicationError(zh="该网格已由此人负责", en="This worker already has the grid", code="no_change")
    GridWorkerTerm.objects.filter(grid=grid, end__isnull=True).update(end=on, reason=reason)
    if worker is not None:
        GridWorkerTerm.objects.create(grid=grid, worker=worker, start=on)
    grid.worker = worker
    grid.save(update_fields=["worker"])
    audit_record(
        actor=actor,
        action="grid_assign_worker",
        obj=grid,
        area_code=grid.village_id,
        reason=reason,
        data={"worker": worker.pk if worker else None},
    )
    return grid
