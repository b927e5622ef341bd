"""Chinese resident ID numbers (GB 11643-1999): 18 characters, ISO 7064 MOD 11-2 check digit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from operator import mul

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


class InvalidIdNumber(ValueError):
    """Raised with a bilingual message a user can act on."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en


def check_digit(first17: str) -> str:
    # map/mul rather than a generator: this runs once per person in every import and feed batch.
    total = sum(map(mul, map(int, first17), _WEIGHTS))
    return _CHECK[total % 11]


@dataclass(frozen=True, slots=True)
class IdNumber:
    value: str
    birth_date: dt.date
    sex: str  # "M" or "F", from the parity of the 17th digit

    @property
    def masked(self) -> str:
        return mask(self.value)

    def __str__(self) -> str:  # never log it: callers use .masked
        return self.masked

    def __repr__(self) -> str:
        return f"IdNumber({self.masked})"


def mask(value: str) -> str:
    """5101**********1234: region prefix and last four, as printed on public notices."""
    if len(value) < 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def parse(raw: str, today: dt.date | None = None) -> IdNumber:
    value = (raw or "").strip().upper().replace(" ", "")
    if len(value) != 18:
        raise InvalidIdNumber(
            f"身份证号应为18位，实际为{len(value)}位", f"ID number must have 18 characters, got {len(value)}"
        )
    if not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        raise InvalidIdNumber(
            "身份证号前17位须为数字，最后一位为数字或X",
            "the first 17 characters must be digits and the last a digit or X",
        )
    expected = check_digit(value[:17])
    if value[17] != expected:
        raise InvalidIdNumber("身份证号校验位不正确，请核对号码", "ID number check digit is wrong; re-check the number")
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise InvalidIdNumber(
            "身份证号中的出生日期不存在", "the birth date inside the ID number does not exist"
        ) from None
    today = today or dt.date.today()
    if birth > today or birth.year < 1880:
        raise InvalidIdNumber("身份证号中的出生日期不合理", "the birth date inside the ID number is impossible")
    return IdNumber(value=value, birth_date=birth, sex="M" if int(value[16]) % 2 else "F")


def make(region6: str, birth: dt.date, seq3: int) -> str:
    """Build a valid number (demo data and tests)."""
    body = f"{region6}{birth:%Y%m%d}{seq3:03d}"
    return body + check_digit(body)
