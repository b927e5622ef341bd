"""Writes about workshops: creation, funding, status transitions and wage schedules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from bangfu.accounts.domain.roles import Cap
from bangfu.accounts.selectors import has_cap
from bangfu.areas import selectors as areas
from bangfu.core import inputs
from bangfu.core.domain.money import ZERO
from bangfu.core.domain.workflow import StepRefused
from bangfu.core.errors import Conflict, invalid, refused
from bangfu.core.selectors import get_or_404
from bangfu.core.services import audit_record
from bangfu.employment import selectors
from bangfu.employment.domain import transitions
from bangfu.employment.domain.wages import WageKind
from bangfu.employment.models import FundingSource, Operator, WageRule, Workshop, WorkshopEvent, WorkshopRevenue
from bangfu.employment.services._common import end_current_version
from bangfu.registry import selectors as registry

if TYPE_CHECKING:
    from bangfu.accounts.models import User


def _village(field: str, code: str) -> Any:
    area = areas.area_by_code(code or "")
    if area is None or area.level != "village":
        raise invalid(field, "请选择一个村(社区)", "choose a village or community")
    return area


@dataclass(frozen=True)
class OperatorInput:
    """The operator a new workshop names: found by its credit code (already checked: GB 32100 with its
    check character), or created with these details (then `name` is required)."""

    credit_code: str
    name: str = ""
    contact: str = ""
    phone: str = ""


def _operator(o: OperatorInput) -> Operator:
    existing = Operator.objects.filter(credit_code=o.credit_code).first()
    if existing is not None:
        return existing
    if not o.name:
        raise invalid("operator_name", "请填写运营主体名称", "Fill in the operator name")
    return Operator.objects.create(credit_code=o.credit_code, name=o.name, contact=o.contact, phone=o.phone)


WORKSHOP_EDITABLE = (
    "name",
    "kind",
    "land_village",
    "site",
    "site_distance",
    "started_on",
    "insurance_per_worker_month",
)


@dataclass(frozen=True)
class WorkshopFacts:
    """The workshop's own facts (WORKSHOP_EDITABLE), parsed at the edge (`employment.inputs`).
    `land_village` is a village code ("" on creation: the workshop's own village); `site` a site's id."""

    name: str
    kind: str
    land_village: str
    site: int | None
    site_distance: str
    started_on: dt.date
    insurance_per_worker_month: Decimal


@dataclass(frozen=True)
class WorkshopInput:
    """A new workshop: its village (which, with the operator, decides who may see it), facts, operator."""

    village: str
    facts: WorkshopFacts
    operator: OperatorInput


def _site(actor: User, pk: int | None) -> Any:
    return None if pk is None else registry.site_get(actor, pk)


def _workshop_fields(actor: User, facts: WorkshopFacts, keys: tuple[str, ...]) -> dict[str, Any]:
    """The model values of the given keys: places looked up in the actor's scope, the rest as parsed."""
    found: dict[str, Callable[[], Any]] = {
        "land_village": lambda: _village("land_village", facts.land_village),
        "site": lambda: _site(actor, facts.site),
    }
    return {k: found[k]() if k in found else getattr(facts, k) for k in keys}


@transaction.atomic
def workshop_create(*, actor: User, workshop: WorkshopInput) -> Workshop:
    """Register a workshop (status 已申报) with its operator, found or created by credit code."""
    village = _village("village", workshop.village)
    areas.require(actor, Cap.EMPLOYMENT_EDIT, village.code)
    # The land usually belongs to the workshop's own village; another village's land is named explicitly.
    facts = replace(workshop.facts, land_village=workshop.facts.land_village or village.code)
    cleaned = _workshop_fields(actor, facts, WORKSHOP_EDITABLE)
    w = Workshop.objects.create(village=village, operator=_operator(workshop.operator), **cleaned)
    audit_record(actor=actor, action="workshop_create", obj=w, area_code=village.code)
    return w


@transaction.atomic
def workshop_update(
    *,
    actor: User,
    workshop: Workshop,
    facts: WorkshopFacts,
    fields: tuple[str, ...] = WORKSHOP_EDITABLE,
    reason: str = "",
) -> Workshop:
    """Change the workshop's own facts (not its village or operator, which decide who may see it).
    Only `fields` are written (an API PATCH names what it sends)."""
    areas.require(actor, Cap.EMPLOYMENT_EDIT, workshop.village_id)
    keys = tuple(k for k in WORKSHOP_EDITABLE if k in fields)
    cleaned = _workshop_fields(actor, facts, keys)
    for k, v in cleaned.items():
        setattr(workshop, k, v)
    workshop.save(update_fields=list(keys))
    audit_record(
        actor=actor,
        action="workshop_update",
        obj=workshop,
        area_code=workshop.village_id,
        reason=reason,
        data={"fields": list(keys)},
    )
    return workshop


@transaction.atomic
def workshop_revenue_set(
    *, actor: User, workshop: Workshop, year: int, amount: Decimal, note: str = ""
) -> WorkshopRevenue:
    """The revenue of one finished calendar year (re-entering a year corrects it)."""
    areas.require(actor, Cap.EMPLOYMENT_EDIT, workshop.village_id)
    last = timezone.localdate().year - 1
    y = inputs.whole(year, "year", low=2000, high=last)
    row, _ = WorkshopRevenue.objects.update_or_create(
        workshop=workshop,
        year=y,
        defaults={"amount": inputs.money(amount, "amount"), "note": note.strip()[:200]},
    )
    audit_record(
        actor=actor,
        action="workshop_revenue_set",
        obj=row,
        area_code=workshop.village_id,
        data={"year": y, "amount": str(row.amount)},
    )
    return row


@transaction.atomic
def funding_add(
    *,
    actor: User,
    workshop: Workshop,
    kind: str,
    amount: Decimal,
    year: int,
    partner_province: str = "",
    note: str = "",
) -> FundingSource:
    areas.require(actor, Cap.EMPLOYMENT_EDIT, workshop.village_id)
    if kind not in dict(FundingSource.KINDS):
        raise invalid("kind", "请选择资金来源", "choose the funding source")
    if kind == "east_west" and not partner_province.strip():
        raise invalid(
            "partner_province",
            "东西部协作资金须填写协作省份（如 浙江）",
            "East–West funds need the partner province (e.g. 浙江)",
        )
    f = FundingSource.objects.create(
        workshop=workshop,
        kind=kind,
        amount=inputs.money(amount, "amount", positive=True),
        year=inputs.whole(year, "year", low=2000, high=2100),
        partner_province=partner_province.strip()[:20],
        note=note[:200],
    )
    audit_record(
        actor=actor,
        action="funding_add",
        obj=f,
        area_code=workshop.village_id,
        data={"kind": kind, "amount": str(f.amount)},
    )
    return f


@transaction.atomic
def workshop_transition(*, actor: User, workshop: Workshop, event: str, reason: str = "") -> Workshop:
    """Apply one row of the transition table; every transition is recorded as a WorkshopEvent."""
    areas.require(actor, Cap.EMPLOYMENT_EDIT, workshop.village_id)
    locked = Workshop.objects.select_for_update().get(pk=workshop.pk)
    found = selectors.workshop_checks(locked, timezone.localdate())
    facts = transitions.Facts(tuple(found.recognition), tuple(found.upgrade))
    who = {cap for cap in transitions.TABLE.who() if has_cap(actor, Cap(cap))}
    try:
        row = transitions.TABLE.decide(locked.status, event, who, facts, reason)
    except StepRefused as exc:
        raise refused(exc) from None
    # The event row keeps the criteria the step was decided on, as they stood that day.
    checked = facts.recognition if row.guards else ()
    checks = [c.__dict__ for c in checked + (facts.upgrade if transitions.G_UPGRADE in row.guards else ())]
    WorkshopEvent.objects.create(
        workshop=locked,
        actor=actor,
        event=row.event.value,
        from_state=locked.status,
        to_state=row.target.value,
        note=reason,
        data={"checks": checks} if checks else {},
    )
    locked.status = row.target.value
    locked.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=f"workshop_{row.event.value}",
        obj=locked,
        area_code=locked.village_id,
        reason=reason,
    )
    return locked


@dataclass(frozen=True)
class WageRuleInput:
    """A wage schedule from a date, parsed at the edge (`employment.inputs.wage_rule_input`)."""

    code: str
    name: str
    effective_from: dt.date
    kind: str
    base: Decimal = ZERO
    piece_rate: Decimal = ZERO
    day_rate: Decimal = ZERO
    fixed: Decimal = ZERO
    cap: Decimal | None = None


_NEEDED = {
    WageKind.BASE_PIECE: ("piece_rate", "计件单价", "piece rate"),
    WageKind.DAY: ("day_rate", "日工资", "day rate"),
    WageKind.FIXED: ("fixed", "固定月薪", "fixed wage"),
}


@transaction.atomic
def wage_rule_set(*, actor: User, workshop: Workshop, rule: WageRuleInput) -> WageRule:
    """A workshop's wage schedule from a date; the version it replaces ends the day before."""
    get_or_404(selectors.workshops_visible(actor, edit=True), workshop.pk)
    start, code = rule.effective_from, rule.code
    field, zh, en = _NEEDED[WageKind(rule.kind)]
    if getattr(rule, field) == ZERO and not (rule.kind == WageKind.BASE_PIECE and rule.base > 0):
        raise invalid(field, f"请填写{zh}", f"enter the {en}")
    end_current_version(
        WageRule.objects.filter(workshop=workshop, code=code),
        start,
        lambda since: Conflict(
            f"规则{code}已有{since}起生效的版本，新版本生效日期须更晚",
            f"Rule {code} already has a version from {since}; choose a later date",
        ),
    )
    made = WageRule.objects.create(
        workshop=workshop,
        code=code,
        name=rule.name,
        effective_from=start,
        kind=rule.kind,
        base=rule.base,
        piece_rate=rule.piece_rate,
        day_rate=rule.day_rate,
        fixed=rule.fixed,
        cap=rule.cap,
    )
    audit_record(actor=actor, action="wage_rule_set", obj=made, area_code=workshop.village_id)
    return made
