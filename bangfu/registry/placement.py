"""Relocated households placed on resettlement sites from Excel: the template (opens on its data sheet,
the site column a dropdown of the user's sites, a second sheet listing them) and the import (all rows
or none, with a bilingual report by row). Each row goes through `services.household_set_relocation`,
the same write as the household page, the site page and the API."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from bangfu.accounts.domain.roles import Cap
from bangfu.core.errors import ApplicationError, FieldProblem, ValidationFailed, invalid
from bangfu.core.excel import SheetSpec, read_table, require_columns, write_workbook
from bangfu.registry import selectors, services

if TYPE_CHECKING:
    from bangfu.accounts.models import User
    from bangfu.registry.models import ResettlementSite

SHEET = "搬迁户安置"
SITES_SHEET = "安置点"
COLUMNS = ["户编号", "安置点", "搬迁入住日期", "迁出村代码"]
REQUIRED = ["户编号", "安置点"]
MAX_ROWS = 5000
_FIELD_TITLES = {"moved_on": "搬迁入住日期", "from_village": "迁出村代码"}


def _label(site: ResettlementSite) -> str:
    return f"{site.name}（{site.pk}）"


def _placed(site: ResettlementSite) -> int:
    return int(getattr(site, "placed", 0))  # annotated by selectors.sites_with_counts


def template_workbook(user: User) -> bytes:
    sites = list(selectors.sites_with_counts(user)[:2000])
    data = SheetSpec(
        SHEET,
        COLUMNS,
        choices={"安置点": [_label(s) for s in sites]},
        text_columns={"户编号", "搬迁入住日期", "迁出村代码"},
        widths={"户编号": 22, "安置点": 36, "搬迁入住日期": 14, "迁出村代码": 16},
    )
    listed = SheetSpec(
        SITES_SHEET,
        ["编号", "安置点", "所在村(社区)", "安置方式", "规划户数", "已安置户数"],
        rows=[(s.pk, s.name, s.area.name, s.get_kind_display(), s.planned_households, _placed(s)) for s in sites],
        widths={"安置点": 30, "所在村(社区)": 20},
    )
    return write_workbook([data, listed])


def _site_of(text: str, sites: dict[int, ResettlementSite]) -> ResettlementSite:
    """A site by its dropdown label "名称（编号）", its number, or its name when that is unambiguous."""
    raw = text.strip()
    number = raw.rsplit("（", 1)[-1].rstrip("）") if raw.endswith("）") else raw
    if number.isdigit() and int(number) in sites:
        return sites[int(number)]
    named = [s for s in sites.values() if s.name == raw]
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        raise invalid(
            "安置点",
            f"有多个名为“{raw}”的安置点，请从下拉列表选择（带编号）",
            f"Several sites are called {raw!r}; choose one from the list (with its number)",
        )
    raise invalid(
        "安置点",
        f"没有找到安置点“{raw}”，请从下拉列表选择，或先在安置点页面新建",
        f"No site {raw!r} in your areas; choose one from the list, or create it on the sites page first",
    )


def placements_import(*, actor: User, data: bytes, filename: str) -> int:
    """Place every household of the file, or none; returns how many were placed."""
    header, rows = read_table(data, filename, sheet=SHEET)
    index = require_columns(header, REQUIRED)
    if len(rows) > MAX_ROWS:
        raise ApplicationError(
            zh=f"一次最多导入{MAX_ROWS}行，请分批导入",
            en=f"At most {MAX_ROWS} rows at a time; split the file",
            code="too_large",
            status=413,
        )
    sites = {s.pk: s for s in selectors.sites_visible(actor)}

    def cell(r: list[str], title: str) -> str:
        i = index.get(title, -1)
        return r[i].strip() if 0 <= i < len(r) else ""

    problems: list[FieldProblem] = []
    seen: dict[str, int] = {}
    with transaction.atomic():
        for n, r in enumerate(rows, start=2):
            number = cell(r, "户编号")
            try:
                if not number:
                    raise invalid("户编号", "请填写户编号", "Fill in the household number")
                if number in seen:
                    raise invalid(
                        "户编号", f"户编号与第{seen[number]}行重复", f"The household is already on row {seen[number]}"
                    )
                seen[number] = n
                site = _site_of(cell(r, "安置点"), sites)
                household = selectors.household_by_number(actor, number, Cap.EDIT_REGISTRY)
                with transaction.atomic():
                    services.household_set_relocation(
                        household=household,
                        site=site,
                        moved_on=cell(r, "搬迁入住日期")[:10].replace("/", "-") or None,
                        from_village=cell(r, "迁出村代码") or household.relocated_from_id,
                        actor=actor,
                        reason="Excel 导入安置 placed from Excel",
                    )
            except ApplicationError as exc:
                problems += _row_problems(exc, n, number)
        if problems:
            transaction.set_rollback(True)
    if problems:
        raise ValidationFailed(
            problems,
            zh=f"导入未完成：{len({p.row for p in problems})}行有误，所有农户均未安置。请按提示修改后重新导入",
            en=f"Nothing was imported: {len({p.row for p in problems})} rows have problems; fix them and import again",
        )
    return len(rows)


def _row_problems(exc: ApplicationError, row: int, number: str) -> list[FieldProblem]:
    if exc.status in (403, 404):  # outside the user's households: say so without revealing more
        return [
            FieldProblem(
                "户编号",
                f"户编号{number}不在您可修改的农户中",
                f"Household {number} is not one you may change",
                row,
            )
        ]
    if exc.problems:
        return [FieldProblem(_FIELD_TITLES.get(p.field, p.field), p.zh, p.en, row) for p in exc.problems]
    return [FieldProblem("", exc.zh, exc.en, row)]
