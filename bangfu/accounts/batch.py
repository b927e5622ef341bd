"""Accounts in a batch from Excel: the template (opens on its data sheet, dropdowns for role and area)
and the import (all rows or none, with a per-row bilingual report). A county onboards its grid workers,
cadres, department officers and insurer staff at once; each new account must change its password at
its first sign-in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction

from bangfu.accounts import selectors, services
from bangfu.accounts.domain.administration import (
    AREAS_SHEET,
    COLUMNS,
    IMPORT_SHEET,
    REQUIRED,
    ROLE_BY_LABEL,
    ROLE_LEVELS,
)
from bangfu.accounts.domain.roles import ROLE_LABELS, Cap
from bangfu.core.errors import ApplicationError, FieldProblem, ValidationFailed, invalid
from bangfu.core.excel import SheetSpec, read_table, require_columns, write_workbook
from bangfu.core.services import audit_record

if TYPE_CHECKING:
    from bangfu.accounts.models import User

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Each account hashes its password (argon2, ~0.13 s on an idle core, ~1 s on the loaded test machine):
# 500 rows stay inside the 120 s request timeout; a larger county imports in several files.
MAX_ROWS = 500


def template_workbook(actor: User) -> bytes:
    """The empty template: the data sheet first (role dropdown of the roles the actor may grant, area
    dropdown of their areas), then the list of areas with names and levels."""
    from bangfu.areas.selectors import areas_visible  # areas.selectors imports accounts.selectors

    roles = selectors.grantable_roles(actor)
    levels = {lv.value for r in roles for lv in ROLE_LEVELS[r]}
    areas = [
        a
        for a in areas_visible(actor, cap=Cap.MANAGE_USERS).filter(level__in=levels)[:5000]
        if any(a.code.startswith(p) for p, _r in selectors.admin_roles(actor))
    ]
    data = SheetSpec(
        IMPORT_SHEET,
        COLUMNS,
        choices={"角色": [ROLE_LABELS[r] for r in roles], "区划代码": [a.code for a in areas]},
        text_columns={"用户名", "电话", "区划代码", "开始日期", "初始密码"},
        widths={"用户名": 18, "区划代码": 16, "所属单位": 20, "开始日期": 12},
    )
    places = SheetSpec(
        AREAS_SHEET,
        ["区划代码", "名称", "层级", "可授予的角色"],
        rows=[
            (
                a.code,
                a.name,
                a.get_level_display(),
                "、".join(ROLE_LABELS[r] for r in roles if a.level in ROLE_LEVELS[r]),
            )
            for a in areas
        ],
        text_columns={"区划代码"},
        widths={"名称": 24, "可授予的角色": 40},
    )
    return write_workbook([data, places])


@dataclass(frozen=True)
class Created:
    row: int
    username: str
    display_name: str
    role: str
    area_code: str
    password: str  # the first password, shown once


def _date(value: str, row: int) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10].replace("/", "-"))
    except ValueError:
        raise ValidationFailed(
            [
                FieldProblem(
                    "开始日期", "开始日期应为 2026-01-05 这样的日期", "The start date is a date like 2026-01-05", row
                )
            ]
        ) from None


def accounts_import(*, actor: User, data: bytes, filename: str) -> list[Created]:
    """Create every account of the file, or none: each row is tried in order (so a username repeated in
    the file is caught too), and any problem anywhere rolls everything back and is reported by row."""
    selectors.users_visible(actor)  # 403 before the file is read, for those who administer nothing
    header, rows = read_table(data, filename, sheet=IMPORT_SHEET)
    require_columns(header, REQUIRED)
    index = {h.strip(): i for i, h in enumerate(header)}
    if len(rows) > MAX_ROWS:
        raise ApplicationError(
            zh=f"一次最多导入{MAX_ROWS}个账号，请分批导入",
            en=f"At most {MAX_ROWS} accounts at a time; split the file",
            code="too_large",
            status=413,
        )

    def cell(r: list[str], title: str) -> str:
        i = index.get(title, -1)
        return r[i].strip() if 0 <= i < len(r) else ""

    created: list[Created] = []
    problems: list[FieldProblem] = []
    with transaction.atomic():
        for n, r in enumerate(rows, start=2):
            try:
                with transaction.atomic():
                    role = ROLE_BY_LABEL.get(cell(r, "角色"))
                    if role is None:
                        raise invalid("角色", "角色无效，请从下拉列表选择", "Unknown role; choose one from the list")
                    user, password = services.account_create(
                        actor=actor,
                        username=cell(r, "用户名"),
                        display_name=cell(r, "姓名"),
                        phone=cell(r, "电话"),
                        role=role,
                        area_code=cell(r, "区划代码"),
                        organisation=cell(r, "所属单位"),
                        start=_date(cell(r, "开始日期"), n),
                        password=cell(r, "初始密码"),
                    )
                    created.append(
                        Created(n, user.username, user.display_name, ROLE_LABELS[role], cell(r, "区划代码"), password)
                    )
            except ApplicationError as exc:
                problems += _row_problems(exc, n)
        if problems:
            transaction.set_rollback(True)
        else:
            audit_record(
                actor=actor,
                action="user_bulk_create",
                obj=actor,
                area_code=str(actor.home_area_id or ""),
                data={"users": len(created), "rows": len(rows)},
            )
    if problems:
        raise ValidationFailed(
            problems,
            zh=f"导入未完成：{len({p.row for p in problems})}行有误，所有账号均未创建。请按提示修改后重新导入",
            en=f"Nothing was imported: {len({p.row for p in problems})} rows have problems; fix them and import again",
        )
    return created


_FIELD_TITLES = {
    "username": "用户名",
    "display_name": "姓名",
    "phone": "电话",
    "role": "角色",
    "area_code": "区划代码",
    "start": "开始日期",
    "organisation": "所属单位",
    "end": "开始日期",
    "password": "初始密码",
}


def _row_problems(exc: ApplicationError, row: int) -> list[FieldProblem]:
    if exc.status == 404:  # an area outside the administrator's areas: say so without revealing more
        return [FieldProblem("区划代码", "区划代码不在您管理的区域内", "The area is not one you administer", row)]
    if exc.problems:
        return [FieldProblem(_FIELD_TITLES.get(p.field, p.field), p.zh, p.en, row) for p in exc.problems]
    return [FieldProblem("", exc.zh, exc.en, row)]
