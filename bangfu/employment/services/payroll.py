"""Writes about workers: contracts and monthly payslips (wages flow into the household's income)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from bangfu.casework import selectors as casework
from bangfu.core import inputs
from bangfu.core.domain.money import ZERO
from bangfu.core.errors import Conflict, ValidationFailed, invalid
from bangfu.core.selectors import get_or_404
from bangfu.core.services import audit_record
from bangfu.employment import selectors
from bangfu.employment.domain import endings, wages
from bangfu.employment.domain.endings import CONTRACT_END_REASONS
from bangfu.employment.domain.months import add_months, month_start
from bangfu.employment.models import Contract, Payslip, PayslipCorrection, WageRule, Workshop
from bangfu.employment.services._common import coded_reason, find_person
from bangfu.registry import services as registry

if TYPE_CHECKING:
    from bangfu.accounts.models import User

INCOME_SOURCE = "employment"


def _editable_workshop(actor: User, workshop: Workshop) -> Workshop:
    found = get_or_404(selectors.workshops_visible(actor, edit=True), workshop.pk)
    return found


@dataclass(frozen=True)
class ContractInput:
    """A contract as typed on the workshop page or sent to the API, parsed at the edge
    (`employment.inputs.contract_input`). The person: `member_id` (officers) or `id_number`."""

    start: dt.date
    job: str
    term_months: int
    wage_code: str
    probation_months: int = 0
    probation_pay: Decimal = ZERO
    member_id: int | None = None
    id_number: str | None = None


@transaction.atomic
def contract_create(*, actor: User, workshop: Workshop, contract: ContractInput) -> Contract:
    """Hire a registered person: probation first, then the workshop's wage rule `wage_code`."""
    w = _editable_workshop(actor, workshop)
    v = contract
    member = find_person(actor, member_id=v.member_id, id_number=v.id_number)
    if selectors.wage_rule_in_force(w.pk, v.wage_code, add_months(v.start, v.probation_months)) is None:
        raise invalid(
            "wage_code",
            f"车间没有在试用期满时生效的工资规则“{v.wage_code}”，请先设置工资规则",
            f"The workshop has no wage rule '{v.wage_code}' in force when probation ends; set it up first",
        )
    if Contract.objects.filter(selectors.open_on(v.start), workshop=w, member=member).exists():
        raise Conflict("此人在本车间已有未终止的合同", "This person already has an open contract at this workshop")
    if v.probation_months and v.probation_pay == 0:
        raise invalid("probation_pay", "有试用期时须填写试用期月薪", "enter the probation monthly pay")
    c = Contract.objects.create(
        workshop=w,
        household_id=member.household_id,
        member=member,
        start=v.start,
        wage_code=v.wage_code,
        job=v.job,
        term_months=v.term_months,
        probation_months=v.probation_months,
        probation_pay=v.probation_pay,
    )
    audit_record(actor=actor, action="contract_create", obj=c, area_code=w.village_id)
    return c


@transaction.atomic
def contract_end(*, actor: User, contract: Contract, end: dt.date, reason: str, note: str = "") -> Contract:
    """终止劳动合同. `end` is the first day the person no longer works there: from that day the worker
    does not count as employed (site KPI) and no payroll can be entered for a month starting then or later."""
    seen = selectors.contract_to_change(actor, contract.pk)
    c = Contract.objects.select_for_update().get(pk=seen.pk)  # two officers ending it at once: one wins
    if c.end is not None:
        raise Conflict(
            f"该合同已于{c.end}终止，不能重复终止", f"This contract already ended on {c.end}", code="already_ended"
        )
    day = inputs.date(end, "end", future=True)
    if day <= c.start:
        raise invalid(
            "end",
            f"终止日期须晚于合同起始日期{c.start}",
            f"the end date must be after the contract's start, {c.start}",
        )
    why, remark = coded_reason(CONTRACT_END_REASONS, reason, note)
    paid = Payslip.objects.filter(contract=c, month__gte=day).order_by("-month").first()
    if paid is not None:  # the payroll rule would no longer allow that month: keep them consistent
        raise invalid(
            "end",
            f"已录入{paid.month:%Y-%m}的工资，终止日期须晚于{paid.month}",
            f"payroll for {paid.month:%Y-%m} is entered; the end date must be after {paid.month}",
        )
    c.end, c.end_code, c.end_reason = day, why.code, remark
    c.save(update_fields=["end", "end_code", "end_reason"])
    audit_record(
        actor=actor,
        action="contract_end",
        obj=c,
        area_code=seen.workshop.village_id,
        reason=remark or why.zh,
        data={"end": str(day), "reason": why.code},
    )
    return c


def _ended_message(c: Contract, first: dt.date) -> ValidationFailed:
    why = endings.find(CONTRACT_END_REASONS, c.end_code)
    zh, en = (why.zh, why.en) if why else (c.end_reason, c.end_reason)
    return invalid(
        "month",
        f"该合同已于{c.end}终止（{zh}），不能录入{first:%Y-%m}及以后月份的工资",
        f"The contract ended on {c.end} ({en}); payroll cannot be entered for {first:%Y-%m} or later",
    )


def _rule_terms(rule: WageRule) -> wages.WageTerms:
    return wages.WageTerms(wages.WageKind(rule.kind), rule.base, rule.piece_rate, rule.day_rate, rule.fixed, rule.cap)


_SLIP_FIGURES = (
    "scheduled_days",
    "days_worked",
    "pieces",
    "in_probation",
    "probation_part",
    "probation_days",
    "regular_days",
    "monthly_part",
    "piece_part",
    "day_part",
    "capped",
    "gross",
)


def _figures(slip: Payslip | dict[str, Any]) -> dict[str, Any]:
    get = slip.get if isinstance(slip, dict) else lambda f: getattr(slip, f)
    out = {f: get(f) for f in _SLIP_FIGURES}
    rule = get("wage_rule")
    out["wage_rule"] = rule.pk if rule is not None else None
    return {k: str(v) if isinstance(v, Decimal) else v for k, v in out.items()}


def _compute(c: Contract, first: dt.date, att: wages.Attendance) -> tuple[WageRule | None, wages.Pay]:
    """The month's pay by the contract's rule and the area's probation convention (parameters in force)."""
    day_count, end_day_included = selectors.probation_convention(c.workshop.village_id, first)
    probation = wages.Probation(c.start, c.probation_months, c.probation_pay, end_day_included)
    rule_day = probation.ends if probation.ends_within(first) else first  # the rule after probation
    rule = selectors.wage_rule_in_force(c.workshop_id, c.wage_code, rule_day)
    if rule is None and not probation.covers(first):
        raise invalid(
            "month",
            f"{first:%Y-%m}没有生效的工资规则“{c.wage_code}”，请先设置工资规则",
            f"No wage rule '{c.wage_code}' is in force for {first:%Y-%m}; set it up first",
        )
    terms = _rule_terms(rule) if rule else wages.WageTerms(wages.WageKind.FIXED)
    convention = wages.DayCount(day_count)
    holidays: set[dt.date] = set()
    workdays: set[dt.date] = set()
    if convention is wages.DayCount.LEGAL and probation.ends_within(first):  # the county's working-day calendar
        holidays, workdays = casework.calendar_for(c.workshop.village_id)
    pay = wages.monthly_pay(terms, probation, att, convention, holidays, workdays)
    return rule, pay


@transaction.atomic
def payslip_record(
    *,
    actor: User,
    contract: Contract,
    month: dt.date,
    scheduled_days: int,
    days_worked: int,
    pieces: int = 0,
    reason: str = "",
) -> Payslip:
    """Compute one month's pay by the contract's rule, store the payslip, and update the household's
    wage income for that year (one line per contract and year, following every entry).

    A month already entered is corrected, never silently replaced: a correction needs a reason and
    keeps the figures it replaced (PayslipCorrection: who, when, why); the income line's history
    carries the same reason. Entering the same figures again changes nothing.

    Typed values (the page and the API parse them with `core.inputs`): `month` is any day of the month."""
    c = selectors.contract_get(actor, contract.pk, edit=True)
    first = month_start(inputs.date(month, "month", future=True))
    if c.end is not None and first >= c.end:
        raise _ended_message(c, first)
    if add_months(first, 1) <= c.start:
        raise invalid("month", f"{first:%Y-%m}不在合同期内", f"{first:%Y-%m} is outside the contract")
    if first > month_start(timezone.localdate()):
        raise invalid("month", "不能录入未来月份的工资", "payroll cannot be entered for a future month")
    att = wages.Attendance(
        first,
        inputs.whole(scheduled_days, "scheduled_days", low=1, high=31),
        inputs.whole(days_worked, "days_worked", high=31),
        inputs.whole(pieces or 0, "pieces", high=100000),
    )
    if att.days_worked > att.scheduled_days:
        raise invalid(
            "days_worked",
            "实际出勤天数不能多于应出勤天数（加班请折算为计件或另行发放）",
            "days worked cannot exceed scheduled days",
        )
    rule, pay = _compute(c, first, att)
    values: dict[str, Any] = {
        "scheduled_days": att.scheduled_days,
        "days_worked": att.days_worked,
        "pieces": att.pieces,
        "wage_rule": rule,
        "in_probation": pay.in_probation,
        "probation_part": pay.probation_part,
        "probation_days": int(pay.probation_days),
        "regular_days": int(pay.regular_days),
        "monthly_part": pay.monthly_part,
        "piece_part": pay.piece_part,
        "day_part": pay.day_part,
        "capped": pay.capped,
        "gross": pay.gross,
    }
    slip = Payslip.objects.select_for_update().filter(contract=c, month=first).first()
    why = reason.strip()
    correction: PayslipCorrection | None = None
    if slip is not None:
        before = _figures(slip)
        if before == _figures(values):
            return slip  # the same entry again (a second click): nothing to correct
        if not why:
            raise invalid(
                "reason",
                f"{first:%Y-%m}的工资已录入（应发{slip.gross}元），更正须填写理由；原工资条会保留在更正记录中",
                f"Payroll for {first:%Y-%m} is already entered (gross {slip.gross}); a correction needs a reason, "
                "and the first entry is kept in the correction record",
            )
        for k, v in values.items():
            setattr(slip, k, v)
        slip.recorded_by = actor
        slip.save()
        correction = PayslipCorrection.objects.create(
            payslip=slip,
            before=before,
            after=_figures(slip),
            previous_gross=before["gross"],
            gross=slip.gross,
            reason=why[:500],
            corrected_by=actor,
        )
    else:
        slip = Payslip.objects.create(contract=c, month=first, recorded_by=actor, **values)
    registry.income_record(
        household_id=c.household_id,
        year=first.year,
        item="wage.local",
        amount=selectors.contract_year_total(c.pk, first.year),
        source=INCOME_SOURCE,
        source_ref=f"contract:{c.pk}",
        member_id=c.member_id,
        note=f"{c.workshop.name} {c.job}",
        actor=actor,
        reason=(
            f"更正{first:%Y-%m}工资 {correction.previous_gross}→{correction.gross}：{why}"
            if correction is not None
            else ""
        ),
    )
    audit_record(
        actor=actor,
        action="payslip_correct" if correction is not None else "payslip_record",
        obj=slip,
        area_code=c.workshop.village_id,
        reason=why if correction is not None else "",
        data={"month": f"{first:%Y-%m}", "gross": str(pay.gross)}
        | ({"previous_gross": str(correction.previous_gross)} if correction is not None else {}),
    )
    return slip
