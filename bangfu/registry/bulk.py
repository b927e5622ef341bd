"""Bulk write path of the registry: many households at once, all-or-nothing.

`household_create` costs a few dozen queries per household; loading a county (the demo's 6,000
households, an Excel import of 100,000) that way takes minutes. This path validates every row with
the same pure rules as the single path, then writes each table with a handful of `bulk_create`
calls. It keeps the invariants the single path keeps: exactly one head, unique ID numbers, head
name and size in step with the members, statement totals from `domain.income.totals`, and a
history row ("+") for every household and member so the household page shows its creation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.utils import timezone

from bangfu.areas import selectors as areas
from bangfu.areas.domain.codes import common_area
from bangfu.core import bulkwrite, crypto
from bangfu.core.errors import FieldProblem, ValidationFailed
from bangfu.core.services import audit_record
from bangfu.core.signals import areas_changed
from bangfu.registry.domain import codes
from bangfu.registry.domain.income import totals
from bangfu.registry.domain.validation import Cleaned, clean_household, clean_member
from bangfu.registry.models import GuaranteeCheck, Household, IncomeItem, IncomeStatement, Member

if TYPE_CHECKING:
    from bangfu.accounts.models import User

BATCH = 500
# Household fields the single path sets through later services (monitoring, relocation, flag dates).
_EXTRA_FIELDS = {
    "monitoring_type",
    "monitoring_since",
    "risk_codes",
    "dibao_since",
    "tekun_since",
    "no_labour_since",
    "relocation_site_id",
    "relocated_on",
    "relocated_from_id",
}


@dataclass(frozen=True)
class IncomeLine:
    item: str
    amount: Decimal
    member: int | None = None  # index into the household's member list
    note: str = ""


@dataclass(frozen=True)
class GuaranteeRow:
    checked_on: dt.date
    housing_safe: bool = True
    schooling_ok: bool = True
    medical_ok: bool = True
    water_safe: bool = True
    note: str = ""


@dataclass(frozen=True)
class HouseholdRow:
    village_code: str
    fields: dict[str, Any]  # as for household_create: number, address, phone, flags, exit_year
    members: list[dict[str, Any]]  # as for household_create; exactly one with relation 户主
    grid_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # keys of _EXTRA_FIELDS
    statements: dict[int, list[IncomeLine]] = field(default_factory=dict)  # year → lines
    guarantee: GuaranteeRow | None = None


@dataclass
class _Checked:
    row: HouseholdRow
    household: Cleaned
    members: list[Cleaned]


@transaction.atomic
def households_bulk_create(*, rows: Sequence[HouseholdRow], source: str, actor: User | None = None) -> int:
    """Validate every row, then store all of them or none (ValidationFailed lists each problem by row)."""
    checked, problems = _validate(rows)
    if problems:
        raise ValidationFailed(
            problems,
            zh=f"{len(problems)}处错误，未写入任何户",
            en=f"{len(problems)} problems; nothing stored",
        )
    households = _store_households(checked, actor)
    members = _store_members(checked, households, actor)
    _store_statements(checked, households, members, source, actor)
    _store_guarantees(checked, households, actor)
    areas_changed.send(sender=Household, codes=sorted({c.row.village_code for c in checked}))
    audit_record(
        actor=actor,
        action="household_bulk_create",
        obj=households[0] if households else Household(),
        area_code=common_area(c.row.village_code for c in checked),
        data={"households": len(households), "members": sum(len(m) for m in members), "source": source},
    )
    return len(households)


def _validate(rows: Sequence[HouseholdRow]) -> tuple[list[_Checked], list[FieldProblem]]:
    problems: list[FieldProblem] = []
    checked: list[_Checked] = []
    numbers: set[str] = set()
    hashes: dict[str, int] = {}
    villages = _villages({r.village_code for r in rows})
    grids: set[tuple[int | None, str]] = {(r.grid_id, r.village_code) for r in rows if r.grid_id}
    bad_grids = {g for g in grids if areas.grid_in_village(g[0] or 0, g[1]) is None}
    for n, row in enumerate(rows, start=1):
        c = _Checked(row, clean_household(row.fields), [clean_member(m) for m in row.members])
        found = _row_problems(c, villages, bad_grids)
        number = c.household.values.get("number", "")
        if number in numbers:
            found.append(("number", f"户编号{number}重复", f"household number {number} is repeated"))
        numbers.add(number)
        for m in c.members:
            if m.id_number is not None:
                digest = crypto.lookup_hash(m.id_number.value)
                if digest in hashes:
                    first = hashes[digest]
                    found.append(("id_number", f"身份证号与第{first}行重复", f"ID repeats row {first}"))
                hashes[digest] = n
        problems += [FieldProblem(f, zh, en, row=n) for f, zh, en in found]
        checked.append(c)
    if not problems:
        problems += _registered_ids(hashes)
    return checked, problems


def _row_problems(
    c: _Checked, villages: set[str], bad_grids: set[tuple[int | None, str]]
) -> list[tuple[str, str, str]]:
    """Problems of one row on its own: (field, Chinese, English)."""
    row = c.row
    found = [(p.field, p.zh, p.en) for p in c.household.problems + [p for m in c.members for p in m.problems]]
    if row.village_code not in villages:
        found.append(("village", f"村{row.village_code}不存在", f"village {row.village_code} does not exist"))
    if row.grid_id and (row.grid_id, row.village_code) in bad_grids:
        found.append(("grid", "该网格不属于所选村", "the grid is not in that village"))
    if sum(1 for m in c.members if m.values.get("relation") == "户主") != 1:
        found.append(("members", "必须有且只有一名户主", "exactly one member must be the head"))
    unknown = sorted(set(row.extra) - _EXTRA_FIELDS)
    if unknown or row.extra.get("monitoring_type", "") not in codes.MONITORING_TYPE:
        found.append(("extra", "户附加字段无效", f"unknown household fields or monitoring type: {unknown}"))
    for year, lines in row.statements.items():
        if any(ln.item not in codes.ITEM_CATEGORY or ln.amount < 0 for ln in lines):
            zh = f"{year}年收入项目或金额无效"
            found.append(("income", zh, f"{year}: unknown income item or negative amount"))
    return found


def _villages(codes_: set[str]) -> set[str]:
    """The codes that name an existing village (a few dozen per load, one query each)."""
    return {c for c in codes_ if (a := areas.area_by_code(c)) is not None and a.level == "village"}


def _registered_ids(hashes: dict[str, int]) -> list[FieldProblem]:
    taken = [digest for digest, _ in bulkwrite.lookup(Member, "id_hash", "id", list(hashes))]
    zh, en = "该身份证号已登记在册", "That ID number is already registered"
    return [FieldProblem("id_number", zh, en, row=hashes[d]) for d in taken]


def _store_households(checked: list[_Checked], actor: User | None) -> list[Household]:
    existing = set(
        Household.objects.filter(number__in=[c.household.values["number"] for c in checked]).values_list(
            "number", flat=True
        )
    )
    if existing:
        raise ValidationFailed(
            [FieldProblem("number", f"户编号{n}已存在", f"household number {n} exists") for n in sorted(existing)]
        )
    objs = []
    for c in checked:
        head = next(m.values["name"] for m in c.members if m.values["relation"] == "户主")
        objs.append(
            Household(
                **c.household.values,
                **c.row.extra,
                village_id=c.row.village_code,
                grid_id=c.row.grid_id,
                head_name=head,
                size=len(c.members),
            )
        )
    Household.objects.bulk_create(objs, batch_size=BATCH)
    _history(Household, objs, actor)
    return objs


def _store_members(checked: list[_Checked], households: list[Household], actor: User | None) -> list[list[Member]]:
    per_household: list[list[Member]] = []
    flat: list[Member] = []
    for c, h in zip(checked, households, strict=True):
        ms = []
        for m in c.members:
            assert m.id_number is not None  # validated above
            idn = m.id_number
            ms.append(
                Member(
                    household=h,
                    id_hash=crypto.lookup_hash(idn.value),
                    id_enc=crypto.encrypt(idn.value),
                    id_masked=idn.masked,
                    birth_date=idn.birth_date,
                    sex=idn.sex,
                    **m.values,
                )
            )
        per_household.append(ms)
        flat += ms
    Member.objects.bulk_create(flat, batch_size=BATCH)
    _history(Member, flat, actor)
    return per_household


def _store_statements(
    checked: list[_Checked],
    households: list[Household],
    members: list[list[Member]],
    source: str,
    actor: User | None,
) -> None:
    statements: list[IncomeStatement] = []
    pending: list[tuple[IncomeStatement, list[IncomeLine], list[Member]]] = []
    for c, h, ms in zip(checked, households, members, strict=True):
        for year, lines in sorted(c.row.statements.items()):
            t = totals([(ln.item, ln.amount) for ln in lines], len(ms))
            st = IncomeStatement(
                household=h,
                year=year,
                size=len(ms),
                wage=t.wage,
                business_income=t.business_income,
                business_cost=t.business_cost,
                property=t.property_income,
                transfer=t.transfer,
                claims=t.claims,
                out_of_pocket=t.out_of_pocket,
                net_income=t.net_income,
                per_capita=t.per_capita,
            )
            statements.append(st)
            pending.append((st, lines, ms))
    IncomeStatement.objects.bulk_create(statements, batch_size=BATCH)
    _history(IncomeStatement, statements, actor)
    # Items need no ids back, so they skip the ORM's per-object work (the biggest table by far).
    items = [
        IncomeItem(
            statement=st,
            item=ln.item,
            amount=ln.amount,
            source=source,
            note=ln.note,
            member=ms[ln.member] if ln.member is not None else None,
        )
        for st, lines, ms in pending
        for ln in lines
    ]
    _insert(IncomeItem, items)  # their creation is on record in each statement's "+" history row


def _store_guarantees(checked: list[_Checked], households: list[Household], actor: User | None) -> None:
    rows = [
        GuaranteeCheck(
            household=h,
            checked_on=g.checked_on,
            housing_safe=g.housing_safe,
            schooling_ok=g.schooling_ok,
            medical_ok=g.medical_ok,
            water_safe=g.water_safe,
            note=g.note,
            checked_by=actor,
        )
        for c, h in zip(checked, households, strict=True)
        if (g := c.row.guarantee) is not None
    ]
    _insert(GuaranteeCheck, rows)


def _insert(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Rows whose ids nobody needs back skip the ORM's per-object work (core.bulkwrite)."""
    bulkwrite.insert_objects(model, objs, now=timezone.now(), const={})


def _history(model: type[models.Model], objs: Sequence[models.Model], actor: User | None) -> None:
    """The "+" (created) history row simple-history writes in the single path, one per object."""
    actor_id = actor.pk if actor is not None else None
    bulkwrite.history_insert(model, objs, now=timezone.now(), actor_id=actor_id, reason="批量登记")
