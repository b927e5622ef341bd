"""Writes of the registry. Keyword-only, atomic, audited; validation shared with import and API."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from simple_history.utils import update_change_reason

from bangfu.accounts.domain.roles import Cap
from bangfu.areas import selectors as areas
from bangfu.core import crypto
from bangfu.core.domain import inputs
from bangfu.core.errors import ApplicationError, Conflict, FieldProblem, ValidationFailed, invalid
from bangfu.core.inputs import not_future
from bangfu.core.models import MONEY_LIMIT
from bangfu.core.policy import date_window
from bangfu.core.services import audit_record
from bangfu.registry import signals
from bangfu.registry.domain import codes
from bangfu.registry.domain.income import totals
from bangfu.registry.domain.validation import Cleaned, clean_household, clean_member
from bangfu.registry.models import GuaranteeCheck, Household, IncomeItem, IncomeStatement, Member, ResettlementSite
from bangfu.registry.selectors import NOT_HERE_EN, NOT_HERE_ZH, sees_registered

if TYPE_CHECKING:
    from bangfu.accounts.models import User


def _raise(cleaned: Cleaned, prefix: str = "") -> None:
    if cleaned.problems:
        raise ValidationFailed([FieldProblem(prefix + p.field, p.zh, p.en) for p in cleaned.problems])


def _placement(village_code: str, grid_id: int | None, group_code: str | None) -> dict[str, Any]:
    village = areas.area_by_code(village_code)
    if village is None or village.level != "village":
        raise invalid("village", "所选村不存在", "the village does not exist")
    out: dict[str, Any] = {"village": village, "grid": None, "group": None}
    if grid_id:
        grid = areas.grid_in_village(grid_id, village_code)
        if grid is None:
            raise invalid("grid", "该网格不属于所选村", "the grid is not in that village")
        out["grid"] = grid
    if group_code:
        group = areas.area_by_code(group_code)
        if group is None or group.parent_id is None or not group_code.startswith(village_code):
            raise invalid("group", "该村民小组不属于所选村", "the group is not in that village")
        out["group"] = group
    return out


class RegistrationRefused(Conflict):
    """A number already registered outside the actor's areas: the answer says nothing more (security D9).

    Inside the actor's areas the precise message stays ("already registered, find it by ID number").
    The refusal is recorded in the audit log by `_audit_refusals`, outside the refused transaction.
    """

    def __init__(self, field: str, village_code: str) -> None:
        what_zh, what_en = ("该身份证号", "This ID number")
        if field != "id_number":
            what_zh, what_en = ("该户编号", "This household number")
        super().__init__(what_zh + NOT_HERE_ZH, f"{what_en} {NOT_HERE_EN}", "not_registrable")
        self.field, self.village_code = field, village_code


def _audit_refusals[T](fn: Callable[..., T]) -> Callable[..., T]:
    @functools.wraps(fn)
    def wrapper(*, actor: User | None, **kwargs: Any) -> T:
        try:
            return fn(actor=actor, **kwargs)
        except RegistrationRefused as exc:
            # the target household (member_add), or none yet (household_create); never the one elsewhere
            target = kwargs.get("household") or Household(village_id=exc.village_code)
            audit_record(
                actor=actor,
                action="registration_refused",
                obj=target,
                area_code=exc.village_code,
                data={"field": exc.field},
            )
            raise

    return wrapper


@_audit_refusals
@transaction.atomic
def household_create(
    *,
    actor: User | None,
    village_code: str,
    fields: dict[str, Any],
    members: list[dict[str, Any]],
    grid_id: int | None = None,
    group_code: str | None = None,
) -> Household:
    """Create a household with its members (the first member whose relation is 户主 is the head).

    Numbers already registered are checked last, after every other rule, so a refusal for a number
    registered elsewhere cannot be told apart by an earlier, cheaper error (security D9).
    """
    areas.require(actor, Cap.EDIT_REGISTRY, village_code)
    cleaned = clean_household(fields)
    member_rows = [clean_member(m) for m in members]
    problems = [FieldProblem(p.field, p.zh, p.en) for p in cleaned.problems]
    for i, c in enumerate(member_rows):
        problems += [FieldProblem(f"members[{i}].{p.field}", p.zh, p.en) for p in c.problems]
    if not members:
        problems.append(FieldProblem("members", "至少需要一名家庭成员（户主）", "add at least the head"))
    if problems:
        raise ValidationFailed(problems)
    if sum(1 for c in member_rows if c.values["relation"] == "户主") != 1:
        raise invalid("members", "必须有且只有一名户主", "exactly one member must be the head")
    placement = _placement(village_code, grid_id, group_code)
    taken = Household.objects.filter(number=cleaned.values["number"]).values_list("village_id", "grid_id").first()
    if taken is not None:
        if not sees_registered(actor, *taken):
            raise RegistrationRefused("number", village_code)
        raise Conflict(f"户编号{cleaned.values['number']}已存在", "That household number already exists", "duplicate")
    _refuse_known_ids(member_rows, actor, village_code)
    h = Household.objects.create(**cleaned.values, **placement)
    for c in member_rows:
        _member_insert(h, c)
    household_refresh(household=h)
    audit_record(actor=actor, action="household_create", obj=h, area_code=village_code)
    return h


def _refuse_known_ids(rows: list[Cleaned], actor: User | None, village_code: str) -> None:
    values = [c.id_number.value for c in rows if c.id_number is not None]
    if len(set(values)) != len(values):
        raise Conflict("同一身份证号填写了两次", "The same ID number is given twice", "duplicate_id")
    digests = [crypto.lookup_hash(v) for v in values]
    places = Member.objects.filter(id_hash__in=digests).values_list("household__village_id", "household__grid_id")
    if any(not sees_registered(actor, village, grid) for village, grid in places):
        raise RegistrationRefused("id_number", village_code)
    if places:
        raise Conflict(
            "该身份证号已登记在册（可按身份证号查找）",
            "That ID number is already registered (find it by ID number)",
            "duplicate_id",
        )


def _clean_member_or_raise(raw: dict[str, Any]) -> Cleaned:
    c = clean_member(raw)
    _raise(c)
    return c


def _member_insert(h: Household, c: Cleaned) -> Member:
    assert c.id_number is not None
    idn = c.id_number
    return Member.objects.create(
        household=h,
        id_hash=crypto.lookup_hash(idn.value),
        id_enc=crypto.encrypt(idn.value),
        id_masked=idn.masked,
        birth_date=idn.birth_date,
        sex=idn.sex,
        **c.values,
    )


def _changed(household_id: int) -> None:
    """Announce the change once it commits (`registry.signals.households_changed`; monitoring re-screens)."""
    signals.note_change(household_id)


def household_refresh(*, household: Household) -> None:
    """Keep the denormalised head name and size in step with the members."""
    _changed(household.pk)
    active = list(Member.objects.filter(household=household, active=True).values_list("relation", "name"))
    head = next((n for r, n in active if r == "户主"), "")
    if household.head_name != head or household.size != len(active):
        Household.objects.filter(pk=household.pk).update(head_name=head, size=len(active))
        household.head_name, household.size = head, len(active)


_EDITABLE = {"address", "phone", "poverty_exited", "exit_year", "dibao", "tekun", "no_labour", "relocated"}


@transaction.atomic
def household_update(
    *, actor: User | None, household: Household, changes: dict[str, Any], reason: str = ""
) -> Household:
    areas.require(actor, Cap.EDIT_REGISTRY, household.village_id)
    unknown = set(changes) - _EDITABLE - {"grid_id", "village_code", "group_code"}
    if unknown:
        raise ValidationFailed(
            [FieldProblem(k, "该字段不可修改", "this field cannot be changed here") for k in unknown]
        )
    flat = {k: v for k, v in changes.items() if k in _EDITABLE}
    merged = {k: getattr(household, k) for k in _EDITABLE} | flat
    cleaned = clean_household({**merged, "number": household.number})
    _raise(cleaned)
    for k in flat:
        setattr(household, k, cleaned.values[k])
    _apply_flag_dates(household, flat)
    if not household.relocated:  # not relocated (any more): on no site, so the site KPI stops counting it
        household.relocation_site, household.relocated_on, household.relocated_from = None, None, None
    old_village, old_grid_id = household.village_id, household.grid_id
    if {"grid_id", "village_code", "group_code"} & set(changes):
        if "village_code" in changes and not isinstance(changes["village_code"], str):
            raise invalid("village_code", "请填写12位村级区划代码", "give the 12-digit village code")
        village = changes.get("village_code", household.village_id)
        areas.require(actor, Cap.EDIT_REGISTRY, village)
        place = _placement(village, changes.get("grid_id", household.grid_id), changes.get("group_code"))
        household.village, household.grid, household.group = place["village"], place["grid"], place["group"]
    household._change_reason = reason
    household.save()
    _changed(household.pk)
    if (household.village_id, household.grid_id) != (old_village, old_grid_id):
        signals.household_moved.send(
            sender=Household, household=household, old_village=old_village, old_grid_id=old_grid_id
        )
    audit_record(
        actor=actor,
        action="household_update",
        obj=household,
        area_code=household.village_id,
        reason=reason,
        data={"fields": sorted(changes)},
    )
    return household


def _apply_flag_dates(h: Household, changes: dict[str, Any]) -> None:
    today = timezone.localdate()
    for flag, since in (("dibao", "dibao_since"), ("tekun", "tekun_since"), ("no_labour", "no_labour_since")):
        if flag in changes:
            setattr(h, since, (getattr(h, since) or today) if getattr(h, flag) else None)


@transaction.atomic
def household_set_monitoring(
    *,
    household: Household,
    monitoring_type: str,
    risk_codes: list[str],
    since: dt.date | None,
    eliminated_on: dt.date | None = None,
    actor: User | None = None,
    reason: str = "",
) -> Household:
    """Set by casework when a household is brought under monitoring or its risk is eliminated."""
    if monitoring_type not in codes.MONITORING_TYPE:
        raise invalid("monitoring_type", "监测对象类型无效", "unknown monitoring type")
    if len(risk_codes) > 5:
        raise invalid("risk_codes", "风险类型最多5项", "at most 5 risk codes")
    household.monitoring_type = monitoring_type
    household.risk_codes = risk_codes
    household.monitoring_since = since
    household.risk_eliminated_on = eliminated_on
    household._change_reason = reason
    household.save()
    audit_record(
        actor=actor,
        action="household_set_monitoring",
        obj=household,
        area_code=household.village_id,
        reason=reason,
        data={"type": monitoring_type, "eliminated": str(eliminated_on or "")},
    )
    return household


@transaction.atomic
def household_set_relocation(
    *,
    household: Household,
    site: ResettlementSite | None,
    moved_on: dt.date | str | None,
    from_village: str | None = None,
    actor: User | None = None,
    reason: str = "",
) -> Household:
    """Place a relocated household on a site, move it to another site, or (site None) take it off the
    sites. The relocation KPI and its action list read exactly these fields, so every household placed
    here counts at once. A move keeps the history (who, when, from which site) in the household's record."""
    areas.require(actor, Cap.EDIT_REGISTRY, household.village_id)
    problems: list[FieldProblem] = []
    day: dt.date | None = None
    if moved_on not in (None, ""):
        try:
            day = inputs.date(moved_on, "moved_on", window=date_window(), zh="搬迁入住日期", en="moving-in date")
        except ValidationFailed as exc:
            problems += exc.problems
    from_code = (from_village or "").strip() or None
    if from_code:
        origin = areas.area_by_code(from_code)
        if origin is None or origin.level != "village":
            problems.append(
                FieldProblem(
                    "from_village",
                    f"迁出村区划代码{from_code}不存在，请填写12位村级区划代码",
                    f"No village has the code {from_code}; give the 12-digit code of the village moved from",
                )
            )
    if problems:
        raise ValidationFailed(problems)
    before = household.relocation_site_id
    household.relocated = site is not None
    household.relocation_site = site
    household.relocated_on = day if site is not None else None
    household.relocated_from_id = from_code if site is not None else None
    household._change_reason = reason
    household.save()
    _changed(household.pk)
    action = "household_set_relocation" if before is None or site is None else "household_move_site"
    audit_record(
        actor=actor,
        action=action,
        obj=household,
        area_code=household.village_id,
        reason=reason,
        data={"site": site.pk if site else None, "from_site": before},
    )
    return household


@_audit_refusals
@transaction.atomic
def member_add(*, actor: User | None, household: Household, fields: dict[str, Any]) -> Member:
    areas.require(actor, Cap.EDIT_REGISTRY, household.village_id)
    c = _clean_member_or_raise(fields)
    if (
        c.values["relation"] == "户主"
        and Member.objects.filter(household=household, relation="户主", active=True).exists()
    ):
        raise Conflict("该户已有户主", "The household already has a head", "duplicate_head")
    _refuse_known_ids([c], actor, household.village_id)  # last: no earlier error tells numbers apart (D9)
    m = _member_insert(household, c)
    household_refresh(household=household)
    audit_record(actor=actor, action="member_add", obj=m, area_code=household.village_id)
    return m


@transaction.atomic
def member_update(*, actor: User | None, member: Member, changes: dict[str, Any], reason: str = "") -> Member:
    areas.require(actor, Cap.EDIT_REGISTRY, member.household.village_id)
    if "id_number" in changes:
        raise invalid(
            "id_number",
            "身份证号不能修改；如登记有误请删除该成员后重新添加",
            "An ID number cannot be edited; remove and re-add the member",
        )
    c = clean_member(changes, partial=True)
    _raise(c)
    for k, v in c.values.items():
        setattr(member, k, v)
    member._change_reason = reason
    member.save()
    household_refresh(household=member.household)
    audit_record(
        actor=actor,
        action="member_update",
        obj=member,
        area_code=member.household.village_id,
        reason=reason,
        data={"fields": sorted(c.values)},
    )
    return member


@transaction.atomic
def member_remove(*, actor: User | None, member: Member, reason: str) -> Member:
    """Members are never deleted: they leave the household (death, marriage, move) with a reason."""
    areas.require(actor, Cap.EDIT_REGISTRY, member.household.village_id)
    if not reason.strip():
        raise invalid("reason", "请填写减员原因", "give the reason the member left")
    member.active = False
    member.left_reason = reason
    member._change_reason = reason
    member.save()
    household_refresh(household=member.household)
    audit_record(actor=actor, action="member_remove", obj=member, area_code=member.household.village_id, reason=reason)
    return member


def _statement(household_id: int, year: int) -> IncomeStatement:
    st, _ = IncomeStatement.objects.get_or_create(household_id=household_id, year=year)
    return st


@transaction.atomic
def income_record(
    *,
    household_id: int,
    year: int,
    item: str,
    amount: Decimal | str | int,
    source: str,
    source_ref: str = "",
    member_id: int | None = None,
    note: str = "",
    actor: User | None = None,
    reason: str = "",
) -> IncomeItem:
    """Add or (when source_ref is given) replace one income line and recompute the statement.

    Other modules (employment, insurance, market) call this with their own source and reference,
    so a payroll rerun or a corrected claim updates its line instead of adding a second one.
    `reason` (e.g. a payslip correction's) goes into the line's history and the audit log.
    """
    if item not in codes.ITEM_CATEGORY:
        raise invalid("item", "收入项目无效", "unknown income item")
    value = inputs.amount(amount, "amount")
    note = inputs.text(note, "note", max_len=200, multiline=True, zh="备注", en="note")
    _member_of(household_id, member_id)
    st = _statement(household_id, year)
    defaults = {"item": item, "amount": value, "member_id": member_id, "note": note}
    if source_ref:
        line, _ = IncomeItem.objects.update_or_create(
            statement=st, source=source, source_ref=source_ref, defaults=defaults
        )
    else:
        line = IncomeItem.objects.create(statement=st, source=source, **defaults)
    if reason:
        update_change_reason(line, reason[:100])
    statement_recompute(statement=st)
    audit_record(
        actor=actor,
        action="income_record",
        obj=line,
        area_code=str(Household.objects.filter(pk=household_id).values_list("village_id", flat=True).get()),
        reason=reason,
        data={"item": item, "amount": str(value), "source": source},
    )
    return line


@transaction.atomic
def income_remove(*, household_id: int, year: int, source: str, source_ref: str, actor: User | None = None) -> None:
    st = IncomeStatement.objects.filter(household_id=household_id, year=year).first()
    if st is None:
        return
    IncomeItem.objects.filter(statement=st, source=source, source_ref=source_ref).delete()
    statement_recompute(statement=st)


def income_item_set(
    *,
    actor: User,
    household: Household,
    year: int,
    item: str,
    amount: Any,
    note: str = "",
    member_id: int | None = None,
) -> IncomeItem:
    """A manual line entered by an officer (scoped)."""
    areas.require(actor, Cap.EDIT_REGISTRY, household.village_id)
    year = inputs.year(year, "year", low=2013, high=timezone.localdate().year)
    return income_record(
        household_id=household.pk,
        year=year,
        item=item,
        amount=_amount(amount),
        source="manual",
        member_id=member_id,
        note=note,
        actor=actor,
    )


@transaction.atomic
def income_item_update(
    *, actor: User, item: IncomeItem, amount: Any = None, note: str | None = None, code: str | None = None
) -> IncomeItem:
    """Correct a manual line (amount, item or note); lines fed by other modules change there."""
    household = item.statement.household
    areas.require(actor, Cap.EDIT_REGISTRY, household.village_id)
    _manual_only(item)
    if code is not None:
        if code not in codes.ITEM_CATEGORY:
            raise invalid("item", "收入项目无效", "unknown income item")
        item.item = code
    if amount is not None:
        item.amount = _amount(amount)
    if note is not None:
        item.note = inputs.text(note, "note", max_len=200, multiline=True, zh="备注", en="note")
    item.save()
    statement_recompute(statement=item.statement)
    audit_record(
        actor=actor,
        action="income_item_update",
        obj=item,
        area_code=household.village_id,
        data={"item": item.item, "amount": str(item.amount)},
    )
    return item


def _amount(raw: Any) -> Decimal:
    return inputs.amount(raw, "amount")


def _member_of(household_id: int, member_id: int | None) -> None:
    """An income line may only name a member of its own household (never one of another area)."""
    if member_id is not None and not Member.objects.filter(pk=member_id, household_id=household_id).exists():
        raise invalid("member_id", "该人员不是本户成员", "that person is not a member of this household")


def _manual_only(item: IncomeItem) -> None:
    if item.source != "manual":
        raise ApplicationError(
            zh="该收入由其他业务自动生成，请在原业务中修改",
            en="This line comes from another module; change it there",
            code="not_manual",
        )


@transaction.atomic
def income_item_delete(*, actor: User, item: IncomeItem) -> None:
    household = item.statement.household
    areas.require(actor, Cap.EDIT_REGISTRY, household.village_id)
    _manual_only(item)
    st = item.statement
    item.delete()
    statement_recompute(statement=st)
    audit_record(actor=actor, action="income_item_delete", obj=st, area_code=household.village_id)


STATEMENT_LIMIT = MONEY_LIMIT  # what a statement column holds


def statement_recompute(*, statement: IncomeStatement) -> IncomeStatement:
    _changed(statement.household_id)
    # Summed here, not in SQL: a sum is checked against the columns before it is stored.
    rows = list(IncomeItem.objects.filter(statement=statement).values_list("item", "amount"))
    size = Member.objects.filter(household_id=statement.household_id, active=True).count()
    t = totals(rows, size)
    if (
        max(
            abs(v)
            for v in (
                t.wage,
                t.business_income,
                t.business_cost,
                t.property_income,
                t.transfer,
                t.claims,
                t.out_of_pocket,
                t.net_income,
                t.per_capita,
            )
        )
        >= STATEMENT_LIMIT
    ):
        raise invalid(
            "amount",
            "本年度收入合计超出可登记范围，请核对金额",
            "the year's totals would exceed what a statement can hold; check the amounts",
        )
    statement.wage, statement.business_income, statement.business_cost = t.wage, t.business_income, t.business_cost
    statement.property, statement.transfer, statement.claims = t.property_income, t.transfer, t.claims
    statement.out_of_pocket = t.out_of_pocket
    statement.size, statement.net_income, statement.per_capita = size, t.net_income, t.per_capita
    statement.save()
    return statement


@transaction.atomic
def guarantee_check_record(
    *,
    actor: User | None,
    household: Household,
    checked_on: dt.date,
    housing_safe: bool,
    schooling_ok: bool,
    medical_ok: bool,
    water_safe: bool,
    note: str = "",
) -> GuaranteeCheck:
    # grid workers check the households of their grids; officers those of their areas
    areas.require(actor, Cap.LOG_VISITS, household.village_id, grid_id=household.grid_id)
    not_future(checked_on, "checked_on", zh="核查日期", en="check date")
    g = GuaranteeCheck.objects.create(
        household=household,
        checked_on=checked_on,
        housing_safe=housing_safe,
        schooling_ok=schooling_ok,
        medical_ok=medical_ok,
        water_safe=water_safe,
        note=note,
        checked_by=actor,
    )
    _changed(household.pk)
    audit_record(actor=actor, action="guarantee_check_record", obj=g, area_code=household.village_id)
    return g


@transaction.atomic
def site_create(*, actor: User | None, area_code: str, name: str, **fields: Any) -> ResettlementSite:
    """A resettlement site in a village or community (CONFIGURE over it); its type is required."""
    areas.require(actor, Cap.CONFIGURE, area_code)
    problems: list[FieldProblem] = []
    place = areas.area_by_code(area_code) if area_code else None
    if place is None or place.level != "village":
        problems.append(
            FieldProblem(
                "area",
                "请选择安置点所在的村(社区)（12位村级区划代码）",
                "Choose the village or community the site is in (a 12-digit village code)",
            )
        )
    if not fields.get("kind"):
        problems.append(
            FieldProblem(
                "kind", "请选择安置方式：城镇、集镇或中心村", "Choose the type: urban, town or village-centred"
            )
        )
    try:
        values = _site_values({"name": name, **fields})
    except ValidationFailed as exc:
        raise ValidationFailed(problems + exc.problems) from None
    if problems:
        raise ValidationFailed(problems)
    site = ResettlementSite.objects.create(area_id=area_code, **values)
    audit_record(actor=actor, action="site_create", obj=site, area_code=area_code)
    return site


SITE_FIELDS = (
    "name",
    "kind",
    "community",
    "address",
    "planned_households",
    "planned_people",
    "completed_year",
    "services",
)


def _site_values(changes: dict[str, Any]) -> dict[str, Any]:
    """Each field checked; every problem reported at once (a form shows them beside their fields)."""
    unknown = set(changes) - set(SITE_FIELDS)
    if unknown:
        raise ValidationFailed(
            [FieldProblem(k, "不能修改该字段", "this field cannot be changed") for k in sorted(unknown)]
        )
    out = dict(changes)
    checks: dict[str, Callable[[Any], Any]] = {
        "name": lambda v: inputs.name(v, "name", max_len=100, zh="安置点名称", en="site name"),
        "community": lambda v: inputs.text(v, "community", max_len=100, zh="管理社区", en="community"),
        "address": lambda v: inputs.text(v, "address", max_len=200, zh="地址", en="address"),
        "services": lambda v: inputs.text(v, "services", max_len=2000, multiline=True, zh="配套服务", en="services"),
        "planned_households": lambda v: inputs.count(
            v or 0, "planned_households", high=100_000, zh="规划户数", en="planned households"
        ),
        "planned_people": lambda v: inputs.count(
            v or 0, "planned_people", high=500_000, zh="规划人数", en="planned people"
        ),
        "completed_year": lambda v: (
            None
            if v in (None, "")
            else inputs.count(
                v,
                "completed_year",
                low=1949,
                high=timezone.localdate().year + 5,
                zh="建成年份",
                en="year of completion",
            )
        ),
        "kind": _site_kind,
    }
    problems: list[FieldProblem] = []
    for key in list(out):
        try:
            out[key] = checks[key](out[key])
        except ValidationFailed as exc:
            problems += exc.problems
    if problems:
        raise ValidationFailed(problems)
    return out


def _site_kind(value: Any) -> str:
    text = str(value or "").strip()
    by_label = {label: code for code, label in codes.SITE_KINDS.items()}
    if text in codes.SITE_KINDS or text in by_label:
        return by_label.get(text, text)
    raise invalid(
        "kind",
        "安置方式应为 城镇安置、集镇安置 或 中心村安置",
        "The type is one of urban (城镇安置), town (集镇安置) or village-centred (中心村安置)",
    )


@transaction.atomic
def site_update(*, actor: User | None, site: ResettlementSite, changes: dict[str, Any]) -> ResettlementSite:
    """Correct a resettlement site's fields (CONFIGURE over its area); its village stays."""
    areas.require(actor, Cap.CONFIGURE, site.area_id)
    values = _site_values(changes)
    for key, value in values.items():
        setattr(site, key, value)
    site.save()
    audit_record(actor=actor, action="site_update", obj=site, area_code=site.area_id, data={"fields": sorted(values)})
    return site
