"""Bounds and normalisation of every value a person or a file hands us: one place, pure Python.

Amounts, counts, dates, text, identifiers and phone numbers are checked here, by every service, the
API and the forms; the model guard (`core/guards.py`) and the database CHECK constraints are only the
last line. Each function takes the field name for the error and raises `ValidationFailed` with a
Chinese and an English message that say how to fix the value.

- Amounts are yuan with at most two decimals (more is refused, never rounded silently), between 0
  and `MAX_AMOUNT` unless the caller says otherwise. `MAX_AMOUNT` keeps any line far inside the
  12-digit money columns, so the sums of many lines still fit.
- Counts are whole numbers (no booleans, no fractions) between 0 and `MAX_COUNT`.
- Dates fall in a window the caller gives (a policy read from settings, see `core/policy.py`).
- Text: control characters, NUL, lone surrogates, bidi overrides and text made only of invisible
  characters are refused; the length is that of the column. Identifiers and numbers are NFKC
  normalised (a full-width household number is the same number) and may not contain any format
  character at all.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from bangfu.core.errors import invalid

FEN = Decimal("0.01")
MAX_AMOUNT = Decimal("100000000.00")  # 1亿元 per line/entry: 100× smaller than a 12-digit column holds
MAX_COUNT = 10_000_000  # persons, units, months…: more than the population of any county
MAX_RATE = Decimal(1)

# Bidirectional embedding/override/isolate controls: they reorder what an officer reads on screen.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ALLOWED_CONTROLS_MULTILINE = frozenset("\n\r\t")


@dataclass(frozen=True)
class DateWindow:
    """The plausible dates of a field, inclusive."""

    earliest: dt.date
    latest: dt.date


def _label(field: str, zh: str | None, en: str | None) -> tuple[str, str]:
    """The words a message names the value by. Never the field's code: a person reads these messages."""
    return zh or "此项", en or "this value"


# ---------------------------------------------------------------- text


def bad_character(value: str, *, multiline: bool = True, identifier: bool = False) -> str | None:
    """Why `value` cannot be stored as text (English reason key), or None when it can."""
    for ch in value:
        o = ord(ch)
        if 0xD800 <= o <= 0xDFFF:
            return "surrogate"
        if o == 0:
            return "nul"
        cat = unicodedata.category(ch)
        if cat == "Cc" and not (multiline and ch in _ALLOWED_CONTROLS_MULTILINE):
            return "control"
        if ch in BIDI_CONTROLS:
            return "bidi"
        if identifier and cat == "Cf":
            return "invisible"
    return None


def invisible_only(value: str) -> bool:
    """True for non-empty text that shows nothing: only spaces and format characters (zero-width…)."""
    return bool(value) and all(ch.isspace() or unicodedata.category(ch) == "Cf" for ch in value)


_REASONS = {
    "surrogate": ("含有无法识别的字符（孤立代理项）", "contains an unreadable character (lone surrogate)"),
    "nul": ("含有空字符（NUL）", "contains a NUL character"),
    "control": ("含有控制字符", "contains a control character"),
    "bidi": ("含有改变文字方向的隐藏字符", "contains a hidden text-direction (bidi) control"),
    "invisible": ("含有不可见字符（如零宽字符）", "contains an invisible character (such as zero-width)"),
}


def text_problem(
    value: str, *, max_len: int | None, multiline: bool = True, identifier: bool = False
) -> tuple[str, str] | None:
    """(zh, en) of the first problem of a text value, or None."""
    reason = bad_character(value, multiline=multiline, identifier=identifier)
    if reason:
        zh, en = _REASONS[reason]
        return f"{zh}，请删除后重新输入", f"{en}; remove it and try again"
    if invisible_only(value):
        return "只含不可见字符，请填写实际内容", "contains only invisible characters; enter real text"
    if max_len is not None and len(value) > max_len:
        return f"最多{max_len}个字（现有{len(value)}个）", f"at most {max_len} characters (got {len(value)})"
    return None


def text(
    value: Any,
    field: str,
    *,
    max_len: int,
    required: bool = False,
    multiline: bool = False,
    zh: str | None = None,
    en: str | None = None,
) -> str:
    """Free text (names, addresses, notes): stripped, bounded, without hidden characters."""
    if value is None:
        s = ""
    elif isinstance(value, str):
        s = value
    elif isinstance(value, int | Decimal) and not isinstance(value, bool):
        s = str(value)
    else:
        zl, el = _label(field, zh, en)
        raise invalid(field, f"{zl}应为文字", f"{el} must be text")
    problem = text_problem(s, max_len=None, multiline=multiline)
    s = s.strip()
    if problem is None:
        problem = text_problem(s, max_len=max_len, multiline=multiline)
    zl, el = _label(field, zh, en)
    if problem:
        raise invalid(field, f"{zl}{problem[0]}", f"{el}: {problem[1]}")
    if required and not s:
        raise invalid(field, f"请填写{zl}", f"Fill in the {el}")
    return s


def name(value: Any, field: str, *, max_len: int, zh: str | None = None, en: str | None = None) -> str:
    """A person's or organisation's name: like `text`, and no format characters at all (zero-width, RLM…)."""
    s = text(value, field, max_len=max_len, required=True, zh=zh, en=en)
    if bad_character(s, multiline=False, identifier=True):
        zl, el = _label(field, zh, en)
        rz, re_ = _REASONS["invisible"]
        raise invalid(field, f"{zl}{rz}，请删除后重新输入", f"{el}: {re_}; remove it and try again")
    return s


def identifier(
    value: Any,
    field: str,
    *,
    max_len: int,
    digits: bool = False,
    required: bool = True,
    zh: str | None = None,
    en: str | None = None,
) -> str:
    """A code or number people type (household number, product code…): NFKC, no invisible characters.

    Full-width and other compatibility forms become their plain form (`２３０２` → `2302`), so the
    uniqueness rules compare like with like. With `digits`, only the ASCII digits 0-9 are allowed.
    """
    raw = "" if value is None else str(value)
    zl, el = _label(field, zh, en)
    reason = bad_character(raw, multiline=False, identifier=True)
    if reason:
        rz, re_ = _REASONS[reason]
        raise invalid(field, f"{zl}{rz}，请删除后重新输入", f"{el}: {re_}; remove it and try again")
    s = unicodedata.normalize("NFKC", raw).strip()
    if required and not s:
        raise invalid(field, f"请填写{zl}", f"Fill in the {el}")
    if digits and s and not all("0" <= c <= "9" for c in s):
        raise invalid(field, f"{zl}只能包含数字0-9", f"{el} may contain the digits 0-9 only")
    if len(s) > max_len:
        raise invalid(field, f"{zl}最多{max_len}位", f"{el}: at most {max_len} characters")
    return s


def phone(value: Any, field: str = "phone", *, max_len: int = 20) -> str:
    """A phone number, stored as digits only: NFKC, then spaces, '-', '(' and ')' dropped; may be empty."""
    raw = "" if value is None else str(value)
    s = unicodedata.normalize("NFKC", raw)
    if bad_character(s, multiline=False, identifier=True):
        raise invalid(field, "电话号码含有不可见字符，请重新输入", "the phone number contains hidden characters")
    s = "".join(c for c in s if c not in " -()\u3000").strip()
    if s.startswith("+"):
        s = s[1:]
    if s and (not all("0" <= c <= "9" for c in s) or len(s) > max_len):
        raise invalid(
            field,
            f"电话号码只能包含数字（最多{max_len}位），如 0833-1234567 或 13800000000",
            f"a phone number is digits only (at most {max_len}), e.g. 0833-1234567 or 13800000000",
        )
    return s


# ---------------------------------------------------------------- numbers


def _number_text(value: Any) -> str:
    return unicodedata.normalize("NFKC", str(value)).replace(",", "").strip()


def amount(
    value: Any,
    field: str = "amount",
    *,
    low: Decimal = Decimal(0),
    high: Decimal = MAX_AMOUNT,
    positive: bool = False,
    zh: str | None = None,
    en: str | None = None,
) -> Decimal:
    """A yuan amount with at most two decimals, low ≤ amount ≤ high (and > 0 with `positive`)."""
    zl, el = _label(field, zh or "金额", en or "amount")
    bad = invalid(
        field,
        f"{zl}“{str(value)[:30]}”不是有效金额，请填写数字，如 8000 或 8000.50",
        f"{el} '{str(value)[:30]}' is not an amount; write a number such as 8000 or 8000.50",
    )
    if isinstance(value, bool) or value is None:
        raise bad
    try:
        if isinstance(value, float):
            d = Decimal(repr(value))  # Excel hands floats over; their repr is the shortest exact text
            if d.is_finite() and abs(d) < high * 10 and abs(d - d.quantize(FEN)) < Decimal("0.000001"):
                d = d.quantize(FEN)  # binary noise of a computed cell (0.30000000000000004)
        else:
            d = Decimal(_number_text(value))
    except (InvalidOperation, ValueError):
        raise bad from None
    if not d.is_finite():
        raise bad
    if d < 0 <= low:
        raise invalid(field, f"{zl}不能为负数", f"{el} cannot be negative")
    if d > high or d < low:
        raise invalid(
            field,
            f"{zl}应在{low:,}到{high:,}元之间",
            f"{el} must be between {low:,} and {high:,} yuan",
        )
    if positive and d <= 0:
        raise invalid(field, f"{zl}必须大于零", f"{el} must be more than zero")
    if d != d.quantize(FEN):
        raise invalid(
            field,
            f"{zl}最多两位小数（精确到分），如 12.34",
            f"{el}: at most two decimals (fen), e.g. 12.34",
        )
    return d.quantize(FEN)


def rate(value: Any, field: str = "rate", *, low: Decimal = Decimal(0), high: Decimal = MAX_RATE) -> Decimal:
    """A share as a fraction (0.7) or a percentage ("70%"), at most four decimals as a fraction."""
    s = _number_text(value) if not isinstance(value, bool) else "x"
    try:
        r = Decimal(s[:-1]) / 100 if s.endswith("%") else Decimal(s)
    except (InvalidOperation, ValueError):
        raise invalid(field, "比例格式不正确，请填写如 0.70 或 70%", "Not a rate; write e.g. 0.70 or 70%") from None
    if not r.is_finite() or not low <= r <= high:
        raise invalid(field, f"比例须在{low}到{high}之间", f"A rate must be between {low} and {high}")
    if r != r.quantize(Decimal("0.0001")):
        raise invalid(field, "比例最多四位小数（如 0.1234）", "A rate has at most four decimals (e.g. 0.1234)")
    return r.quantize(Decimal("0.0001"))


def count(
    value: Any,
    field: str,
    *,
    low: int = 0,
    high: int = MAX_COUNT,
    zh: str | None = None,
    en: str | None = None,
) -> int:
    """A whole number low ≤ n ≤ high; booleans, fractions and text that is not a number are refused."""
    zl, el = _label(field, zh, en)
    shown = str(value)[:30]
    bad = invalid(
        field, f"“{shown}”不是整数，{zl}应填整数", f"'{shown}' is not a whole number: enter a whole number for {el}"
    )
    if isinstance(value, bool) or value is None:
        raise bad
    if isinstance(value, int):
        n = value
    elif isinstance(value, float | Decimal):
        if value != value or value in (float("inf"), float("-inf")) or value != int(value):
            raise bad
        n = int(value)
    else:
        s = _number_text(value)
        if not s.lstrip("+-").isascii() or not s.lstrip("+-").isdigit() or len(s) > 30:
            raise bad
        n = int(s)
    if not low <= n <= high:
        raise invalid(field, f"{zl}应在{low}到{high}之间", f"{el} must be between {low} and {high}")
    return n


# ---------------------------------------------------------------- dates


def date(value: Any, field: str, *, window: DateWindow, zh: str | None = None, en: str | None = None) -> dt.date:
    """A date (a `date` or text YYYY-MM-DD) inside the window."""
    zl, el = _label(field, zh or "日期", en or "date")
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(_number_text(value or ""))
        except ValueError:
            raise invalid(
                field, f"{zl}格式应为 年-月-日，如 2026-01-15", f"Write the {el} as YYYY-MM-DD, e.g. 2026-01-15"
            ) from None
    if not window.earliest <= day <= window.latest:
        raise invalid(
            field,
            f"{zl}应在{window.earliest}到{window.latest}之间",
            f"The {el} must be between {window.earliest} and {window.latest}",
        )
    return day


def year(value: Any, field: str = "year", *, low: int, high: int) -> int:
    return count(value, field, low=low, high=high, zh="年度", en="year")


def month(value: Any, field: str = "month", *, window: DateWindow) -> dt.date:
    """A month as text YYYY-MM (or a date), returned as its first day, inside the window."""
    if isinstance(value, dt.date):
        first = value.replace(day=1)
    else:
        s = _number_text(value or "")
        try:
            y, m = s.split("-")
            if len(y) != 4 or not (y.isdigit() and m.isdigit()):
                raise ValueError(s)
            first = dt.date(int(y), int(m), 1)
        except ValueError:
            raise invalid(field, "月份格式应为 年-月，如 2026-01", "Write the month as YYYY-MM, e.g. 2026-01") from None
    if not window.earliest.replace(day=1) <= first <= window.latest:
        raise invalid(
            field,
            f"月份应在{window.earliest:%Y-%m}到{window.latest:%Y-%m}之间",
            f"The month must be between {window.earliest:%Y-%m} and {window.latest:%Y-%m}",
        )
    return first
