"""Spreadsheet helpers: read uploaded CSV/XLSX safely (bounded, see "reading"), write XLSX with dropdowns."""

from __future__ import annotations

import csv
import html
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

import xlsxwriter
from python_calamine import CalamineWorkbook

from bangfu.core.errors import ApplicationError, FieldProblem, ValidationFailed

# --- reading ------------------------------------------------------------------------------------
#
# Every uploaded spreadsheet is read here, by `open_workbook` (xlsx) or `read_table` (xlsx, csv).
# calamine builds a sheet as one dense block from A1 to its last cell (rows × columns × 32 bytes)
# the moment the sheet is opened: a 1.5 KB file with a cell at XFD1048576 asks for 512 GB and the
# process aborts. So before calamine sees a sheet, its XML is decompressed here, in bounded
# pieces, and every cell is checked to lie inside the bounds: the sheet's declared dimension
# (`<dimension ref=…>`) when it is present and within the limits, else the limits themselves. A
# cell outside, or a cell written in a form calamine would place without us seeing where, refuses
# the file. What is measured is what the parts really decompress to, never what the zip says.

MB = 1024 * 1024
CHUNK_IN = 64 * 1024
CHUNK_OUT = MB
TAG_WINDOW = 128  # a tag we judge (`<c r="XFD1048576"`) fits in this many bytes after its '<'


@dataclass(frozen=True)
class Limits:
    """What one uploaded spreadsheet may be. The defaults fit a county registry of 120,000 households."""

    file_bytes: int = 50 * MB  # the upload as sent
    unzipped_bytes: int = 700 * MB  # every part of an .xlsx, decompressed
    rows: int = 500_000  # rows of a sheet, counted from row 1 to its last cell
    columns: int = 64  # columns of a sheet, counted from column A
    cells: int = 10_000_000  # rows × columns: what calamine allocates for a sheet
    cell_chars: int = 5_000  # the text of one cell


LIMITS = Limits()


def too_large(zh: str, en: str) -> ApplicationError:
    return ApplicationError(zh=zh, en=en, code="too_large", status=413)


def _unreadable(zh: str = "", en: str = "") -> ApplicationError:
    return ApplicationError(
        zh=f"无法读取表格文件{zh}，请用 Excel 或 WPS 打开后另存为 .xlsx 再上传",
        en=f"The spreadsheet cannot be read{en}; open it in Excel or WPS, save it as .xlsx and upload that",
        code="bad_file",
        status=422,
    )


def upload_bytes(upload: Any, limits: Limits = LIMITS) -> bytes:
    """The content of an uploaded file, refused (413) before it is read when it is too big."""
    size = getattr(upload, "size", None)
    if size is not None and size > limits.file_bytes:
        raise _file_too_big(size, limits)
    data: bytes = upload.read(limits.file_bytes + 1)
    if len(data) > limits.file_bytes:
        raise _file_too_big(len(data), limits)
    return data


def _file_too_big(size: int, limits: Limits) -> ApplicationError:
    return too_large(
        f"文件过大（{size / MB:.1f} MB），上限为 {limits.file_bytes // MB} MB，请分批上传",
        f"The file is too large ({size / MB:.1f} MB; the limit is {limits.file_bytes // MB} MB); upload it in parts",
    )


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _col_letters(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def _up_to(n: int, digits: bool) -> str:
    """A regex for exactly the row numbers 1..n (digits) or the column names A..n (letters)."""
    text = str(n) if digits else _col_letters(n)
    alphabet, any_char = ("0123456789", "[0-9]") if digits else (_LETTERS, "[A-Z]")
    parts = []
    if len(text) > 1:  # every shorter one
        parts.append(f"[1-9][0-9]{{0,{len(text) - 2}}}" if digits else f"[A-Z]{{1,{len(text) - 1}}}")
    for i, ch in enumerate(text):  # same length: equal up to i, smaller at i, anything after
        low = "1" if digits and i == 0 else alphabet[0]
        if ch > low:
            rest = len(text) - i - 1
            parts.append(f"{text[:i]}[{low}-{chr(ord(ch) - 1)}]" + (f"{any_char}{{{rest}}}" if rest else ""))
    parts.append(text)
    return "(?:" + "|".join(parts) + ")"


_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_DIMENSION = re.compile(
    rb'<(?:[A-Za-z_][\w.\-]*:)?dimension\s+ref="\$?([A-Z]{1,3})?\$?(\d{1,7})?(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?"'
)
_ANY_REF = rb"[A-Z]{1,3}[1-9][0-9]{0,6}"
_CELL_REF = re.compile(rb'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"')
_PREFIXED = re.compile(rb"([\w.\-]*):c[\s/>]")


@dataclass
class _SheetScan:
    """Checks one worksheet part as it is decompressed (see the module note above)."""

    part: str
    limits: Limits
    head: bytes = b""
    bad: re.Pattern[bytes] | None = None
    exact: bool = False
    max_row: int = 0
    max_col: int = 0
    carry: bytes = b""
    tail: bytes = b""

    def feed(self, out: bytes) -> None:
        if self.bad is None:
            self.head += out
            if b"<sheetData" not in self.head and b":sheetData" not in self.head and len(self.head) < 4 * MB:
                return
            self._start()
            out, self.head = self.head, b""
        buf = self.carry + out if self.carry else out
        cut = buf.rfind(b"<", max(0, len(buf) - TAG_WINDOW))
        end = cut if cut >= 0 else len(buf)
        self._scan(buf, end)
        self.carry = buf[end:]

    def _start(self) -> None:
        head = self.head[:256].lstrip(b"\xef\xbb\xbf")
        if not head.startswith(b"<") or b"\x00" in head:  # UTF-16 or not XML: our byte patterns would not see it
            raise _unreadable("（编码不是 UTF-8）", " (not UTF-8 XML)")
        m = _DIMENSION.search(self.head)
        rows, cols = self.limits.rows, self.limits.columns
        if m and m.group(2):
            last_col = m.group(3) or m.group(1) or b"A"
            last_row = m.group(4) or m.group(2)
            rows, cols = int(last_row), _col_number(last_col)
        if 0 < rows <= self.limits.rows and 0 < cols <= self.limits.columns and rows * cols <= self.limits.cells:
            # The fast path: every cell must lie inside the declared dimension (which is within limits).
            allowed = _up_to(cols, digits=False) + _up_to(rows, digits=True)
            self.max_row, self.max_col = rows, cols
        else:
            # No usable dimension: find the real extent of the cells (slower), refuse it if too large.
            self.exact = True
            allowed = _ANY_REF.decode()
        self.bad = re.compile(rb'<c(?=[\s/>])(?! r="' + allowed.encode() + rb'")')

    def _scan(self, buf: bytes, end: int) -> None:
        assert self.bad is not None
        m = self.bad.search(buf, 0, end)
        if m and not self.exact and _CELL_REF.match(buf, m.start()):
            # A cell outside the declared dimension: the dimension is wrong, so measure the real extent
            # (the cells before this one were inside the dimension, which stays the lower bound).
            self.exact, self.bad = True, re.compile(rb'<c(?=[\s/>])(?! r="' + _ANY_REF + rb'")')
            m = self.bad.search(buf, 0, end)
        if m:
            raise _unreadable("（单元格写法不规范）", " (cells written in an unusual form)")
        if buf.find(b":c", 0, end) >= 0:
            self._prefixed(self.tail + buf[:end])
        if self.exact:
            for col, row in _CELL_REF.findall(buf, 0, end):
                self.max_row = max(self.max_row, int(row))
                self.max_col = max(self.max_col, _col_number(col))
            self._check_extent()
        self.tail = buf[max(0, end - TAG_WINDOW) : end]

    def _prefixed(self, seg: bytes) -> None:
        """calamine takes `<x:c …>` for a cell too: refuse a cell element with a namespace prefix."""
        for m in _PREFIXED.finditer(seg):
            if m.start() == 0 or seg[m.start() - 1 : m.start()] == b"<":
                raise _unreadable("（单元格写法不规范）", " (cells written in an unusual form)")

    def _check_extent(self) -> None:
        if self.max_row > self.limits.rows or self.max_col > self.limits.columns:
            self._refuse(self.max_row, self.max_col)
        if self.max_row * self.max_col > self.limits.cells:
            self._refuse(self.max_row, self.max_col)

    def _refuse(self, row: int, col: int) -> None:
        lim = self.limits
        raise too_large(
            f"工作表的使用范围过大（至 {_col_letters(col)}{row}，即 {row:,} 行 × {col} 列）。上限为 {lim.rows:,} 行、"
            f"{lim.columns} 列、共 {lim.cells:,} 个单元格。请删除数据以外的行和列（或分批上传）后重新上传",
            f"The sheet's used range is too large (up to {_col_letters(col)}{row}: {row:,} rows × {col} columns). "
            f"The limits are {lim.rows:,} rows, {lim.columns} columns and {lim.cells:,} cells; delete the rows and "
            "columns outside your data (or upload in parts) and try again",
        )

    def close(self) -> None:
        if self.bad is None:
            if b"<sheetData" not in self.head and b":sheetData" not in self.head:
                return  # a sheet without data (or a part that only mentions worksheets)
            self._start()
            self.carry, self.head = self.head, b""
        self._scan(self.carry, len(self.carry))
        self.carry = b""


def _part_output(data: memoryview, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The decompressed bytes of one zip member, in pieces of at most CHUNK_OUT bytes."""
    if info.flag_bits & 0x1:
        raise _unreadable("（文件已加密）", " (the file is encrypted)")
    off = info.header_offset
    if bytes(data[off : off + 4]) != b"PK\x03\x04":
        raise _unreadable()
    name_len, extra_len = struct.unpack_from("<HH", data, off + 26)
    start = off + 30 + name_len + extra_len
    comp = data[start : start + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        return (bytes(comp[i : i + CHUNK_OUT]) for i in range(0, len(comp), CHUNK_OUT))
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise _unreadable("（压缩方式不受支持）", " (unsupported compression)")
    return _inflate(comp)


def _inflate(comp: memoryview) -> Iterator[bytes]:
    """Raw deflate, never more than CHUNK_OUT bytes at a time (a bomb is stopped by the caller's count)."""
    d = zlib.decompressobj(-15)
    pos = 0
    while not d.eof:
        if d.unconsumed_tail:
            out = d.decompress(d.unconsumed_tail, CHUNK_OUT)
        elif pos < len(comp):
            out = d.decompress(comp[pos : pos + CHUNK_IN], CHUNK_OUT)
            pos += CHUNK_IN
        else:
            out = d.decompress(b"", CHUNK_OUT) or d.flush()
            if not out:
                return
        if out:
            yield out


def _zip_members(data: bytes) -> list[zipfile.ZipInfo]:
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _unreadable() from None
    names = [i.filename for i in infos]
    if len(names) != len(set(names)) or len(names) > 10_000:
        raise _unreadable()
    return infos


_TARGET = re.compile(rb"""Target\s*=\s*["']([^"']*)["']""")


def _sheet_parts(view: memoryview, infos: list[zipfile.ZipInfo]) -> set[str]:
    """The parts calamine would read as sheets: every target of xl/_rels/workbook.xml.rels, resolved its way."""
    rels = next((i for i in infos if i.filename == "xl/_rels/workbook.xml.rels"), None)
    if rels is None:
        return set()
    text = b""
    for out in _part_output(view, rels):
        text += out
        if len(text) > 4 * MB:
            raise _unreadable()
    parts = set()
    for raw in _TARGET.findall(text):
        t = html.unescape(raw.decode("utf-8", "replace")).replace("\\", "/")
        parts.add(
            t[1:]
            if t.startswith("/xl/")
            else t
            if t.startswith("xl/")
            else f"xl{t}"
            if t.startswith("/")
            else f"xl/{t}"
        )
    return parts


def check_xlsx(data: bytes, limits: Limits = LIMITS) -> int:
    """Refuse (413/422) an .xlsx that would take more memory than `limits` allow to read; see above.

    Returns the rows of its longest sheet (from row 1 to the last cell, or as declared)."""
    if len(data) > limits.file_bytes:
        raise _file_too_big(len(data), limits)
    view = memoryview(data)
    total = rows = 0
    try:
        infos = _zip_members(data)
        sheets = _sheet_parts(view, infos)
        for info in infos:
            scan = _SheetScan(info.filename, limits) if info.filename in sheets else None
            for n, out in enumerate(_part_output(view, info)):
                total += len(out)
                if total > limits.unzipped_bytes:
                    raise too_large(
                        f"文件解压后过大（超过 {limits.unzipped_bytes // MB} MB），请分批上传",
                        f"The file unpacks to more than {limits.unzipped_bytes // MB} MB; upload it in parts",
                    )
                if n == 0 and scan is None and (b"worksheet" in out[:65536] or b"sheetData" in out[:65536]):
                    scan = _SheetScan(info.filename, limits)
                if scan is not None:
                    scan.feed(out)
            if scan is not None:
                scan.close()
                rows = max(rows, scan.max_row)
    except zlib.error:
        raise _unreadable() from None
    return rows


class Workbook:
    """An .xlsx that passed `check_xlsx`; each `rows` call opens its own calamine reader, so two
    threads may read two sheets at once (calamine parses without holding the GIL)."""

    def __init__(self, data: bytes, max_rows: int = 0) -> None:
        self.data = data
        self.max_rows = max_rows  # rows of the longest sheet, as checked (to choose a background job)
        self.sheet_names: list[str] = _calamine(data).sheet_names

    def require(self, *sheets: str) -> None:
        """Refuse (422) a workbook without one of these sheets, naming the sheet the template has."""
        for name in sheets:
            if name not in self.sheet_names:
                raise missing_sheet(name)

    def rows(self, sheet: str) -> list[list[Any]]:
        """The cell values of the sheet named `sheet` from A1, blank rows kept (row numbers match what
        Excel shows). Sheets are found by name, never by position: a template's first sheet may be
        another one once a person has saved it (Excel keeps the sheet that was open)."""
        self.require(sheet)
        try:
            return _calamine(self.data).get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except ApplicationError:
            raise
        except Exception:
            raise _unreadable() from None


def missing_sheet(name: str) -> ApplicationError:
    """The one refusal for a workbook that lacks the template's sheet (every reader names its sheet)."""
    return ApplicationError(
        zh=f"找不到工作表“{name}”。请下载并使用系统提供的模板，不要修改工作表的名称",
        en=f"The workbook has no sheet named “{name}”. Download and use the template, and keep its sheet names",
        code="wrong_template",
        status=422,
    )


def _calamine(data: bytes) -> CalamineWorkbook:
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception:
        raise _unreadable() from None


def open_workbook(data: bytes, filename: str, limits: Limits = LIMITS) -> Workbook:
    """The one way to open an uploaded workbook: .xlsx only, checked against `limits` first."""
    if not filename.lower().endswith((".xlsx", ".xlsm")):
        raise ApplicationError(
            zh="只支持 .xlsx 文件（.xls/.ods 请另存为 .xlsx）",
            en="Only .xlsx files are accepted (save .xls/.ods files as .xlsx)",
            code="bad_file",
            status=422,
        )
    return Workbook(data, check_xlsx(data, limits))


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def cell_too_long(row: int, col: int, limits: Limits = LIMITS) -> ValidationFailed:
    where = f"{_col_letters(col + 1)}{row}"
    return ValidationFailed(
        [
            FieldProblem(
                where,
                f"单元格内容超过{limits.cell_chars}字",
                f"the cell has more than {limits.cell_chars} characters",
                row=row,
            )
        ],
        zh=f"单元格 {where} 的内容超过{limits.cell_chars}字，请检查文件",
        en=f"Cell {where} holds more than {limits.cell_chars} characters; check the file",
    )


def _texts(raw: Iterable[Sequence[Any]], limits: Limits) -> list[list[str]]:
    rows = []
    for n, r in enumerate(raw, start=1):
        cells = [_cell(c) for c in r]
        for i, c in enumerate(cells):
            if len(c) > limits.cell_chars:
                raise cell_too_long(n, i, limits)
        rows.append(cells)
    return rows


def _csv_rows(data: bytes, limits: Limits) -> Iterator[list[str]]:
    if len(data) > limits.file_bytes:
        raise _file_too_big(len(data), limits)
    try:
        text = data.decode("utf-8-sig", errors="strict") if data else ""
    except UnicodeDecodeError:
        raise ApplicationError(
            zh="CSV 文件须为 UTF-8 编码", en="CSV files must be UTF-8 encoded", code="bad_file", status=422
        ) from None
    reader = csv.reader(io.StringIO(text))
    try:
        for n, r in enumerate(reader, start=1):
            if n > limits.rows or len(r) > limits.columns:
                raise too_large(
                    f"CSV 文件超过上限（{limits.rows:,} 行、{limits.columns} 列），请分批上传",
                    f"The CSV file exceeds the limits ({limits.rows:,} rows, {limits.columns} columns); "
                    "upload it in parts",
                )
            yield r
    except csv.Error:
        raise ApplicationError(
            zh="CSV 文件格式有误（或单元格过长）",
            en="The CSV file is malformed (or a cell is too long)",
            code="bad_file",
            status=422,
        ) from None


def read_table(data: bytes, filename: str, *, sheet: str, limits: Limits = LIMITS) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the sheet named `sheet` (a CSV file is one sheet), every cell as stripped
    text; blank rows dropped. A workbook without that sheet is refused with its name (`missing_sheet`)."""
    if filename.lower().endswith(".csv"):
        rows = _texts(_csv_rows(data, limits), limits)
    else:
        rows = _texts(open_workbook(data, filename, limits).rows(sheet), limits)
    rows = [r for r in rows if any(c for c in r)]
    if not rows and filename.lower().endswith(".csv"):
        raise ApplicationError(zh="文件是空的", en="The file is empty", code="bad_file", status=422)
    if not rows:
        raise ApplicationError(
            zh=f"工作表“{sheet}”是空的", en=f"The sheet “{sheet}” is empty", code="bad_file", status=422
        )
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
    required: set[str] = field(default_factory=set)  # headers marked (red, with a note) as to be filled
    # lines above the table of a report (填报单位, 制表日期), then a blank line; a template has none, so its
    # header stays on row 1 where the importers look for it
    title: list[str] = field(default_factory=list)


REQUIRED_NOTE = "必填 Required"


def _write_sheet(ws: Any, spec: SheetSpec, formats: tuple[Any, ...], list_values: list[list[str]]) -> None:
    """One data sheet; its dropdowns point at columns of `_lists` (their values appended to list_values)."""
    head, text, must = formats
    for r, line in enumerate(spec.title):
        ws.write_string(r, 0, line)
    top = len(spec.title) + 1 if spec.title else 0  # the header row
    for c, title in enumerate(spec.columns):
        ws.write_string(top, c, title, must if title in spec.required else head)
        if title in spec.required:
            ws.write_comment(top, c, REQUIRED_NOTE)
        ws.set_column(
            c, c, spec.widths.get(title, max(10, len(title) * 2 + 2)), text if title in spec.text_columns else None
        )
        if title in spec.choices:
            values = spec.choices[title]
            col = xlsxwriter.utility.xl_col_to_name(len(list_values))
            list_values.append(values)
            ws.data_validation(
                1,
                c,
                100000,
                c,
                {
                    "validate": "list",
                    "source": f"={LISTS_SHEET}!${col}$1:${col}${len(values)}",
                    "error_title": "请从下拉列表中选择",
                    "error_message": "Choose a value from the list",
                },
            )
    for r, row in enumerate(spec.rows, start=top + 1):
        for c, v in enumerate(row):
            if v is None:
                continue
            if spec.columns[c] in spec.text_columns or isinstance(v, str):
                ws.write_string(r, c, str(v))
            else:
                ws.write(r, c, v)
    ws.freeze_panes(top + 1, 0)


LISTS_SHEET = "_lists"


def write_workbook(sheets: list[SheetSpec], out: IO[bytes] | None = None) -> bytes:
    """The one writer of every workbook the product hands out (templates, exports, reports): the sheets
    in order, the first one active when the file opens; dropdown values go to a hidden `_lists` sheet
    placed last (written only when a sheet has a dropdown), so nobody opens a file on an empty sheet
    and a reader finds the data by its sheet's name."""
    buf = out or io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False})
    head = {"bold": True, "bg_color": "#DDEBF7", "border": 1}
    formats = (wb.add_format(head), wb.add_format({"num_format": "@"}), wb.add_format(head | {"font_color": "#C00000"}))
    list_values: list[list[str]] = []
    written = [wb.add_worksheet(spec.name) for spec in sheets]
    for ws, spec in zip(written, sheets, strict=True):
        _write_sheet(ws, spec, formats, list_values)
    if list_values:
        lists = wb.add_worksheet(LISTS_SHEET)
        for list_col, values in enumerate(list_values):
            for r, v in enumerate(values):
                lists.write_string(r, list_col, v)
        lists.hide()
    written[0].activate()
    wb.close()
    if out is None:
        assert isinstance(buf, io.BytesIO)
        return buf.getvalue()
    return b""
