"""Excel import of households with their members: every row is checked first, then all rows or none.

The file has two sheets linked by 户编号: 农户 (one row per household) and 成员 (one row per
person). Field rules are the shared ones of `registry.domain.validation` (the same the forms and
the API use); this module adds what only a file can get wrong: a village outside the user's areas,
a household number or ID number repeated in the file or already registered, a household without
exactly one head, a member row pointing at no household.

Storing is set-wise (executemany over the tables and INSERT … SELECT into the history tables), so
a county's registry of 100,000 households loads in well under a minute; why, and how the history
stays truthful: docs/adr/0006-excel-import-set-wise-writes.md.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.utils import timezone

from bangfu.accounts.domain.roles import Cap
from bangfu.areas import selectors as areas
from bangfu.areas.domain.codes import Level, common_area
from bangfu.core import bulkwrite, crypto, excel
from bangfu.core import services as jobs
from bangfu.core.errors import ApplicationError, Conflict, FieldProblem, NotFound, ValidationFailed
from bangfu.core.excel import SheetSpec, require_columns, write_workbook
from bangfu.core.services import audit_record
from bangfu.core.signals import areas_changed
from bangfu.registry.domain.validation import (
    HOUSEHOLD_FLAGS,
    LABELS,
    MEMBER_CHOICES,
    MEMBER_FIELDS,
    MEMBER_STORED,
    Cleaned,
    clean_household,
    clean_member,
)
from bangfu.registry.models import Household, Member
from bangfu.registry.selectors import NOT_HERE_EN, NOT_HERE_ZH, import_reason, sees_registered

if TYPE_CHECKING:
    from bangfu.accounts.models import User
    from bangfu.core.models import Job

JOB_KIND = "registry_import"
HOUSEHOLD_SHEET = "农户"
MEMBER_SHEET = "成员"
PLACES_SHEET = "村和网格"
# (column title in the template, key understood by clean_household or by the placement checks)
HOUSEHOLD_COLUMNS: list[tuple[str, str]] = [
    ("户编号", "number"),
    ("村代码", "village"),
    ("村民小组代码", "group"),
    ("网格编号", "grid"),
    ("地址", "address"),
    ("联系电话", "phone"),
    ("脱贫户", "poverty_exited"),
    ("脱贫年度", "exit_year"),
    ("低保户", "dibao"),
    ("特困供养", "tekun"),
    ("易地搬迁户", "relocated"),
    ("整户无劳动力", "no_labour"),
]
MEMBER_COLUMNS: list[tuple[str, str]] = [("户编号", "household")] + [(LABELS[k][0], k) for k in MEMBER_FIELDS]
_YES_NO = ["是", "否"]
_LABELLED_CODE = re.compile(r"[(（]\s*(\d{12})\s*[)）]\s*$")
# Required columns: their headers are marked in the template (red, with a note).
HOUSEHOLD_REQUIRED = {"户编号", "村代码"}
MEMBER_REQUIRED = {"户编号", "姓名", "身份证号", "与户主关系"}
_FLAG_TITLES = ["脱贫户", "低保户", "特困供养", "易地搬迁户", "整户无劳动力"]


@dataclass(frozen=True)
class ImportBatch:
    """What the audit event of an import points at: the range of household ids it created."""

    pk: str


@dataclass(frozen=True)
class ImportResult:
    households: int
    members: int
    batch_id: int  # the AuditEvent recording this import; history rows name it as their reason


@dataclass
class _Household:
    row: int
    values: dict[str, Any]
    village: str
    group: str | None
    grid_id: int | None
    members: list[_Member] = field(default_factory=list)
    heads: list[str] = field(default_factory=list)  # names of the members given as 户主: one is required


class _Member(NamedTuple):
    cleaned: Cleaned
    id_hash: str


# --- template ---------------------------------------------------------------------------------


def village_label(code: str, name: str, township: str) -> str:
    """How the template's 村代码 dropdown offers a village: "平阳镇 永利村 (230225102201)"."""
    return f"{township} {name} ({code})"


def area_code_of(text: str) -> str:
    """The area code a cell means: a dropdown label ends with the code in brackets; a bare code stays."""
    found = _LABELLED_CODE.search(text)
    return found.group(1) if found else text.strip()


def template_workbook(user: User) -> bytes:
    """The empty template, with dropdowns for coded fields and the user's villages (by name) and grids."""
    visible = areas.areas_visible(user, level=Level.VILLAGE, cap=Cap.IMPORT_REGISTRY)
    labelled = list(visible.order_by("code").values_list("code", "name", "parent__name"))
    villages = [(code, name) for code, name, _ in labelled]
    grids = list(areas.grids_visible(user, cap=Cap.IMPORT_REGISTRY).values_list("code", "name", "village_id"))
    member_choices = {LABELS[k][0]: [v for v in values if v] for k, values in MEMBER_CHOICES.items()}
    households = SheetSpec(
        HOUSEHOLD_SHEET,
        [t for t, _ in HOUSEHOLD_COLUMNS],
        choices={"村代码": [village_label(*v) for v in labelled], **{t: _YES_NO for t in _FLAG_TITLES}},
        text_columns={"户编号", "村代码", "村民小组代码", "网格编号", "联系电话"},
        widths={"户编号": 20, "村代码": 34, "地址": 30},
        required=HOUSEHOLD_REQUIRED,
    )
    members = SheetSpec(
        MEMBER_SHEET,
        [t for t, _ in MEMBER_COLUMNS],
        choices=member_choices,
        text_columns={"户编号", "身份证号", "电话"},
        widths={"户编号": 20, "身份证号": 22},
        required=MEMBER_REQUIRED,
    )
    names = dict(villages)
    place_rows: list[Sequence[Any]] = [(str(v), names.get(str(v), ""), code, name) for code, name, v in grids]
    place_rows += [(c, n, "", "") for c, n in villages]
    places = SheetSpec(
        PLACES_SHEET,
        ["村代码", "村名称", "网格编号", "网格名称"],
        rows=place_rows,
        text_columns={"村代码", "网格编号"},
    )
    return write_workbook([households, members, places])


# --- reading ----------------------------------------------------------------------------------


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))  # a number typed into a text column; ID numbers typed this way fail the check digit
    return str(v).strip()


def _open(data: bytes, filename: str) -> excel.Workbook:
    """The file checked by the shared reader (bounded, see core.excel) with the template's sheets."""
    if not filename.lower().endswith((".xlsx", ".xlsm")):
        raise ApplicationError(
            zh="请上传 .xlsx 文件（用系统模板填写）",
            en="Upload an .xlsx file made from the template",
            code="bad_file",
            status=422,
        )
    book = excel.open_workbook(data, filename)
    book.require(HOUSEHOLD_SHEET, MEMBER_SHEET)
    return book


def _records(sheet: str, rows: list[list[Any]], columns: list[tuple[str, str]]) -> Iterator[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, {key: text}) for each non-blank row under the header.

    Text is left unstripped here (the validators strip it): this loop sees every cell of the file,
    and most cells are already text, so only the others are converted.
    """
    if not rows:
        raise ApplicationError(zh=f"工作表“{sheet}”是空的", en=f"Sheet '{sheet}' is empty", code="wrong_template")
    try:
        index = require_columns([_text(h) for h in rows[0]], [t for t, _ in columns])
    except ApplicationError as e:
        raise ApplicationError(zh=f"工作表“{sheet}”{e.zh}", en=f"Sheet '{sheet}': {e.en}", code=e.code) from None
    keys = [key for _, key in columns]
    cells = itemgetter(*(index[title] for title, _ in columns))
    width = max(index.values()) + 1
    for n, r in enumerate(rows[1:], start=2):
        if not any(r):
            continue
        if len(r) < width:  # calamine pads rows to the sheet's width; other readers may not
            r = [*r, *[""] * (width - len(r))]
        values = cells(r)
        try:
            joined = "".join(values)  # the common case, all text, checked in C: this loop sees every cell
            texts = values
        except TypeError:  # numbers or dates typed into the sheet
            texts = tuple(map(_text, values))
            joined = "".join(texts)
        if len(joined) > excel.LIMITS.cell_chars:
            _check_lengths(n, r)
        yield n, dict(zip(keys, texts, strict=True))


def _check_lengths(n: int, row: Sequence[Any]) -> None:
    for i, v in enumerate(row):
        if len(_text(v)) > excel.LIMITS.cell_chars:
            raise excel.cell_too_long(n, i)


# --- validation -------------------------------------------------------------------------------


class _Checker:
    """Collects every problem of the file, with its sheet, row and column."""

    def __init__(self, user: User, today: dt.date) -> None:
        self.user = user
        self.today = today
        self.problems: list[FieldProblem] = []
        self.refused = 0  # numbers registered outside the user's areas (neutral answer, audited)
        self.villages = set(
            areas.areas_visible(user, level=Level.VILLAGE, cap=Cap.IMPORT_REGISTRY).values_list("code", flat=True)
        )
        self.groups = set(
            areas.areas_visible(user, level=Level.GROUP, cap=Cap.IMPORT_REGISTRY).values_list("code", flat=True)
        )
        self.grids = {
            code: (pk, str(village))  # the village's code: Grid.village points at Area.code
            for pk, code, village in areas.grids_visible(user, cap=Cap.IMPORT_REGISTRY).values_list(
                "pk", "code", "village_id"
            )
        }

    def refuse(
        self, sheet: str, row: int, key: str, what_zh: str, what_en: str, columns: list[tuple[str, str]]
    ) -> None:
        """A number registered outside the user's areas: the neutral answer, never "already registered" (D9)."""
        self.refused += 1
        self.add(sheet, row, key, what_zh + NOT_HERE_ZH, f"{what_en} {NOT_HERE_EN}", columns)

    def add(self, sheet: str, row: int, key: str, zh: str, en: str, columns: list[tuple[str, str]]) -> None:
        title = next((t for t, k in columns if k == key), key)
        self.problems.append(FieldProblem(f"{sheet}!{title}", zh, en, row=row))

    def household(self, n: int, raw: dict[str, str]) -> _Household:
        cleaned = clean_household(raw, this_year=self.today.year)
        for p in cleaned.problems:
            self.add(HOUSEHOLD_SHEET, n, p.field, p.zh, p.en, HOUSEHOLD_COLUMNS)
        village, group, grid = area_code_of(raw["village"]), raw["group"].strip() or None, raw["grid"].strip()
        if village not in self.villages:
            self.add(
                HOUSEHOLD_SHEET,
                n,
                "village",
                f"村代码“{village}”不存在或不在您的管辖范围内，请从下拉列表中选择",
                "the village code is unknown or outside your areas; choose one from the list",
                HOUSEHOLD_COLUMNS,
            )
        if group and (group not in self.groups or not group.startswith(village)):
            self.add(
                HOUSEHOLD_SHEET,
                n,
                "group",
                f"村民小组代码“{group}”不属于该村",
                "the village group code is not a group of that village",
                HOUSEHOLD_COLUMNS,
            )
        grid_id = None
        if grid:
            found = self.grids.get(grid)
            if found is None or found[1] != village:
                self.add(
                    HOUSEHOLD_SHEET,
                    n,
                    "grid",
                    f"网格编号“{grid}”不属于该村，请查看“{PLACES_SHEET}”工作表",
                    f"grid '{grid}' is not a grid of that village; see the sheet '{PLACES_SHEET}'",
                    HOUSEHOLD_COLUMNS,
                )
            else:
                grid_id = found[0]
        return _Household(n, cleaned.values, village, group, grid_id)

    def member(self, n: int, raw: dict[str, str]) -> Cleaned:
        cleaned = clean_member(raw, today=self.today)
        for p in cleaned.problems:
            self.add(MEMBER_SHEET, n, p.field, p.zh, p.en, MEMBER_COLUMNS)
        return cleaned


def _check_households(checker: _Checker, rows: list[list[Any]]) -> dict[str, _Household]:
    by_number: dict[str, _Household] = {}
    for n, raw in _records(HOUSEHOLD_SHEET, rows, HOUSEHOLD_COLUMNS):
        h = checker.household(n, raw)
        number = h.values["number"]
        if number in by_number:
            checker.add(
                HOUSEHOLD_SHEET,
                n,
                "number",
                f"户编号{number}与第{by_number[number].row}行重复",
                f"household number repeats row {by_number[number].row}",
                HOUSEHOLD_COLUMNS,
            )
        else:
            by_number[number] = h
    taken = _existing(Household, "number", list(by_number))
    rows_taken = Household.objects.filter(number__in=taken).values_list("number", "village_id", "grid_id")
    places = {n: (v, g) for n, v, g in rows_taken}
    for number in taken:
        h = by_number[number]
        if number in places and not sees_registered(checker.user, *places[number]):
            checker.refuse(HOUSEHOLD_SHEET, h.row, "number", "该户编号", "this household number", HOUSEHOLD_COLUMNS)
            continue
        checker.add(
            HOUSEHOLD_SHEET,
            h.row,
            "number",
            f"户编号{number}已登记在册，不能重复导入",
            "that household number is already registered",
            HOUSEHOLD_COLUMNS,
        )
    return by_number


def _check_members(checker: _Checker, rows: list[list[Any]], households: dict[str, _Household]) -> None:
    seen: dict[str, int] = {}  # lookup hash → row, to find an ID number given twice
    for n, raw in _records(MEMBER_SHEET, rows, MEMBER_COLUMNS):
        cleaned = checker.member(n, raw)
        h = _member_household(checker, n, raw["household"].strip(), households)
        digest = _member_digest(checker, n, cleaned, seen)
        if h is not None and digest is not None:
            h.members.append(_Member(cleaned, digest))
            if cleaned.values["relation"] == "户主":
                h.heads.append(cleaned.values["name"])
    taken = _existing(Member, "id_hash", list(seen))
    places = dict(
        (d, (v, g))
        for d, v, g in Member.objects.filter(id_hash__in=taken).values_list(
            "id_hash", "household__village_id", "household__grid_id"
        )
    )
    for digest in taken:
        if digest in places and not sees_registered(checker.user, *places[digest]):
            checker.refuse(MEMBER_SHEET, seen[digest], "id_number", "该身份证号", "this ID number", MEMBER_COLUMNS)
            continue
        checker.add(
            MEMBER_SHEET,
            seen[digest],
            "id_number",
            "该身份证号已登记在册（可按身份证号查找该人）",
            "that ID number is already registered (find the person by ID number)",
            MEMBER_COLUMNS,
        )
    for h in households.values():
        if len(h.heads) != 1:
            checker.add(
                HOUSEHOLD_SHEET,
                h.row,
                "number",
                f"该户在“{MEMBER_SHEET}”表中有{len(h.heads)}名户主，须有且只有一名",
                f"the household has {len(h.heads)} heads in '{MEMBER_SHEET}'; it needs exactly one",
                HOUSEHOLD_COLUMNS,
            )


def _member_household(checker: _Checker, n: int, number: str, households: dict[str, _Household]) -> _Household | None:
    h = households.get(number)
    if h is None:
        checker.add(
            MEMBER_SHEET,
            n,
            "household",
            f"户编号“{number}”在“{HOUSEHOLD_SHEET}”表中没有",
            f"household number not found in the sheet '{HOUSEHOLD_SHEET}'",
            MEMBER_COLUMNS,
        )
    return h


def _member_digest(checker: _Checker, n: int, cleaned: Cleaned, seen: dict[str, int]) -> str | None:
    """The ID number's lookup hash, or None when it is invalid or repeats an earlier row."""
    if cleaned.id_number is None:
        return None
    digest = crypto.lookup_hash(cleaned.id_number.value)
    first = seen.setdefault(digest, n)
    if first != n:
        checker.add(
            MEMBER_SHEET,
            n,
            "id_number",
            f"身份证号与第{first}行重复",
            f"the ID number repeats row {first}",
            MEMBER_COLUMNS,
        )
        return None
    return digest


def _existing(model: type[Model], column: str, values: Sequence[str]) -> list[str]:
    """Which of `values` are already stored (unscoped on purpose: numbers are unique registry-wide)."""
    return [v for v, _ in bulkwrite.lookup(model, column, "id", values)]


# --- import -----------------------------------------------------------------------------------


def household_import(
    *,
    actor: User,
    data: bytes,
    filename: str,
    today: dt.date | None = None,
    progress: jobs.JobProgress | None = None,
) -> ImportResult:
    """Check every row of the file; store all households and members, or nothing with the full report.

    `progress(percent, phase, phase_en)` is called between the steps (the background job's progress bar).
    """
    say = progress or (lambda _p, _s, _e: None)
    if areas.scope_for(actor, Cap.IMPORT_REGISTRY).empty:
        raise NotFound()  # the import does not exist for a role without it (reveals nothing)
    book = _open(data, filename)  # a wrong or oversized file fails here, before any work starts
    today = today or timezone.localdate()
    say(5, "读取并检查文件", "Reading and checking the file")
    with bulkwrite.paused_gc():
        households = _checked(actor, book, today, say)
        say(70, f"保存{len(households)}户", f"Storing {len(households)} households")
        try:
            return _store(actor, households, today)
        except IntegrityError:
            # Someone registered the same household or person between our check and our insert.
            raise Conflict(
                "导入期间有相同户编号或身份证号被他人登记，未导入任何数据，请重新导入",
                "A household number or ID number was registered meanwhile; nothing imported, try again",
                "duplicate",
            ) from None


def household_import_start(*, actor: User, data: bytes, filename: str) -> ImportResult | Job:
    """Import a small file now; a file of more than settings.BANGFU_BACKGROUND_ROWS rows becomes a job
    for `bangfu worker` (the upload request answers at once; the import page follows its progress)."""
    if areas.scope_for(actor, Cap.IMPORT_REGISTRY).empty:
        raise NotFound()
    book = _open(data, filename)  # bounded check of the file before anything is queued
    if book.max_rows <= settings.BANGFU_BACKGROUND_ROWS:
        return household_import(actor=actor, data=data, filename=filename)
    from bangfu.registry.tasks import household_import_job  # tasks import this module

    job = jobs.job_create(
        owner=actor,
        kind=JOB_KIND,
        title=f"Excel导入农户：{filename}",
        title_en=f"Import households: {filename}",
        filename=filename,
        payload=data,
    )
    transaction.on_commit(lambda: household_import_job.enqueue(str(job.pk)))
    return job


def _checked(actor: User, book: excel.Workbook, today: dt.date, say: jobs.JobProgress) -> list[_Household]:
    """Every row of the file checked; the households with their members, or ValidationFailed."""
    checker = _Checker(actor, today)
    # calamine parses a sheet without holding the GIL: the member sheet (three quarters of the
    # file) is read by a second thread while this one reads and checks the households.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-read") as pool:
        member_rows = pool.submit(book.rows, MEMBER_SHEET)
        households = _check_households(checker, book.rows(HOUSEHOLD_SHEET))
        say(30, f"已检查{len(households)}户，检查成员", f"{len(households)} households checked; checking members")
        _check_members(checker, member_rows.result(), households)
    if checker.refused:
        _audit_refused(actor, checker.refused)
    if checker.problems:
        checker.problems.sort(key=lambda p: (p.field.split("!")[0] != HOUSEHOLD_SHEET, p.row or 0))
        raise ValidationFailed(
            checker.problems,
            zh=f"发现{len(checker.problems)}处错误，未导入任何数据。请按错误报告修改后重新导入",
            en=f"{len(checker.problems)} problems found; nothing was imported. Correct them and import again",
        )
    if not households:
        raise ApplicationError(
            zh=f"“{HOUSEHOLD_SHEET}”表中没有数据", en="The households sheet has no rows", code="empty"
        )
    return list(households.values())


def _audit_refused(actor: User, rows: int) -> None:
    """Numbers of other areas in an import are logged (the import then fails as a whole, D9)."""
    prefixes = areas.scope_for(actor, Cap.IMPORT_REGISTRY).prefixes
    area = (prefixes[0] + "0" * 12)[:12] if prefixes else ""
    audit_record(
        actor=actor,
        action="registration_refused",
        obj=Household(village_id=area),
        area_code=area,
        data={"field": "import", "rows": rows},
    )


# --- storing (set-wise) -----------------------------------------------------------------------

# The cleaned values stored as they are, in a fixed order (clean_household / clean_member keys).
_HOUSEHOLD_KEYS = ("number", "address", "phone", *HOUSEHOLD_FLAGS, "exit_year")
_HOUSEHOLD_GIVEN = (
    *_HOUSEHOLD_KEYS,
    "village_id",
    "group_id",
    "grid_id",
    "head_name",
    "size",
    "dibao_since",
    "tekun_since",
    "no_labour_since",
)
_MEMBER_GIVEN = (*MEMBER_STORED, "household_id", "id_hash", "id_enc", "id_masked", "birth_date", "sex")


@transaction.atomic
def _store(actor: User, households: list[_Household], today: dt.date) -> ImportResult:
    now = timezone.now()
    day = connection.ops.adapt_datefield_value(today)
    bulkwrite.Insert(Household, _HOUSEHOLD_GIVEN, now=now).execute(_household_row(h, day) for h in households)
    ids = dict(bulkwrite.lookup(Household, "number", "id", [h.values["number"] for h in households]))
    members = bulkwrite.Insert(Member, _MEMBER_GIVEN, now=now).execute(
        m for h in households for m in _member_rows(ids[h.values["number"]], h.members)
    )
    household_ids = sorted(ids.values())
    areas_changed.send(sender=Household, codes=sorted({h.village for h in households}))
    batch = audit_record(
        actor=actor,
        action="household_import",
        obj=ImportBatch(f"{household_ids[0]}-{household_ids[-1]}"),
        area_code=_common_area(households),
        data={"households": len(households), "members": members},
    )
    reason = import_reason(batch.pk)
    for model, where in ((Household, "id"), (Member, "household_id")):
        bulkwrite.history_copy(model, where=where, ids=household_ids, now=now, actor_id=actor.pk, reason=reason)
    return ImportResult(households=len(households), members=members, batch_id=batch.pk)


_household_values = itemgetter(*_HOUSEHOLD_KEYS)
_member_values = itemgetter(*MEMBER_STORED)


def _household_row(h: _Household, day: Any) -> tuple[Any, ...]:
    v = h.values
    # Same rule as household_update: a flag set today starts today.
    since = tuple(day if v[flag] else None for flag in ("dibao", "tekun", "no_labour"))
    return (*_household_values(v), h.village, h.group, h.grid_id, h.heads[0], len(h.members), *since)


def _member_rows(household_id: int, members: list[_Member]) -> Iterator[tuple[Any, ...]]:
    adapt_date = connection.ops.adapt_datefield_value
    for m in members:
        idn = m.cleaned.id_number
        assert idn is not None  # members without a valid ID number stopped the import
        ident = (household_id, m.id_hash, crypto.encrypt(idn.value), idn.masked, adapt_date(idn.birth_date), idn.sex)
        yield _member_values(m.cleaned.values) + ident


def _common_area(households: list[_Household]) -> str:
    """The narrowest area code covering every imported village (for filtering the audit log by area)."""
    return common_area(h.village for h in households)
