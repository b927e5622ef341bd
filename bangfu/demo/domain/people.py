"""Synthetic people and households spread like a real rural county (pure Python, seeded RNG).

Everything here is demo data generation, not policy: the shares below describe what the demo
county looks like (ages, health, schooling, work, incomes), so they live with the generator.
Income is built from the members (who works where, who is old, ill or at school) and then the
earned part is scaled towards a per-capita target drawn from BANDS, so the county's per-capita
incomes spread like a real one: a few percent under 6,000 yuan, most between 8,000 and 20,000.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from bangfu.core.domain.idnumber import make
from bangfu.demo.domain import names
from bangfu.registry.domain import codes
from bangfu.registry.domain.validation import MemberFields

# Per-capita net income targets (yuan/year): (low, high, share of households with labour).
BANDS = (
    (3800, 6000, 0.03),
    (6000, 8000, 0.17),
    (8000, 14000, 0.45),
    (14000, 20000, 0.26),
    (20000, 32000, 0.09),
)
SIZES = ((1, 0.08), (2, 0.22), (3, 0.25), (4, 0.25), (5, 0.13), (6, 0.07))


@dataclass(frozen=True)
class Profile:
    """How one county's households look."""

    culture: str  # "han", "yi", "tibetan"
    ethnicity: str  # as in registry codes.ETHNICITY
    region: str  # 6-digit county code, the first digits of its people's ID numbers
    poor_share: float  # share of registered (poverty-exited) households
    farm_mu: tuple[int, int]  # typical farmland per farming household, mu


@dataclass(kw_only=True)
class Person(MemberFields):
    """A demo person: the registry's member fields (`fields()` is the input of household_create and
    registry.bulk), with the age and sex the generator draws the rest from."""

    age: int
    sex: str


@dataclass(frozen=True)
class Line:
    item: str
    amount: Decimal
    member: int | None = None


@dataclass(frozen=True)
class Synth:
    members: tuple[Person, ...]
    poverty_exited: bool
    exit_year: int | None
    dibao: bool
    tekun: bool
    no_labour: bool
    monitoring_type: str
    risk_codes: tuple[str, ...]
    monitoring_days_ago: int
    statements: dict[int, tuple[Line, ...]] = field(default_factory=dict)
    guarantee: tuple[bool, bool, bool, bool] = (True, True, True, True)  # housing, school, medical, water
    workshop_worker: int | None = None  # index of the member whose wage comes from the workshop payroll


class IdAllocator:
    """Hands out valid, unique ID numbers; the sequence's parity carries the sex (GB 11643)."""

    def __init__(self) -> None:
        self._used: set[tuple[str, dt.date, int]] = set()

    def allocate(self, rng: random.Random, region: str, birth: dt.date, sex: str) -> str:
        for _ in range(1000):
            seq = rng.randrange(0, 1000)
            if (seq % 2 == 1) != (sex == "M"):
                seq = (seq + 1) % 1000
            if (region, birth, seq) not in self._used:
                self._used.add((region, birth, seq))
                return make(region, birth, seq)
        raise RuntimeError("no free ID sequence left for that birth date")


def _pick(rng: random.Random, table: tuple[tuple[object, float], ...]) -> object:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


def birth_for(rng: random.Random, today: dt.date, age: int) -> dt.date:
    """A birth date giving exactly `age` full years on `today`."""
    latest = (
        today.replace(year=today.year - age)
        if not (today.month == 2 and today.day == 29)
        else dt.date(today.year - age, 2, 28)
    )
    return latest - dt.timedelta(days=rng.randrange(0, 365))


def phone(rng: random.Random) -> str:
    return "1" + rng.choice("3589") + "".join(rng.choice("0123456789") for _ in range(9))


def _schooling(rng: random.Random, age: int) -> tuple[str, str]:
    """(education, in_school) for an age; a rare compulsory-age dropout is kept on purpose."""
    if age < 3:
        return "学龄前儿童", "非在校生"
    if age < 6:
        return "学龄前儿童", "学前教育" if rng.random() < 0.75 else "非在校生"
    if age <= 14:
        stage = "小学" if age <= 11 else ("七年级", "八年级", "九年级")[age - 12]
        if rng.random() < 0.003:
            return "小学", "非在校生"
        return ("小学" if age <= 12 else "初中"), stage
    if age <= 17:
        return "初中", str(_pick(rng, (("普通高中", 0.6), ("中职", 0.25), ("非在校生", 0.15))))
    if age <= 22:
        stage = str(_pick(rng, (("本科", 0.16), ("大专", 0.08), ("高职", 0.06), ("非在校生", 0.7))))
        if stage != "非在校生":
            return "高中", stage
        return str(_pick(rng, (("初中", 0.6), ("高中", 0.25), ("中专(中职)", 0.15)))), stage
    weights = (
        ("文盲或半文盲", 0.02 + age / 900),
        ("小学", 0.15 + age / 300),
        ("初中", 0.5),
        ("高中", 0.12),
        ("中专(中职)", 0.05),
        ("大专(高职)", 0.03),
        ("本科及以上", 0.02),
    )
    return str(_pick(rng, weights)), "非在校生"


def _health(rng: random.Random, age: int) -> tuple[str, str]:
    r = rng.random()
    if r < 0.015 + age / 4000:
        return "患有大病", ""
    if r < 0.05 + age / 2500:
        return "残疾", str(_pick(rng, (("一级", 0.1), ("二级", 0.2), ("三级", 0.3), ("四级", 0.4))))
    if r < 0.05 + age / 2500 + age * 0.003:
        return "长期慢性病", ""
    return "健康", ""


def _labour(rng: random.Random, age: int, in_school: str, health: str, grade: str) -> str:
    if age < 16 or in_school != "非在校生":
        return "无劳动力"
    if health == "患有大病" or grade in ("一级", "二级") or age >= 75:
        return "丧失劳动力"
    if age >= 60 or health != "健康":
        return "弱劳动力或半劳动力"
    return "技能劳动力" if rng.random() < 0.15 else "普通劳动力"


def _work(rng: random.Random, labour: str, in_school: str) -> tuple[str, str, int]:
    if in_school != "非在校生":
        return "在校生", "", 0
    if labour == "弱劳动力或半劳动力":
        job = str(_pick(rng, (("务农", 0.6), ("公益岗位", 0.1), ("未就业", 0.3))))
    elif labour in codes.HAS_LABOUR:
        job = str(
            _pick(
                rng,
                (
                    ("务工", 0.42),
                    ("务农", 0.36),
                    ("公益岗位", 0.04),
                    ("灵活就业", 0.08),
                    ("自主创业", 0.02),
                    ("未就业", 0.08),
                ),
            )
        )
    else:
        return "未就业", "", 0
    if job == "务工":
        place = str(_pick(rng, (("省外", 0.35), ("省内县外", 0.3), ("县内乡外", 0.2), ("乡镇内", 0.15))))
        return job, place, rng.randint(6, 12)
    months = {"公益岗位": 12, "灵活就业": rng.randint(4, 10), "自主创业": 12}.get(job, 0)
    return job, "", months


def person(
    rng: random.Random,
    p: Profile,
    today: dt.date,
    ids: IdAllocator,
    *,
    relation: str,
    age: int,
    sex: str,
    family: str | None = None,
) -> Person:
    education, in_school = _schooling(rng, age)
    health, grade = _health(rng, age)
    labour = _labour(rng, age, in_school, health, grade)
    employment, place, months = _work(rng, labour, in_school)
    r = rng.random()
    insurance = (
        "未参保" if r < 0.002 else ("职工基本医疗保险" if r < 0.01 and employment == "务工" else "城乡居民基本医疗保险")
    )
    return Person(
        name=names.person(rng, p.culture, sex, family),
        id_number=ids.allocate(rng, p.region, birth_for(rng, today, age), sex),
        relation=relation,
        age=age,
        sex=sex,
        ethnicity=p.ethnicity,
        education=education,
        in_school=in_school,
        health=health,
        disability_grade=grade,
        labour=labour,
        employment=employment,
        work_place=place,
        months_worked=months,
        medical_insurance=insurance,
        phone=phone(rng) if relation == "户主" or employment in codes.EMPLOYED else "",
    )
