"""Public-welfare posts (公益岗位): the per-household limit, the age limit and the pay earned."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from bangfu.core.domain.money import q
from bangfu.employment.domain.months import age_on


@dataclass(frozen=True)
class PostLimits:
    per_household: int | None  # None: no limit where the rules set none
    max_age: int


@dataclass(frozen=True)
class Problem:
    field: str
    zh: str
    en: str


def check_new_post(*, held_by_household: int, birth_date: dt.date, start: dt.date, limits: PostLimits) -> list[Problem]:
    """held_by_household: posts of the same household overlapping the new post's year."""
    problems: list[Problem] = []
    if limits.per_household is not None and held_by_household >= limits.per_household:
        problems.append(
            Problem(
                "member",
                f"该户已有{held_by_household}个公益岗位，本地规定每户最多{limits.per_household}个；请先结束原岗位",
                f"the household already holds {held_by_household} post(s); "
                f"the limit is {limits.per_household} "
                "per household, end the other post first",
            )
        )
    if age_on(birth_date, start) > limits.max_age:
        problems.append(
            Problem(
                "member",
                f"受聘人员年龄超过{limits.max_age}岁的上限",
                f"the person is older than the {limits.max_age}-year limit",
            )
        )
    return problems


def post_pay(monthly_pay: Decimal, months_served: int) -> Decimal:
    if months_served < 0 or months_served > 12:
        raise ValueError("months served must be 0–12")
    return q(monthly_pay * months_served)
