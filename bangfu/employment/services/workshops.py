"""Writes about workshops: creation, funding, status transitions and wage schedules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from bangfu.accounts.domain.roles import Cap
from bangfu.accounts.selectors import has_cap
from bangfu.areas import selectors as areas
from bangfu.core.domain import credit_code
from bangfu.core.domain.workflow import StepRefused
from bangfu.core.errors import Conflict, invalid, refused
from bangfu.core.selectors import get_or_404
from bangfu.core.services import audit_record
from bangfu.employment import selectors
from bangfu.employment.domain import transitions
from bangfu.employment.domain.wages import WageKind
from bangfu.employment.models import FundingSource, Operator, WageRule, Workshop, WorkshopEvent, WorkshopRevenue
from bangfu.employment.services._common import date, money, text, whole
from bangfu.registry import selectors as registry

if TYPE_CHECKING:
    from bangfu.accounts.models import User


def _village(field: str, code: str) -> Any:
    area = areas.area_by_code(code or "")
    if area is None or area.level != "village":
        raise invalid(field, "请选择一个村(社区)", "choose a village or community")
    return area


def _operator(values: dict[str, Any]) -> Operator:
    try:  # GB 32100 with its check character: the same validator as the market module's
        code = credit_code.parse(str(values.get("operator_credit_code", "")))
    except credit_code.InvalidCreditCode as exc:
        raise invalid("operator_credit_code", exc.zh, exc.en) from None
    existing = Operator.objects.filter(credit_code=code).first()
    if existing is not None:
        return existing
    return Operator.objects.create(
        credit_code=code,
        name=text("operator_name", values.get("operator_name"), "运营主体名称", "operator name"),
        contact=str(values.get("operator_contact", ""))[:60],
        phone=str(values.get("operator_phone", ""))[:20],
    )


WORKSHOP_EDITABLE = (
    "name",
    "kind",
    "land_village",
    "site",
    "site_distance",
    "started_on",
    "insurance_per_worker_month",
)


def _kind(value: Any) -> str:
    kind = str(value or "")
    if kind not in dict(Workshop.KINDS):
        raise invalid(
            "kind",
            "请选择车间类型：厂房式、居家式、种养式、贸易流通式或文化旅游式",
            "choose the type: factory, home-based, farming, trade or tourism",
        )
    return kind


def _site(actor: User, value: Any) -> Any:
    if value in (None, ""):
        return None
    try:
        return registry.site_get(actor, int(value))
    except (TypeError, ValueError):
        raise invalid("site", "请从列表中选择安置点", "choose a resettlement site from the list") from None


def _workshop_fields(actor: User, values: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """Cleaned values of the given keys (the same checks for creating and for editing)."""
    cleaners: dict[str, Callable[[Any], Any]] = {
        "name": lambda v: text("name", v, "车间名称", "workshop name"),
        "kind": _kind,
        "land_village": lambda v: _village("land_village", str(v or "")),
        "site": lambda v: _site(actor, v),
        "site_distance": lambda v: str(v or "").strip()[:60],
        "started_on": lambda v: date("started_on", v),
        "insurance_per_worker_month": lambda v: money("insurance_per_worker_month", v or 0),
    }
    return {k: cleaners[k](values.get(k)) for k in keys}


@transaction.atomic
def workshop_create(*, actor: User, values: dict[str, Any]) -> Workshop:
    """Register a workshop (status 已申报) with its operator, found or created by credit code."""
    village = _village("village", str(values.get("village", "")))
    areas.require(actor, Cap.EMPLOYMENT_EDIT, village.code)
    # The land usually belongs to the workshop's own village; another village's land is named explicitly.
    cleaned = _workshop_fields(
        actor, values | {"land_village": values.get("land_village") or village.code}, WORKSHOP_EDITABLE
    )
    w = Workshop.objects.create(village=village, operator=_operator(values), **cleaned)
    audit_record(actor=actor, action="workshop_create", obj=w, area_code=village.code)
    return w


@transaction.atomic
def workshop_update(*, actor: User, workshop: Workshop, values: dict[str, Any], reason: str = "") -> Workshop:
    """Change the workshop's own facts (not its village or operator, which decide who may see it)."""
    areas.require(actor, Cap.EMPLOYMENT_EDIT, workshop.village_id)
    keys = tuple(k for k in WORKSHOP_EDITABLE if k in values)
    cleaned = _workshop_fields(actor, values, keys)
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
    y = whole("year", year, low=2000, high=last)
    row, _ = WorkshopRevenue.objects.update_or_create(
        workshop=workshop,
        year=y,
        defaults={"amount": money("amount", amount), "note": note.strip()[:200]},
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
        amount=money("amount", amount, allow_zero=False),
        year=whole("year", year, low=2000, high=2100),
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


def _wage_values(values: dict[str, Any]) -> dict[str, Any]:
    kind = str(values.get("kind", ""))
    if kind not in {k.value for k in WageKind}:
        raise invalid(
            "kind",
            "请选择计薪方式：底薪+计件、计日或固定月薪",
            "choose the wage kind: base plus piece rate, day rate or fixed",
        )
    out: dict[str, Any] = {"kind": kind}
    for f in ("base", "piece_rate", "day_rate", "fixed"):
        out[f] = money(f, values.get(f) or 0)
    cap = values.get("cap")
    out["cap"] = None if cap in (None, "") else money("cap", cap, allow_zero=False)
    needed = {
        "base_piece": ("piece_rate", "计件单价", "piece rate"),
        "day": ("day_rate", "日工资", "day rate"),
        "fixed": ("fixed", "固定月薪", "fixed wage"),
    }[kind]
    if out[needed[0]] == Decimal(0) and not (kind == "base_piece" and out["base"] > 0):
        raise invalid(needed[0], f"请填写{needed[1]}", f"enter the {needed[2]}")
    return out


@transaction.atomic
def wage_rule_set(
    *, actor: User, workshop: Workshop, code: str, name: str, effective_from: Any, values: dict[str, Any]
) -> WageRule:
    """A workshop's wage schedule from a date; the version it replaces ends the day before."""
    get_or_404(selectors.workshops_visible(actor, edit=True), workshop.pk)
    start = date("effective_from", effective_from)
    code = text("code", code, "规则编号", "rule code", 20)
    cleaned = _wage_values(values)
    for row in WageRule.objects.select_for_update().filter(workshop=workshop, code=code, effective_to__isnull=True):
        if row.effective_from >= start:
            raise Conflict(
                f"规则{code}已有{row.effective_from}起生效的版本，新版本生效日期须更晚",
                f"Rule {code} already has a version from {row.effective_from}; choose a later date",
            )
        row.effective_to = start - dt.timedelta(days=1)
        row.save(update_fields=["effective_to"])
    rule = WageRule.objects.create(
        workshop=workshop,
        code=code,
        name=text("name", name, "规则名称", "rule name", 60),
        effective_from=start,
        **cleaned,
    )
    audit_record(actor=actor, action="wage_rule_set", obj=rule, area_code=workshop.village_id)
    return rule
