"""The one reader of uploaded spreadsheets (core.excel) refuses workbooks that would exhaust memory.

calamine allocates a sheet densely from A1 to its last cell when the sheet is opened; these files
are tiny but ask for gigabytes (security review D4). They must be refused before calamine sees them.
"""

from __future__ import annotations

import io
import resource
import tracemalloc
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from bangfu.core import excel
from bangfu.core.errors import ApplicationError
from bangfu.testing import bomb_xlsx, xlsx_parts

MB = 1024 * 1024


@contextmanager
def small_memory(limit_mb: int = 60) -> Iterator[None]:
    """Neither Python objects (tracemalloc) nor the process peak (calamine's own memory) grow much."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    tracemalloc.start()
    try:
        yield
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert peak < limit_mb * MB, f"Python allocations peaked at {peak / MB:.0f} MB"
    assert grown < limit_mb, f"the process grew by {grown:.0f} MB"


@pytest.mark.parametrize(
    ("last", "dimension"),
    [
        ("XFD1048576", None),  # 512 GB asked of calamine: aborted the worker
        ("ALL20000", None),  # 1.1 GB RSS
        ("XFD1048576", "A1:B2"),  # a dimension that lies about a far cell
        ("BZ300000", "A1"),  # 78 columns × 300,000 rows behind a one-cell dimension
    ],
)
def test_bomb_is_refused_413_before_calamine_allocates(last: str, dimension: str | None) -> None:
    data = bomb_xlsx(last, dimension)
    assert len(data) < 2000
    with small_memory(), pytest.raises(ApplicationError) as e:
        excel.read_table(data, "bomb.xlsx", sheet="Sheet1")
    assert e.value.status == 413 and e.value.code == "too_large"
    assert last in e.value.en and last in e.value.zh


def test_small_lying_dimension_is_measured_not_refused() -> None:
    data = bomb_xlsx("C5", dimension="A1")
    header, rows = excel.read_table(data, "ok.xlsx", sheet="Sheet1")
    assert header == ["身份证号", "", ""] and rows == [["", "", "1"]]


def test_sheet_without_dimension_is_measured() -> None:
    body = '<sheetData><row r="1"><c r="A1"><v>7</v></c><c r="B1" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    assert excel.read_table(xlsx_parts({"S": body}), "a.xlsx", sheet="S") == (["7", "x"], [])
    far = (
        '<sheetData><row r="1"><c r="A1"><v>7</v></c></row>'
        '<row r="900000"><c r="A900000"><v>1</v></c></row></sheetData>'
    )
    with pytest.raises(ApplicationError) as e:
        excel.read_table(xlsx_parts({"S": far}), "a.xlsx", sheet="S")
    assert e.value.status == 413


@pytest.mark.parametrize(
    "cell",
    [
        "<c><v>1</v></c>",  # no reference: calamine places it by counting
        "<c r='XFD1'><v>1</v></c>",  # other quoting
        '<c s="1" r="XFD1"><v>1</v></c>',  # reference not first
        '<x:c xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" r="XFD1"><x:v>1</x:v></x:c>',
    ],
)
def test_cells_written_so_we_cannot_see_where_they_go_are_refused_422(cell: str) -> None:
    body = f'<dimension ref="A1:B2"/><sheetData><row r="1"><c r="A1"><v>1</v></c>{cell}</row></sheetData>'
    with pytest.raises(ApplicationError) as e:
        excel.read_table(xlsx_parts({"S": body}), "a.xlsx", sheet="S")
    assert e.value.status == 422 and e.value.code == "bad_file"


def test_zip_bomb_is_refused_by_what_it_really_unpacks_to() -> None:
    filler = "<row/>" * (2 * MB // 6)  # compresses ~1000:1
    data = xlsx_parts(
        {"S": f'<dimension ref="A1"/><sheetData><row r="1"><c r="A1"><v>1</v></c></row>{filler}</sheetData>'}
    )
    assert len(data) < 40_000
    with pytest.raises(ApplicationError) as e:
        excel.check_xlsx(data, excel.Limits(unzipped_bytes=1 * MB))
    assert e.value.status == 413
    excel.check_xlsx(data)  # within the default limits


def test_a_too_long_cell_is_refused_with_its_place() -> None:
    long = "长" * 6000
    body = (
        '<sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
        f'<row r="2"><c r="B2" t="inlineStr"><is><t>{long}</t></is></c></row></sheetData>'
    )
    with pytest.raises(ApplicationError) as e:
        excel.read_table(xlsx_parts({"S": body}), "a.xlsx", sheet="S")
    assert e.value.status == 422 and e.value.problems[0].field == "B2" and e.value.problems[0].row == 2


def test_upload_too_big_is_refused_before_it_is_read() -> None:
    class Upload(io.BytesIO):
        size = 51 * MB

    with pytest.raises(ApplicationError) as e:
        excel.upload_bytes(Upload(b"x"))
    assert e.value.status == 413


def test_csv_limits_and_formats() -> None:
    with pytest.raises(ApplicationError) as e:
        excel.read_table(("a," * 100 + "\n").encode(), "a.csv", sheet="S")
    assert e.value.status == 413
    for name in ("a.xls", "a.ods"):
        with pytest.raises(ApplicationError) as e:
            excel.read_table(b"whatever", name, sheet="S")
        assert e.value.status == 422
    with pytest.raises(ApplicationError) as e:
        excel.read_table(b"PK\x03\x04 not a zip", "a.xlsx", sheet="S")
    assert e.value.status == 422


def test_ordinary_workbook_reads_as_before() -> None:
    data = excel.write_workbook([excel.SheetSpec("表", ["a", "b"], rows=[["x", 1], [None, 2.5]])])
    assert excel.read_table(data, "t.xlsx", sheet="表") == (["a", "b"], [["x", "1"], ["", "2.5"]])
    book = excel.open_workbook(data, "t.XLSX")
    assert book.sheet_names == ["表"]  # no dropdown, no lists sheet
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert any(n.startswith("xl/worksheets/") for n in z.namelist())


def test_written_workbook_opens_on_its_first_data_sheet_and_hides_the_lists() -> None:
    """A template opened in Excel shows its data sheet, and reading sheet 0 reads the data (the hidden
    dropdown sheet used to come first: it opened on `_lists`, visible, and sheet 0 was the lists)."""
    import openpyxl

    data = excel.write_workbook([excel.SheetSpec("数据", ["角色"], rows=[["网格员"]], choices={"角色": ["网格员"]})])
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.active.title == "数据"
    assert wb["_lists"].sheet_state == "hidden"
    assert wb.sheetnames[-1] == "_lists"
    assert excel.read_table(data, "t.xlsx", sheet="数据") == (["角色"], [["网格员"]])


def test_a_sheet_is_found_by_its_name_wherever_it_is_and_a_missing_one_is_named() -> None:
    """A person who saves the template with another sheet open (or moves the sheets) still imports
    it; a workbook without the template's sheet is refused with that sheet's name in both languages."""
    import openpyxl

    data = excel.write_workbook([excel.SheetSpec("说明", ["x"]), excel.SheetSpec("数据", ["角色"], rows=[["网格员"]])])
    wb = openpyxl.load_workbook(io.BytesIO(data))
    wb.move_sheet("数据", offset=1)
    wb.active = wb.sheetnames.index("说明")
    out = io.BytesIO()
    wb.save(out)
    assert excel.read_table(out.getvalue(), "t.xlsx", sheet="数据") == (["角色"], [["网格员"]])
    with pytest.raises(ApplicationError) as e:
        excel.read_table(out.getvalue(), "t.xlsx", sheet="农户")
    assert e.value.status == 422 and e.value.code == "wrong_template"
    assert "找不到工作表“农户”" in e.value.zh and "no sheet named “农户”" in e.value.en
