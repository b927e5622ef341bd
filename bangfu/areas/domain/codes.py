"""The 12-digit statistical division code (统计用区划代码) and the area levels.

Levels and how many leading digits identify an area of that level:
province 2, prefecture 4, county 6, township 9, village 12. A village group (村民小组) has no national
code; we give it the village code plus a 3-digit group number (15 digits).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from bangfu.core.domain.text import gettext_noop


class Level(StrEnum):
    PROVINCE = "province"
    PREFECTURE = "prefecture"
    COUNTY = "county"
    TOWNSHIP = "township"
    VILLAGE = "village"
    GROUP = "group"


LEVEL_ORDER = [Level.PROVINCE, Level.PREFECTURE, Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE, Level.GROUP]
SIGNIFICANT = {
    Level.PROVINCE: 2,
    Level.PREFECTURE: 4,
    Level.COUNTY: 6,
    Level.TOWNSHIP: 9,
    Level.VILLAGE: 12,
    Level.GROUP: 15,
}
LEVEL_LABELS = {
    Level.PROVINCE: gettext_noop("省"),
    Level.PREFECTURE: gettext_noop("市(州)"),
    Level.COUNTY: gettext_noop("县(区)"),
    Level.TOWNSHIP: gettext_noop("乡(镇)"),
    Level.VILLAGE: gettext_noop("村(社区)"),
    Level.GROUP: gettext_noop("村民小组"),
}


@dataclass(frozen=True)
class CodeProblem:
    zh: str
    en: str


def common_area(codes: Iterable[str]) -> str:
    """The narrowest 12-digit area code covering every code given ("" when they share no province):
    the area an audit event of a batch (an import) is recorded under, so its area's auditor sees it."""
    found = {c[:12] for c in codes if c}
    if not found:
        return ""
    for n in (12, 9, 6, 4, 2):  # significant digits of village, township, county, prefecture, province
        if len({c[:n] for c in found}) == 1:
            return next(iter(found))[:n].ljust(12, "0")
    return ""


def level_of(code: str) -> Level | None:
    """The level a code denotes, from where its trailing zeros start (None if malformed)."""
    if not code.isdigit() or len(code) not in (12, 15):
        return None
    if len(code) == 15:
        return Level.GROUP if code[12:] != "000" else None
    for level in (Level.VILLAGE, Level.TOWNSHIP, Level.COUNTY, Level.PREFECTURE, Level.PROVINCE):
        n = SIGNIFICANT[level]
        if code[n:].strip("0") == "" and (n == 2 or code[SIGNIFICANT[_previous(level)] : n].strip("0") != ""):
            return level
    return None


def _previous(level: Level) -> Level:
    return LEVEL_ORDER[LEVEL_ORDER.index(level) - 1]


def prefix(code: str, level: Level) -> str:
    return code[: SIGNIFICANT[level]]


def parent_code(code: str, level: Level) -> str | None:
    """The code of the parent implied by the digits (prefectures may be skipped by the caller)."""
    if level == Level.PROVINCE:
        return None
    if level == Level.GROUP:
        return code[:12]
    parent = _previous(level)
    n = SIGNIFICANT[parent]
    return code[:n].ljust(12, "0")


def check_child(code: str, level: Level, parent_code_: str | None, parent_level: Level | None) -> CodeProblem | None:
    """Validate a code against its declared level and parent; None when consistent."""
    actual = level_of(code)
    if actual is None:
        return CodeProblem(
            "区划代码须为12位数字（村民小组15位）", "the division code must be 12 digits (15 for a village group)"
        )
    if actual != level:
        return CodeProblem(
            f"区划代码{code}属于{LEVEL_LABELS[actual]}级，与填写的层级{LEVEL_LABELS[level]}不符",
            f"code {code} is a {actual.value} code, not a {level.value}",
        )
    if level == Level.PROVINCE:
        return None if parent_code_ is None else CodeProblem("省级区划不应有上级", "a province has no parent")
    if parent_code_ is None or parent_level is None:
        return CodeProblem("缺少上级区划代码", "the parent code is missing")
    if LEVEL_ORDER.index(parent_level) >= LEVEL_ORDER.index(level):
        return CodeProblem("上级区划的层级不高于本级", "the parent is not above this level")
    if not code.startswith(prefix(parent_code_, parent_level)):
        return CodeProblem(
            f"区划代码{code}不在上级{parent_code_}之下", f"code {code} does not lie under its parent {parent_code_}"
        )
    return None
