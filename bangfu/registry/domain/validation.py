"""Validation of household and member fields, shared by forms, the API and Excel import.

Each function takes raw values (text from a form or spreadsheet, or typed values from the API) and
returns the clean values plus a list of problems (field, Chinese, English). Pure Python.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from bangfu.core.domain import clock, inputs
from bangfu.core.domain.idnumber import IdNumber, InvalidIdNumber, parse
from bangfu.core.errors import ValidationFailed
from bangfu.registry.domain import codes


@dataclass
class Problem:
    field: str
    zh: str
    en: str


@dataclass
class Cleaned:
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    id_number: IdNumber | None = None


MEMBER_CHOICES: dict[str, list[str]] = {
    "relation": codes.RELATION,
    "ethnicity": codes.ETHNICITY,
    "education": codes.EDUCATION,
    "in_school": codes.IN_SCHOOL,
    "health": codes.HEALTH,
    "disability_grade": codes.DISABILITY_GRADE,
    "labour": codes.LABOUR,
    "employment": codes.EMPLOYMENT,
    "work_place": codes.WORK_PLACE,
    "medical_insurance": codes.MEDICAL_INSURANCE,
}
_ALLOWED = {key: frozenset(values) for key, values in MEMBER_CHOICES.items()}
MEMBER_DEFAULTS = {
    "ethnicity": "汉族",
    "in_school": "非在校生",
    "health": "健康",
    "labour": "普通劳动力",
    "employment": "未就业",
    "medical_insurance": "城乡居民基本医疗保险",
    "education": "",
    "disability_grade": "",
    "work_place": "",
}
OPTIONAL_CHOICES = {"education", "disability_grade", "work_place"}
LABELS = {
    "name": ("姓名", "name"),
    "id_number": ("身份证号", "ID number"),
    "relation": ("与户主关系", "relation"),
    "ethnicity": ("民族", "ethnicity"),
    "education": ("文化程度", "education"),
    "in_school": ("在校生状况", "schooling"),
    "health": ("健康状况", "health"),
    "disability_grade": ("残疾等级", "disability grade"),
    "labour": ("劳动技能", "labour ability"),
    "employment": ("就业状况", "employment"),
    "work_place": ("务工地点", "work place"),
    "months_worked": ("务工月数", "months worked"),
    "medical_insurance": ("医疗保险", "medical insurance"),
    "phone": ("电话", "phone"),
}
# The member's fields, written once: forms, the API (MemberIn), the import template and export columns,
# and the demo's people follow this order.
MEMBER_FIELDS: tuple[str, ...] = tuple(LABELS)
# Those stored as given; the ID number is parsed into its hash, ciphertext, mask, birth date and sex.
MEMBER_STORED: tuple[str, ...] = tuple(f for f in MEMBER_FIELDS if f != "id_number")


@dataclass(kw_only=True)
class MemberFields:
    """A member as the registry takes one in, typed: the one definition of the member's field shape.

    The API's `MemberIn` (a schema on this class) and the demo's `Person` (this class plus age and
    sex) are built on it; a blank choice takes its MEMBER_DEFAULTS value when cleaned."""

    name: str
    id_number: str
    relation: str
    ethnicity: str = ""
    education: str = ""
    in_school: str = ""
    health: str = ""
    disability_grade: str = ""
    labour: str = ""
    employment: str = ""
    work_place: str = ""
    months_worked: int = 0
    medical_insurance: str = ""
    phone: str = ""

    def fields(self) -> dict[str, object]:
        """The values by the registry's field names (services.household_create, member_add, registry.bulk)."""
        return {k: getattr(self, k) for k in MEMBER_FIELDS}


def _text(v: Any) -> str:
    if type(v) is str:  # the common case, first: this runs for every cell of an import
        return v.strip()
    return "" if v is None else str(v).strip()


def clean_member(raw: dict[str, Any], *, partial: bool = False, today: dt.date | None = None) -> Cleaned:
    out = Cleaned()
    if not partial or "name" in raw:
        out.values["name"] = _checked(out, "", inputs.name, raw.get("name"), "name", max_len=60, zh="姓名", en="name")
    if not partial or "id_number" in raw:
        try:
            out.id_number = parse(_text(raw.get("id_number")), today)
        except InvalidIdNumber as e:
            out.problems.append(Problem("id_number", e.zh, e.en))
    _clean_choices(raw, out, partial)
    _clean_months(raw, out, partial)
    _clean_phone(raw, out, partial)
    if out.values.get("health") == "残疾" and not out.values.get("disability_grade") and not partial:
        out.problems.append(Problem("disability_grade", "残疾人员须填写残疾等级", "give the disability grade"))
    return out


_CHOICE_KEYS = tuple(MEMBER_CHOICES)


def _clean_choices(raw: dict[str, Any], out: Cleaned, partial: bool) -> None:
    if partial:
        keys = tuple(key for key in _CHOICE_KEYS if key in raw)
        given = tuple(raw[key] for key in keys)
    else:  # the import's path: every key, in a fixed order
        keys, given = _CHOICE_KEYS, tuple(map(raw.get, _CHOICE_KEYS))
    values, problems = _choices(keys, given)
    out.values.update(values)
    if problems:
        out.problems += [Problem(*p) for p in problems]


@lru_cache(maxsize=8192)
def _choices(keys: tuple[str, ...], given: tuple[Any, ...]) -> tuple[dict[str, str], tuple[tuple[str, str, str], ...]]:
    """Clean coded values; cached because an import repeats the same few combinations per person.

    The cache key is the raw values (and which keys they are for); callers copy the returned dict
    into their own values and never change it.
    """
    values: dict[str, str] = {}
    problems: list[tuple[str, str, str]] = []
    for key, raw_value in zip(keys, given, strict=True):
        value = _text(raw_value) or MEMBER_DEFAULTS.get(key, "")
        if value not in _ALLOWED[key] and not (value == "" and key in OPTIONAL_CHOICES):
            zh, en = LABELS[key]
            choices = "、".join(a for a in MEMBER_CHOICES[key] if a)
            problems.append(
                (key, f"{zh}的取值“{value}”无效，可选：{choices}", f"{en} '{value}' is not one of the allowed values")
            )
        values[key] = value
    return values, tuple(problems)


def _clean_phone(raw: dict[str, Any], out: Cleaned, partial: bool) -> None:
    if partial and "phone" not in raw:
        return
    out.values["phone"] = _checked(out, "", inputs.phone, raw.get("phone"), "phone", max_len=20)


def _checked(out: Cleaned, fallback: Any, check: Any, value: Any, field_name: str, **kw: Any) -> Any:
    """Run one of core.domain.inputs' checks, turning its error into a problem of this record."""
    try:
        return check(value, field_name, **kw)
    except ValidationFailed as exc:
        out.problems += [Problem(p.field, p.zh, p.en) for p in exc.problems]
        return fallback


def _clean_months(raw: dict[str, Any], out: Cleaned, partial: bool) -> None:
    if partial and "months_worked" not in raw:
        return
    text = _text(raw.get("months_worked")) or "0"
    try:
        months = int(float(text))
    except ValueError:
        months = -1
    if not 0 <= months <= 12:
        out.problems.append(Problem("months_worked", "务工月数应为0到12的整数", "months worked must be 0 to 12"))
    out.values["months_worked"] = max(0, months)


HOUSEHOLD_FLAGS = ["poverty_exited", "dibao", "tekun", "relocated", "no_labour"]
_TRUE = {"是", "true", "1", "yes", "y", "True", "TRUE"}
_FALSE = {"否", "false", "0", "no", "n", "", "False", "FALSE"}


def parse_bool(v: Any) -> bool | None:
    if isinstance(v, bool):
        return v
    t = _text(v)
    if t in _TRUE:
        return True
    if t in _FALSE:
        return False
    return None


def clean_household(raw: dict[str, Any], *, partial: bool = False, this_year: int | None = None) -> Cleaned:
    out = Cleaned()
    this_year = this_year or clock.today().year
    if not partial or "number" in raw:
        try:  # NFKC: a full-width number is the same number, so the uniqueness rule holds
            out.values["number"] = inputs.identifier(raw.get("number"), "number", max_len=30, digits=True)
        except ValidationFailed:
            out.problems.append(Problem("number", "户编号须为不超过30位的数字", "household number: digits, at most 30"))
            out.values["number"] = _text(raw.get("number"))
    if not partial or "address" in raw:
        out.values["address"] = _checked(
            out, "", inputs.text, raw.get("address"), "address", max_len=200, zh="住址", en="address"
        )
    if not partial or "phone" in raw:
        out.values["phone"] = _checked(out, "", inputs.phone, raw.get("phone"), "phone", max_len=20)
    for key in HOUSEHOLD_FLAGS:
        if partial and key not in raw:
            continue
        b = parse_bool(raw.get(key))
        if b is None:
            out.problems.append(Problem(key, "请填写“是”或“否”", "use 是 (yes) or 否 (no)"))
        out.values[key] = bool(b)
    if not partial or "exit_year" in raw:
        _clean_exit_year(raw, out, this_year)
    return out


def _clean_exit_year(raw: dict[str, Any], out: Cleaned, this_year: int) -> None:
    text = _text(raw.get("exit_year"))
    if not text:
        out.values["exit_year"] = None
        if out.values.get("poverty_exited"):
            out.problems.append(
                Problem("exit_year", "脱贫户须填写脱贫年度", "give the year the household exited poverty")
            )
        return
    try:
        year = int(float(text))
    except ValueError:
        year = 0
    if not 2013 <= year <= this_year:
        out.problems.append(
            Problem("exit_year", f"脱贫年度应在2013到{this_year}之间", f"exit year must be 2013–{this_year}")
        )
    out.values["exit_year"] = year
