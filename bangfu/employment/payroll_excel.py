"""A workshop's monthly payroll as an Excel workbook: the template (the month's workers pre-filled, one
row per contract, the figures already entered shown) and the reading of the filled file into rows for
`services.payroll_sheet_record` (all rows or none, problems by spreadsheet row).

Rows are matched by 合同编号, the column the template fills; the name beside it must still agree, so
a row copied onto the wrong line is refused instead of paying the wrong 俄底么么.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from bangfu.core import inputs
from bangfu.core.errors import FieldProblem, ValidationFailed
from bangfu.core.excel import SheetSpec, read_table, require_columns, write_workbook
from bangfu.employment.selectors import PayrollLine
from bangfu.employment.services import PayEntry
from bangfu.employment.services.payroll_sheet import row_problem, who

SHEET = "工资表"
COLUMNS = [
    "合同编号", "姓名", "身份证号（部分隐去）", "户编号", "岗位", "工资规则", "月份",
    "应出勤天数", "实际出勤天数", "计件数", "更正理由",
]  # fmt: skip
REQUIRED = ["合同编号", "姓名", "月份", "应出勤天数", "实际出勤天数", "计件数"]
SCHEDULED_DAYS = 26  # the usual month of a six-day week, offered where nothing is entered yet


def template_workbook(lines: Sequence[PayrollLine], month: dt.date, rule_names: dict[str, str]) -> bytes:
    rows: list[Sequence[Any]] = []
    for line in lines:
        c, slip = line.contract, line.payslip
        rows.append(
            [
                c.pk,
                c.member.name,
                c.member.masked,
                c.household.number,
                c.job,
                rule_names.get(c.wage_code, c.wage_code),
                f"{month:%Y-%m}",
                slip.scheduled_days if slip else SCHEDULED_DAYS,
                slip.days_worked if slip else None,
                slip.pieces if slip else None,
                None,
            ]
        )
    widths = {"姓名": 12, "身份证号（部分隐去）": 22, "户编号": 20, "工资规则": 16, "更正理由": 30}
    return write_workbook(
        [SheetSpec(SHEET, COLUMNS, rows=rows, text_columns={"身份证号（部分隐去）", "户编号", "月份"}, widths=widths)]
    )


def _row(n: int, cell: dict[str, str], line: PayrollLine, month: dt.date) -> tuple[PayEntry | None, list[FieldProblem]]:
    name = who(line.contract)
    if cell["姓名"] and cell["姓名"] != line.contract.member.name:
        zh = f"合同编号{line.contract.pk}是{line.contract.member.name}的合同，与姓名“{cell['姓名']}”不符"
        en = f"contract {line.contract.pk} is {line.contract.member.name}'s, not {cell['姓名']}'s"
        return None, [row_problem(n, name, "姓名", zh, en)]
    if cell["月份"] and cell["月份"][:7].replace("/", "-") != f"{month:%Y-%m}":
        zh = f"月份“{cell['月份']}”与上传的月份{month:%Y-%m}不符"
        en = f"the month {cell['月份']} is not the month uploaded, {month:%Y-%m}"
        return None, [row_problem(n, name, "月份", zh, en)]
    try:
        with inputs.Problems() as p:
            scheduled = p.whole(
                cell["应出勤天数"] or str(SCHEDULED_DAYS), "应出勤天数", zh="应出勤天数", en="scheduled days"
            )
            worked = p.whole(cell["实际出勤天数"], "实际出勤天数", zh="实际出勤天数", en="days worked")
            pieces = p.whole(cell["计件数"] or "0", "计件数", zh="计件数", en="pieces")
    except ValidationFailed as exc:
        return None, [row_problem(n, name, q.field, q.zh, q.en) for q in exc.problems]
    reason = cell["更正理由"]
    return PayEntry(line.contract.pk, n, int(scheduled or 0), int(worked or 0), int(pieces or 0), reason), []


def read_entries(
    data: bytes, filename: str, month: dt.date, lines: Sequence[PayrollLine]
) -> tuple[list[PayEntry], list[FieldProblem]]:
    """The filled rows of the file (rows without days worked or pieces are left out) and the problems
    found reading them, by spreadsheet row (the header is row 1)."""
    header, body = read_table(data, filename, sheet=SHEET)
    index = require_columns(header, REQUIRED)
    by_id = {line.contract.pk: line for line in lines}
    entries: list[PayEntry] = []
    problems: list[FieldProblem] = []
    for n, r in enumerate(body, start=2):
        cell = {t: (r[index[t]].strip() if t in index and index[t] < len(r) else "") for t in COLUMNS}
        if not cell["实际出勤天数"] and not cell["计件数"]:
            continue  # not filled in: nothing to enter for this worker
        line = by_id.get(int(cell["合同编号"])) if cell["合同编号"].isdigit() else None
        if line is None:
            zh = f"合同编号“{cell['合同编号']}”不在本车间{month:%Y-%m}的工资表中，请使用本月下载的模板"
            en = (
                f"contract {cell['合同编号']!r} is not on this workshop's payroll for {month:%Y-%m}; "
                "use this month's template"
            )
            problems.append(row_problem(n, cell["姓名"], "合同编号", zh, en))
            continue
        entry, found = _row(n, cell, line, month)
        problems += found
        if entry is not None:
            entries.append(entry)
    return entries, problems
