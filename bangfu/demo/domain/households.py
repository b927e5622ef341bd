"""Synthetic households: who lives together, their flags, and two years of income (pure Python)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from decimal import Decimal

from bangfu.demo.domain import names
from bangfu.demo.domain.people import BANDS, SIZES, IdAllocator, Line, Person, Profile, Synth, _pick, person
from bangfu.registry.domain import codes

_WAGE_ITEM = {
    "省外": "wage.migrant",
    "省内县外": "wage.migrant",
    "县内乡外": "wage.local",
    "乡镇内": "wage.local",
}


def members(rng: random.Random, p: Profile, today: dt.date, ids: IdAllocator, *, young: bool = False) -> list[Person]:
    """A household: head, usually a spouse, then children, a parent or a married son's family."""
    size = int(str(_pick(rng, tuple((s, w) for s, w in SIZES if not young or s >= 2))))
    head_age = rng.randint(20, 45) if young else min(85, max(24, int(rng.gauss(54, 13))))
    head_sex = "M" if rng.random() < 0.88 else "F"
    head = person(rng, p, today, ids, relation="户主", age=head_age, sex=head_sex)
    family = names.family_of(head.name, p.culture) if head_sex == "M" else None
    out = [head]

    def add(relation: str, age: int, sex: str, fam: str | None = family) -> None:
        out.append(person(rng, p, today, ids, relation=relation, age=max(0, age), sex=sex, family=fam))

    if size >= 2 and (size >= 3 or rng.random() < 0.85):
        add("配偶", head_age + rng.randint(-4, 2), "F" if head_sex == "M" else "M", None)
    if head_age >= 55 and size - len(out) >= 3:
        son_age = head_age - rng.randint(23, 30)
        add("之子", son_age, "M")
        add("之儿媳", son_age + rng.randint(-3, 1), "F", None)
        while len(out) < size:
            sex = rng.choice("MF")
            add(
                "之孙子" if sex == "M" else "之孙女",
                max(0, son_age - rng.randint(20, 30)) or rng.randint(1, 12),
                sex,
            )
    if head_age < 50 and len(out) < size and rng.random() < 0.3:
        sex = rng.choice("MF")
        add(
            "之父" if sex == "M" else "之母",
            head_age + rng.randint(22, 32),
            sex,
            family if sex == "M" else None,
        )
    while len(out) < size:
        sex = rng.choice("MF")
        age = head_age - rng.randint(21, 35)
        add("之子" if sex == "M" else "之女", age if age >= 0 else rng.randint(1, 15), sex)
    return out


def household(
    rng: random.Random,
    p: Profile,
    today: dt.date,
    ids: IdAllocator,
    *,
    workshop_worker: bool = False,
    poor: bool | None = None,
) -> Synth:
    """One synthetic household with flags and statements for the two years before `today`."""
    ms = members(rng, p, today, ids, young=workshop_worker)
    worker = None
    if workshop_worker:  # the workshop payroll (employment app) pays this member's wage
        worker = next((i for i, m in enumerate(ms) if 18 <= m.age <= 50 and m.labour in codes.HAS_LABOUR), 0)
        ms[worker] = dataclasses.replace(
            ms[worker],
            employment="务工",
            work_place="乡镇内",
            months_worked=12,
            labour="技能劳动力",
            health="健康",
            disability_grade="",
            in_school="非在校生",
        )
    exited = (rng.random() < p.poor_share) if poor is None else poor
    no_labour = all(m.labour not in codes.HAS_LABOUR for m in ms)
    tekun = len(ms) == 1 and ms[0].age >= 60 and rng.random() < 0.5
    ill = any(m.health in codes.SERIOUS_HEALTH for m in ms)
    dibao = not tekun and rng.random() < (0.45 if no_labour else 0.2 if ill else 0.04)
    monitoring, risks, days = _monitoring(rng, ms, exited, no_labour)
    statements = {today.year - 1: _income(rng, p, ms, exited, dibao, tekun, worker)}
    statements[today.year - 2] = _earlier(rng, statements[today.year - 1])
    dropout = any(m.in_school == "非在校生" and 6 <= m.age <= 14 for m in ms)
    guarantee = (
        rng.random() > 0.005,
        not dropout,
        all(m.medical_insurance != "未参保" for m in ms),
        rng.random() > 0.01,
    )
    return Synth(
        members=tuple(ms),
        poverty_exited=exited,
        exit_year=int(str(_pick(rng, ((2016, 0.15), (2017, 0.2), (2018, 0.3), (2019, 0.25), (2020, 0.1)))))
        if exited
        else None,
        dibao=dibao,
        tekun=tekun,
        no_labour=no_labour,
        monitoring_type=monitoring,
        risk_codes=risks,
        monitoring_days_ago=days,
        statements=statements,
        guarantee=guarantee,
        workshop_worker=worker,
    )


def _monitoring(
    rng: random.Random, ms: list[Person], exited: bool, no_labour: bool
) -> tuple[str, tuple[str, ...], int]:
    if rng.random() >= (0.12 if no_labour else 0.03):
        return "", (), 0
    risks = [
        code
        for code, hit in (
            ("因病", any(m.health in ("患有大病", "长期慢性病") for m in ms)),
            ("因残", any(m.health == "残疾" for m in ms)),
            ("因学", any(m.in_school in ("本科", "大专", "高职") for m in ms)),
            ("缺劳动力", no_labour),
        )
        if hit
    ] or ["因意外事故"]
    if risks[0] == "因意外事故" or (exited and rng.random() >= 0.7):
        kind = "突发严重困难户"
    else:
        kind = "脱贫不稳定户" if exited else "边缘易致贫户"
    return kind, tuple(risks[:5]), rng.randint(30, 900)


def _yuan(x: float) -> Decimal:
    """Round to ten yuan, as statements are filled in the village."""
    return Decimal(round(x / 10.0) * 10).quantize(Decimal("0.01"))


def _income(
    rng: random.Random,
    p: Profile,
    ms: list[Person],
    exited: bool,
    dibao: bool,
    tekun: bool,
    worker: int | None,
) -> tuple[Line, ...]:
    fixed = _fixed_lines(rng, ms, exited, dibao, tekun)
    farming = any(m.employment == "务农" for m in ms)
    paid = ("务工", "灵活就业", "自主创业")
    earners = [(i, m) for i, m in enumerate(ms) if m.employment in paid and i != worker]
    if not earners and not farming:
        return tuple(fixed + _land_rent(rng, p, ms))
    lo, hi = BANDS[int(str(_pick(rng, tuple((i, b[2]) for i, b in enumerate(BANDS)))))][:2]
    fixed_net = sum((ln.amount if codes.ITEM_CATEGORY[ln.item] != "expense" else Decimal(0)) for ln in fixed)
    need = max(float(rng.uniform(lo, hi)) * len(ms) - float(fixed_net), 1500.0)
    weights = [(i, m.months_worked * rng.uniform(2.5, 4.5)) for i, m in earners]
    if farming:
        weights.append((-1, rng.uniform(*p.farm_mu) * rng.uniform(0.45, 0.6)))
    total = sum(w for _, w in weights)
    lines = list(fixed)
    for i, w in weights:
        share = need * w / total
        if i >= 0:
            lines.append(Line(_WAGE_ITEM.get(ms[i].work_place, "wage.local"), _yuan(share), i))
        else:
            lines += _farm_lines(rng, share)
    return tuple(lines)


def _farm_lines(rng: random.Random, net: float) -> list[Line]:
    """Crops and sometimes yard livestock with their costs, so that income − cost = net."""
    livestock = net * rng.uniform(0.2, 0.4) if rng.random() < 0.45 else 0.0
    crops = net - livestock
    c_cost, l_cost = rng.uniform(0.35, 0.5), rng.uniform(0.25, 0.4)
    gross = crops / (1 - c_cost)
    lines = [Line("business.crops", _yuan(gross)), Line("cost.business", _yuan(gross * c_cost))]
    if livestock:
        lines += [
            Line("business.livestock", _yuan(livestock / (1 - l_cost))),
            Line("cost.business", _yuan(livestock / (1 - l_cost) * l_cost)),
        ]
    return lines


def _fixed_lines(rng: random.Random, ms: list[Person], exited: bool, dibao: bool, tekun: bool) -> list[Line]:
    lines: list[Line] = []
    for i, m in enumerate(ms):
        if m.age >= 60:
            lines.append(Line("transfer.pension", _yuan(rng.uniform(1560, 2640)), i))
        if m.employment == "公益岗位":
            lines.append(Line("wage.welfare_post", _yuan(rng.uniform(5000, 10000)), i))
        if (exited or dibao) and m.in_school in ("普通高中", "中职", "本科", "大专", "高职"):
            grant = 2000 if m.in_school in ("普通高中", "中职") else 3300  # 国家助学金, high school vs college
            lines.append(Line("transfer.education_aid", _yuan(grant), i))
        oop = {"患有大病": (5000, 30000), "长期慢性病": (800, 4000), "残疾": (500, 3000)}.get(m.health)
        if oop:
            lines.append(Line("expense.out_of_pocket", _yuan(rng.uniform(*oop)), i))
    if dibao:
        lines.append(Line("transfer.dibao", _yuan(rng.uniform(3480, 4560) * len(ms))))
    if tekun:
        lines.append(Line("transfer.tekun", _yuan(rng.uniform(8000, 10000))))
    if exited and rng.random() < 0.6:
        lines.append(Line("property.dividend", _yuan(rng.uniform(300, 1200))))
    if rng.random() < 0.3:
        lines.append(Line("transfer.eco_compensation", _yuan(rng.uniform(150, 900))))
    return lines


def _land_rent(rng: random.Random, p: Profile, ms: list[Person]) -> list[Line]:
    """Households that no longer farm rent their contracted land out (土地流转)."""
    return [Line("property.land_rent", _yuan(rng.uniform(*p.farm_mu) * rng.uniform(300, 500)))]


def _earlier(rng: random.Random, lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """The year before: earned income a little lower, the same transfers."""
    factor = rng.uniform(0.88, 0.97)
    scaled = ("wage.migrant", "wage.local", "business.crops", "business.livestock", "cost.business")
    return tuple(
        dataclasses.replace(ln, amount=_yuan(float(ln.amount) * factor)) if ln.item in scaled else ln for ln in lines
    )
