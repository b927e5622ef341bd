"""Writes of areas: the area tree (single and imported), grids and their workers."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from bangfu.accounts.domain.roles import Cap
from bangfu.areas.domain.codes import LEVEL_LABELS, Level, check_child, common_area, level_of
from bangfu.areas.models import Area, Grid, GridWorkerTerm
from bangfu.areas.selectors import Scope, scope_for
from bangfu.core.errors import ApplicationError, FieldProblem, NotFound, ValidationFailed, invalid
from bangfu.core.excel import read_table, require_columns
from bangfu.core.services import audit_record

if TYPE_CHECKING:
    from bangfu.accounts.models import User

# Import formats (the same words in both languages); also msgids, so a report names a column in the
# reader's language.
IMPORT_SHEET = "区划"
IMPORT_COLUMNS = [gettext_noop("区划代码"), gettext_noop("名称"), gettext_noop("上级区划代码")]
_LEVEL_BY_LABEL = {**{v: k for k, v in LEVEL_LABELS.items()}, **{lv.value: lv for lv in Level}}


@transaction.atomic
def area_create(*, code: str, name: str, parent_code: str | None, actor: User | None = None) -> Area:
    level = level_of(code)
    parent = Area.objects.filter(code=parent_code).first() if parent_code else None
    if level is None:
        raise invalid("code", "区划代码格式不正确", "the division code is malformed")
    problem = check_child(code, level, parent.code if parent else None, Level(parent.level) if parent else None)
    if problem:
        raise invalid("code", problem.zh, problem.en)
    area = Area.objects.create(code=code, name=name, level=level.value, parent=parent)
    audit_record(actor=actor, action="area_create", obj=area, area_code=code)
    return area


def area_import(*, data: bytes, filename: str, actor: User | None = None) -> int:
    """Import an area tree (code, name, parent code; parents first or anywhere in the file).

    Every row is checked before anything is written; on any problem nothing is stored and all
    problems come back with their row numbers.
    """
    scope = _import_scope(actor)
    header, rows = read_table(data, filename, sheet=IMPORT_SHEET)
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
        raise invalid("village", "网格必须建在村级区划之下", "a grid belongs to a village")
    grid = Grid.objects.create(village=village, code=code, name=name, worker=worker)
    if worker is not None:
        GridWorkerTerm.objects.create(grid=grid, worker=worker, start=timezone.localdate())
    audit_record(actor=actor, action="grid_create", obj=grid, area_code=village_code)
    return grid


@transaction.atomic
def grid_assign_worker(
    *, grid: Grid, worker: User | None, actor: User | None, reason: str = "", on: dt.date | None = None
) -> Grid:
    """Hand a grid to another worker (or leave it vacant), closing the previous term."""
    on = on or timezone.localdate()
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


# --- grids (and their workers) from Excel ------------------------------------------------------------

GRID_SHEET = "网格"
GRID_COLUMNS = [
    gettext_noop("网格编号"),
    gettext_noop("网格名称"),
    gettext_noop("村代码"),
    gettext_noop("网格员用户名"),
]
GRID_REQUIRED = ["网格编号", "网格名称", "村代码"]


def grids_import(*, actor: User, data: bytes, filename: str) -> dict[str, int]:
    """Create the grids of the file (and name their workers), or nothing: every row is checked, each
    problem reported with its row. A row naming a grid that exists already (same code, same village)
    hands it to the worker named (with history) or is left as it is, so a file can be imported again
    once the grid workers' accounts exist. Returns {"created": n, "assigned": m}."""
    scope = scope_for(actor, Cap.MANAGE_AREAS)
    if scope.empty:
        raise NotFound()
    header, rows = read_table(data, filename, sheet=GRID_SHEET)
    col = require_columns(header, GRID_REQUIRED)

    def get(r: list[str], name: str) -> str:
        i = col.get(name, -1)
        return r[i].strip() if 0 <= i < len(r) else ""

    villages = {a.code for a in Area.objects.filter(level=Level.VILLAGE.value)}
    existing = {g.code: g for g in Grid.objects.all()}
    plan: list[tuple[str, str, str, User | None]] = []
    problems: list[FieldProblem] = []
    seen: dict[str, int] = {}
    for n, r in enumerate(rows, start=2):
        code, name, village = get(r, "网格编号"), get(r, "网格名称"), get(r, "村代码")
        row, code = _grid_row_problems(code, name, village, villages, scope, existing, seen)
        seen.setdefault(code, n)
        worker, worker_problem = _grid_worker(get(r, "网格员用户名"), village, villages)
        row += worker_problem
        problems += [FieldProblem(p.field, p.zh, p.en, row=n) for p in row]
        if not row:
            plan.append((code, name, village, worker))
    if problems:
        raise ValidationFailed(
            problems,
            zh=f"导入未完成：{len({p.row for p in problems})}行有误，所有网格均未导入。请按提示修改后重新导入",
            en=f"Nothing was imported: {len({p.row for p in problems})} rows have problems; fix them and import again",
        )
    return _store_grids(actor, plan, existing)


def _grid_row_problems(
    code: str,
    name: str,
    village: str,
    villages: set[str],
    scope: Scope,
    existing: dict[str, Grid],
    seen: dict[str, int],
) -> tuple[list[FieldProblem], str]:
    from bangfu.core.domain import inputs

    row: list[FieldProblem] = []
    try:
        code = inputs.identifier(code, "网格编号", max_len=24, zh="网格编号", en="grid code")
    except ValidationFailed as exc:
        row += exc.problems
    if not name:
        row.append(FieldProblem("网格名称", "请填写网格名称", "Fill in the grid name"))
    elif len(name) > 100:
        row.append(FieldProblem("网格名称", "网格名称最多100字", "A grid name has at most 100 characters"))
    if village not in villages:
        row.append(
            FieldProblem(
                "村代码",
                f"村代码{village}不存在：请填写已导入的12位村级区划代码",
                f"No village has the code {village!r}: give the 12-digit code of an imported village",
            )
        )
    elif not scope.covers_code(village):
        row.append(FieldProblem("村代码", "该村不在您管理的区域内", "The village is not one you manage"))
    if code in seen:
        row.append(FieldProblem("网格编号", f"网格编号与第{seen[code]}行重复", f"The code repeats row {seen[code]}"))
    elif code in existing and existing[code].village_id != village:
        row.append(
            FieldProblem(
                "网格编号", f"网格编号{code}已被其他村的网格使用", f"Another village's grid has the code {code}"
            )
        )
    return row, code


def _grid_worker(username: str, village: str, villages: set[str]) -> tuple[User | None, list[FieldProblem]]:
    """The grid worker a row names: an active account holding the grid-worker role in the village (or above)."""
    from bangfu.accounts import selectors as accounts  # accounts.selectors is imported by ours
    from bangfu.accounts.domain.roles import Role

    if not username or village not in villages:
        return None, []
    ancestors = [village, village[:9].ljust(12, "0"), village[:6].ljust(12, "0")]
    worker = next((u for u in accounts.users_with_role(Role.GRID_WORKER, ancestors) if u.username == username), None)
    if worker is not None:
        return worker, []
    return None, [
        FieldProblem(
            "网格员用户名",
            f"{username}不是本村的网格员账号：请先在账号管理中为其开设网格员账号（区划为本村）",
            f"{username} is not a grid worker account of the village: create it first (role grid worker, "
            "area the village)",
        )
    ]


@transaction.atomic
def _store_grids(
    actor: User, plan: list[tuple[str, str, str, User | None]], existing: dict[str, Grid]
) -> dict[str, int]:
    created = assigned = 0
    for code, name, village, worker in plan:
        grid = existing.get(code)
        if grid is None:
            grid_create(village_code=village, code=code, name=name, worker=worker, actor=actor)
            created += 1
        elif worker is not None and grid.worker_id != worker.pk:
            grid_assign_worker(
                grid=grid, worker=worker, actor=actor, reason="网格导入指定网格员 named in the grid file"
            )
            assigned += 1
    return {"created": created, "assigned": assigned}
