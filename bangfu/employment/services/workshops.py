"""Writes about workshops: creation, funding, status transitions and wage schedules."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from bangfu.accounts.domain.roles import Cap
from bangfu.accounts.selectors import has_cap
from bangfu.areas import selectors as areas
from bangfu.core.errors import ApplicationError, Conflict, Forbidden, NotFound
from bangfu.core.services import audit_record
from bangfu.employment import selectors
from bangfu.employment.domain import transitions
from bangfu.employment.domain.transitions import Event, Guard, State
from bangfu.employment.domain.wages import WageKind
from bangfu.employment.models import FundingSource, Operator, WageRule, Workshop, WorkshopEvent
from bangfu.employment.services._common import date, fail, money, text, whole
from bangfu.registry import selectors as registry

if TYPE_CHECKING:
    from bangfu.accounts.models import User

# 统一社会信用代码: 18 characters, digits and capital letters except I, O, S, V, Z.
_CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def _require_officer_edit(actor: User, village_code: str) -> None:
    """Area-wide employment editing: the EMPLOYMENT_EDIT capability over an area the actor sees."""
    if not areas.scope_for(actor, Cap.VIEW_PEOPLE).covers_code(village_code):
        raise NotFound()
    if not areas.scope_for(actor, Cap.EMPLOYMENT_EDIT).covers_code(village_code):
        raise Forbidden("您的角色无权修改就业帮扶信息", "Your role may not change employment records")


def _village(field: str, code: str) -> Any:
    area = areas.area_by_code(code or "")
    if area is None or area.level != "village":
        raise fail(field, "请选择一个村(社区)", "choose a village or community")
    return area


def _operator(values: dict[str, Any]) -> Operator:
    code = str(values.get("operator_credit_code", "")).strip().upper()
    if not _CREDIT_CODE.match(code):
        raise fail(
            "operator_credit_code",
            "统一社会信用代码应为18位数字或大写字母（不含I、O、S、V、Z），请核对营业执照",
            "The unified social credit code has 18 digits or capital letters (no I, O, S, V, Z); "
            "copy it from the business licence",
        )
    existing = Operator.objects.filter(credit_code=code).first()
    if existing is not None:
        return existing
    return Operator.objects.create(
        credit_code=code,
        name=text("operator_name", values.get("operator_name"), "运营主体名称", "operator name"),
        contact=str(values.get("operator_contact", ""))[:60],
        phone=str(values.get("operator_phone", ""))[:20],
    )


@transaction.atomic
def workshop_create(*, actor: User, values: dict[str, Any]) -> Workshop:
    """Register a workshop (status 已申报) with its operator, found or created by credit code."""
    village = _village("village", str(values.get("village", "")))
    _require_officer_edit(actor, village.code)
    land = _village("land_village", str(values.get("land_village") or village.code))
    kind = str(values.get("kind", ""))
    if kind not in dict(Workshop.KINDS):
        raise fail(
            "kind",
            "请选择车间类型：厂房式、居家式、种养式、贸易流通式或文化旅游式",
            "choose the type: factory, home-based, farming, trade or tourism",
        )
    site_id = values.get("site")
    site = registry.site_get(actor, int(site_id)) if site_id not in (None, "") else None
    w = Workshop.objects.create(
        name=text("name", values.get("name"), "车间名称", "workshop name"),
        operator=_operator(values),
        kind=kind,
        village=village,
        land_village=land,
        site=site,
        site_distance=str(values.get("site_distance", ""))[:60],
        started_on=date("started_on", values.get("started_on")),
        insurance_per_worker_month=money("insurance_per_worker_month", values.get("insurance_per_worker_month", 0)),
        annual_revenue=money("annual_revenue", values.get("annual_revenue", 0)),
    )
    audit_record(actor=actor, action="workshop_create", obj=w, area_code=village.code)
    return w


@transaction.atomic
def workshop_update(
    *,
    actor: User,
    workshop: Workshop,
    insurance_per_worker_month: Any = None,
    annual_revenue: Any = None,
    reason: str = "",
) -> Workshop:
    """The two figures the criteria read that change over time (insurance bought, last year's revenue)."""
    _require_officer_edit(actor, workshop.village_id)
    if insurance_per_worker_month is not None:
        workshop.insurance_per_worker_month = money("insurance_per_worker_month", insurance_per_worker_month)
    if annual_revenue is not None:
        workshop.annual_revenue = money("annual_revenue", annual_revenue)
    workshop.save(update_fields=["insurance_per_worker_month", "annual_revenue"])
    audit_record(actor=actor, action="workshop_update", obj=workshop, area_code=workshop.village_id, reason=reason)
    return workshop


@transaction.atomic
def funding_add(
    *,
    actor: User,
    workshop: Workshop,
    kind: str,
    amount: Any,
    year: Any,
    partner_province: str = "",
    note: str = "",
) -> FundingSource:
    _require_officer_edit(actor, workshop.village_id)
    if kind not in dict(FundingSource.KINDS):
        raise fail("kind", "请选择资金来源", "choose the funding source")
    if kind == "east_west" and not partner_province.strip():
        raise fail(
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


def _unmet(guard: Guard, workshop: Workshop, on: dt.date, reason: str) -> tuple[list[tuple[str, str]], list[Any]]:
    """((zh, en) of each unmet condition, the checks as recorded on the event row)."""
    if guard is Guard.REASON:
        return ([] if reason.strip() else [("请填写原因", "give the reason")]), []
    if guard is Guard.NONE:
        return [], []
    checks = selectors.workshop_checks(workshop, on)
    relevant = checks.recognition + (checks.upgrade if guard is Guard.UPGRADE else [])
    unmet = [
        (f"{c.zh}为{c.actual}，要求{c.required}", f"{c.en} is {c.actual}, required {c.required}")
        for c in relevant
        if not c.ok
    ]
    return unmet, [c.__dict__ for c in relevant]


@transaction.atomic
def workshop_transition(*, actor: User, workshop: Workshop, event: str, reason: str = "") -> Workshop:
    """Apply one row of the transition table; every transition is recorded as a WorkshopEvent."""
    _require_officer_edit(actor, workshop.village_id)
    locked = Workshop.objects.select_for_update().get(pk=workshop.pk)
    row = transitions.find(State(locked.status), Event(event)) if event in set(Event) else None
    if row is None:
        raise Conflict(
            f"车间当前为“{locked.get_status_display()}”，不能执行该操作",
            f"This step is not possible while the workshop is '{locked.status}'",
            "bad_transition",
        )
    if not has_cap(actor, Cap(row.capability)):
        raise Forbidden("您的角色无权执行该操作", "Your role may not take this step")
    unmet, checks = _unmet(row.guard, locked, timezone.localdate(), reason)
    if unmet:
        raise ApplicationError(
            zh="条件未满足：" + "；".join(zh for zh, _ in unmet) + "。请补齐后再试",
            en="Conditions not met: " + "; ".join(en for _, en in unmet) + ". Fix them and retry",
            code="criteria_not_met",
            status=409,
        )
    WorkshopEvent.objects.create(
        workshop=locked,
        actor=actor,
        event=row.event.value,
        from_state=locked.status,
        to_state=row.next.value,
        reason=reason[:200],
        checks=checks,
    )
    locked.status = row.next.value
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
        raise fail(
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
        raise fail(needed[0], f"请填写{needed[1]}", f"enter the {needed[2]}")
    return out


@transaction.atomic
def wage_rule_set(
    *, actor: User, workshop: Workshop, code: str, name: str, effective_from: Any, values: dict[str, Any]
) -> WageRule:
    """A workshop's wage schedule from a date; the version it replaces ends the day before."""
    if selectors.workshops_visible(actor, edit=True).filter(pk=workshop.pk).first() is None:
        raise NotFound()
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
