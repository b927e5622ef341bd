"""Spreadsheet helpers: read CSV/XLSX into rows of strings, write XLSX with dropdowns."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

import xlsxwriter
from python_calamine import CalamineWorkbook

from bangfu.core.errors import ApplicationError


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def read_table(data: bytes, filename: str, sheet: str | int = 0) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the first (or named) sheet, every cell as stripped text."""
    name = filename.lower()
    if name.endswith(".csv"):
        text = data.decode("utf-8-sig", errors="strict") if data else ""
        rows = [[c.strip() for c in r] for r in csv.reader(io.StringIO(text))]
    elif name.endswith((".xlsx", ".xlsm", ".xls", ".ods")):
        try:
            wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
            ws = wb.get_sheet_by_name(sheet) if isinstance(sheet, str) else wb.get_sheet_by_index(sheet)
            rows = [[_cell(c) for c in r] for r in ws.to_python(skip_empty_area=False)]
        except Exception as exc:
            raise ApplicationError(
                zh=f"无法读取表格文件（{type(exc).__name__}），请确认是有效的 Excel 文件",
                en="The spreadsheet could not be read; check that it is a valid Excel file",
                code="bad_file",
            ) from None
    else:
        raise ApplicationError(
            zh="只支持 .xlsx 或 .csv 文件", en="Only .xlsx or .csv files are accepted", code="bad_file"
        )
    rows = [r for r in rows if any(c for c in r)]
    if not rows:
        raise ApplicationError(zh="文件是空的", en="The file is empty", code="bad_file")
    return rows[0], rows[1:]


def require_columns(header: Sequence[str], required: Iterable[str]) -> dict[str, int]:
    """Map column titles to indexes; refuse a file that lacks a required column (wrong template)."""
    index = {h.strip(): i for i, h in enumerate(header)}
    missing = [c for c in required if c not in index]
    if missing:
        raise ApplicationError(
            zh=f"缺少列：{'、'.join(missing)}。请下载并使用系统提供的模板",
            en=f"Missing columns: {', '.join(missing)}. Download and use the template",
            code="wrong_template",
        )
    return index


@dataclass
class SheetSpec:
    name: str
    columns: list[str]
    rows: list[Sequence[Any]] = field(default_factory=list)
    choices: dict[str, list[str]] = field(default_factory=dict)  # column → dropdown values
    text_columns: set[str] = field(default_factory=set)  # e.g. ID numbers: keep as text
    widths: dict[str, int] = field(default_factory=dict)


def write_workbook(sheets: list[SheetSpec], out: IO[bytes] | None = None) -> bytes:
    buf = out or io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    text = wb.add_format({"num_format": "@"})
    lists = wb.add_worksheet("_lists")
    list_col = 0
    for spec in sheets:
        ws = wb.add_worksheet(spec.name)
        for c, title in enumerate(spec.columns):
            ws.write_string(0, c, title, head)
            ws.set_column(
                c, c, spec.widths.get(title, max(10, len(title) * 2 + 2)), text if title in spec.text_columns else None
            )
            if title in spec.choices:
                values = spec.choices[title]
                for r, v in enumerate(values):
                    lists.write_string(r, list_col, v)
                col = xlsxwriter.utility.xl_col_to_name(list_col)
                ws.data_validation(
                    1,
                    c,
                    100000,
                    c,
                    {
                        "validate": "list",
                        "source": f"=_lists!${col}$1:${col}${len(values)}",
                        "error_title": "请从下拉列表中选择",
                        "error_message": "Choose a value from the list",
                    },
                )
                list_col += 1
        for r, row in enumerate(spec.rows, start=1):
            for c, v in enumerate(row):
                if v is None:
                    continue
                if spec.columns[c] in spec.text_columns or isinstance(v, str):
                    ws.write_string(r, c, str(v))
                else:
                    ws.write(r, c, v)
        ws.freeze_panes(1, 0)
    lists.hide()
    wb.close()
    if out is None:
        assert isinstance(buf, io.BytesIO)
        return buf.getvalue()
    return b""
