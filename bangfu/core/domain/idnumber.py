"""Chinese resident ID numbers (GB 11643-1999): 18 characters, ISO 7064 MOD 11-2 check digit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from operator import mul

from bangfu.core.domain import clock

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_ZERO_OFFSET = ord("0") * sum(_WEIGHTS)
# Digits and X typed with a Chinese input method come full-width (０-９, Ｘ); they are the same number.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９Ｘｘ　", "0123456789XX ")


class InvalidIdNumber(ValueError):
    """Raised with a bilingual message a user can act on."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en


def check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2 over 17 ASCII digits."""
    # Weighted sum of the bytes' ASCII codes less the codes of '0': no int() per character, as
    # this runs once per person in every import and feed batch.
    total = sum(map(mul, first17.encode("ascii"), _WEIGHTS)) - _ZERO_OFFSET
    return _CHECK[total % 11]


@lru_cache(maxsize=65536)
def _birth_date(yyyymmdd: str) -> dt.date | None:
    """The date the eight digits name, or None; cached: a county's people share a few thousand dates."""
    try:
        return dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        return None


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
    """5101************34: province and prefecture, and the last two characters.

    The hidden part holds the county, the birth date and two of the three sequence digits, so the
    village code and the birth year shown beside a masked number leave thousands of candidates
    (security review D3: the old mask hid exactly county + birth date, which the screens gave away).
    """
    if len(value) < 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 6) + value[-2:]


def remask(masked: str) -> str:
    """A number stored masked the old way (5101**********1234) masked the current way."""
    if len(masked) == 18 and masked[4:14] == "*" * 10:
        return masked[:4] + "*" * 12 + masked[-2:]
    return masked


def parse(raw: str, today: dt.date | None = None) -> IdNumber:
    value = raw or ""
    if not value.isascii():
        value = value.translate(_FULL_WIDTH)
    value = value.strip().upper().replace(" ", "")
    if len(value) != 18:
        raise InvalidIdNumber(
            f"身份证号应为18位，实际为{len(value)}位", f"ID number must have 18 characters, got {len(value)}"
        )
    body = value[:17]
    if not (body.isascii() and body.isdigit() and value[17] in "0123456789X"):
        raise InvalidIdNumber(
            "身份证号前17位须为数字，最后一位为数字或X",
            "the first 17 characters must be digits and the last a digit or X",
        )
    if value[17] != check_digit(body):
        raise InvalidIdNumber("身份证号校验位不正确，请核对号码", "ID number check digit is wrong; re-check the number")
    birth = _birth_date(value[6:14])
    if birth is None:
        raise InvalidIdNumber("身份证号中的出生日期不存在", "the birth date inside the ID number does not exist")
    if birth > (today or clock.today()) or birth.year < 1880:
        raise InvalidIdNumber("身份证号中的出生日期不合理", "the birth date inside the ID number is impossible")
    return IdNumber(value=value, birth_date=birth, sex="M" if value[16] in "13579" else "F")


def make(region6: str, birth: dt.date, seq3: int) -> str:
    """Build a valid number (demo data and tests)."""
    body = f"{region6}{birth:%Y%m%d}{seq3:03d}"
    return body + check_digit(body)
