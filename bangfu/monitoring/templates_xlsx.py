"""Downloadable Excel templates for the department feeds: the data sheet named as the feed type (the
reader finds it by that name), a 姓名 column for the officer's own check, ID and date columns as text,
dropdowns for coded columns, and a sheet of instructions after the data."""

from __future__ import annotations

from bangfu.core.excel import SheetSpec, write_workbook
from bangfu.monitoring.domain.feeds import ID, NAME, SPECS
from bangfu.monitoring.services import feed_spec


def template_bytes(kind: str) -> bytes:
    spec = feed_spec(kind)
    dates = [spec.date_column, *spec.optional_dates]
    sheet = SheetSpec(
        name=spec.zh,
        columns=[ID, NAME, *spec.columns[1:]],
        text_columns={ID, *dates},
        choices={c: list(v) for c, v in spec.choices.items()},
        widths={ID: 22, **{d: 14 for d in dates}},
    )
    notes = SheetSpec(
        name="填写说明",
        columns=["填写说明"],
        rows=[
            [f"在“{spec.zh}”工作表中每行填写一人一条记录，第一行的列名不要修改。"],
            [f"日期列（{'、'.join(dates)}）请写成 2026-03-01 的格式。"],
            ["身份证号请按文本填写18位号码，末位为X的请写大写X。"],
            ["姓名列用于本部门核对，系统按身份证号匹配人员。"],
            ["金额单位为元，最多两位小数，不能为负数。"],
            ["任何一行有误，整批都不保存，页面会逐行列出问题；改正后重新上传即可。"],
        ],
        widths={"填写说明": 90},
    )
    return write_workbook([sheet, notes])


KINDS = list(SPECS)
