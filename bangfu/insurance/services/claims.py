"""The claim workflow: submit, survey, calculate, publicise, approve, reject, and pay exactly once.

Every step goes through `_fire`, which applies the transition table in domain/workflow.py and
writes the event row, so no step can skip the table.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from bangfu.accounts import selectors as accounts
from bangfu.accounts.domain.roles import Cap
from bangfu.areas.selectors import scope_for
from bangfu.core import files
from bangfu.core.domain.workflow import StepRefused
from bangfu.core.errors import Conflict, Forbidden, NotFound, invalid, refused
from bangfu.core.inputs import Problems, not_future
from bangfu.core.services import audit_record
from bangfu.insurance import selectors
from bangfu.insurance.domain import codes
from bangfu.insurance.domain.duplicates import DuplicateRules, Filed, Line, Match, duplicates, receipt_key
from bangfu.insurance.domain.eligibility import Assessment, ClaimFacts, assess
from bangfu.insurance.domain.fund import service_fee
from bangfu.insurance.domain.workflow import STATUS_EN, STATUS_LABELS, TABLE, Event, Status
from bangfu.insurance.models import (
    CauseTerms,
    Claim,
    ClaimAid,
    ClaimDocument,
    ClaimEvent,
    ClaimExpense,
    LedgerEntry,
    Payment,
    Scheme,
)
from bangfu.insurance.services.schemes import terms_domain
from bangfu.registry import selectors as registry
from bangfu.registry import services as registry_services

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from bangfu.accounts.models import User
    from bangfu.registry.models import Household

INCOME_ITEM = "transfer.insurance_claim"  # registry/domain/codes.py: 防贫保险理赔, a transfer income


@dataclass(frozen=True)
class ExpenseInput:
    description: str
    amount: Decimal
    incurred_on: dt.date | None = None
    incurred_to: dt.date | None = None  # the end of a period (a term's fees, a hospital stay)
    receipt_no: str = ""


@dataclass(frozen=True)
class AidInput:
    kind: str
    amount: Decimal
    note: str = ""


_SUBMIT_CAPS = (Cap.HANDLE_WARNINGS, Cap.CLAIM_APPROVE, Cap.CLAIM_SURVEY)


def _household_for_submit(actor: User, household_id: int) -> tuple[Household, Cap]:
    """The household and the capability that lets the actor file for it (officer first, insurer last)."""
    for cap in _SUBMIT_CAPS:
        try:
            return registry.household_get(actor, household_id, cap), cap
        except NotFound:
            continue
    registry.household_get(actor, household_id)  # raises NotFound when outside the user's areas
    raise Forbidden("您的角色不能为农户报案", "Your role may not file claims")


def _check_member(actor: User, cap: Cap, household: Household, member_id: int | None) -> None:
    if member_id is None:
        return
    try:
        member = registry.member_get(actor, member_id, cap)
    except NotFound:
        member = None
    if member is None or member.household_id != household.pk:
        raise invalid("member_id", "该成员不属于此户", "That member is not in this household")


def _scheme_for(household: Household, on: dt.date) -> Scheme:
    county = household.village_id[:6] + "000000"
    scheme = Scheme.objects.filter(county__code=county, period_start__lte=on, period_end__gte=on).first()
    if scheme is None:
        raise invalid(
            "applied_on",
            f"本县没有覆盖{on:%Y-%m-%d}的防贫保险方案，请县级管理员先配置当年方案",
            "No scheme of this county covers that date; the county must configure the year's scheme",
        )
    return scheme


def _bounds(p: Problems, i: int, e: ExpenseInput) -> None:
    """An expense line's amount (bounded, at most two decimals), text and plausible dates."""
    p.money(e.amount, f"expenses[{i}].amount")
    p.text(
        e.description or "-",
        f"expenses[{i}].description",
        max_len=120,
        required=True,
        multiline=True,
        zh="费用名称",
        en="description",
    )
    for day in (e.incurred_on, e.incurred_to):
        if day is not None:
            p.date(day, f"expenses[{i}].incurred_on")


def _check_lines(expenses: list[ExpenseInput], aid: list[AidInput]) -> None:
    p = Problems()
    if not expenses:
        p.add("expenses", "请至少填写一项费用（如学费票据金额）", "Add at least one expense line")
    for i, e in enumerate(expenses, start=1):
        if not e.description.strip():
            p.add(f"expenses[{i}].description", f"第{i}项费用缺少名称", f"Expense {i} needs a description")
        if e.amount <= 0:
            p.add(f"expenses[{i}].amount", f"第{i}项费用金额须大于0", f"Expense {i} must be more than 0")
        else:
            _bounds(p, i, e)
        if e.incurred_to is not None and (e.incurred_on is None or e.incurred_to < e.incurred_on):
            p.add(
                f"expenses[{i}].incurred_to",
                f"第{i}项费用的截止日期须不早于发生日期",
                f"Expense {i}: the end date needs a start date on or before it",
            )
        if len(e.receipt_no) > 40:
            p.add(
                f"expenses[{i}].receipt_no", f"第{i}项票据号过长（最多40字）", f"Expense {i}: receipt number too long"
            )
    for i, a in enumerate(aid, start=1):
        if a.kind not in codes.AID_KINDS:
            p.add(f"aid[{i}].kind", f"第{i}项资助类型无效", f"Aid {i}: unknown kind")
        if a.amount < 0:
            p.add(f"aid[{i}].amount", f"第{i}项资助金额不能为负", f"Aid {i} cannot be negative")
        else:
            p.money(a.amount, f"aid[{i}].amount")
    p.raise_if_any()


@transaction.atomic
def claim_submit(
    *,
    actor: User,
    household_id: int,
    cause: str,
    applied_on: dt.date,
    expenses: list[ExpenseInput],
    aid: list[AidInput] | None = None,
    channel: str = "grid",
    source_ref: str = "",
    member_id: int | None = None,
    note: str = "",
    duplicate_reason: str = "",
) -> Claim:
    """File a claim (报案) for a household: from a warning or case, a grid worker, the insurer or county.

    A claim that repeats an earlier one (domain/duplicates.py) is refused, naming the earlier claim,
    unless an adjuster of the scheme's insurer files it with a reason, which is kept on the claim,
    in its submit event and in the audit log.
    """
    household, cap = _household_for_submit(actor, household_id)
    if channel not in codes.CHANNELS:
        raise invalid("channel", "来源渠道无效", "Unknown channel")
    not_future(applied_on, "applied_on", zh="申请日期", en="application date")
    _check_lines(expenses, aid or [])
    scheme = _scheme_for(household, applied_on)
    if cap == Cap.CLAIM_SURVEY and scheme.insurer not in selectors.insurer_companies(actor):
        raise NotFound()  # another company's adjuster: the household's claims are none of theirs
    if selectors.terms_in_force(scheme, cause, applied_on) is None:
        raise invalid(
            "cause",
            f"本县方案在{applied_on:%Y-%m-%d}没有“{codes.cause_label(cause)}”的赔付条款",
            "The scheme has no terms for that cause on that date; pick another cause or ask the county",
        )
    _check_member(actor, cap, household, member_id)
    expenses = [replace(e, receipt_no=receipt_key(e.receipt_no)) for e in expenses]
    _lock_household(household)
    new = Filed(None, household.pk, member_id, cause, tuple(_line(e) for e in expenses))
    found = duplicates(new, _earlier(household.pk, {e.receipt_no for e in expenses}, set()), rules_of(scheme))
    if found:
        _allow_duplicate(actor, household, scheme, found, duplicate_reason)
    claim = Claim.objects.create(
        scheme=scheme,
        household=household,
        member_id=member_id,
        cause=cause,
        channel=channel,
        source_ref=source_ref.strip()[:64],
        applied_on=applied_on,
        note=note,
        group=codes.household_group(household.monitoring_type, household.poverty_exited),
        duplicate_of=[m.claim_id for m in found],
        duplicate_reason=duplicate_reason.strip() if found else "",
        duplicate_by=actor if found else None,
    )
    ClaimExpense.objects.bulk_create(ClaimExpense(claim=claim, **e.__dict__) for e in expenses)
    ClaimAid.objects.bulk_create(ClaimAid(claim=claim, **a.__dict__) for a in aid or [])
    data: dict[str, Any] = {"channel": channel}
    if found:
        data |= {"duplicate_of": claim.duplicate_of, "duplicate_reason": claim.duplicate_reason}
    _event(claim, Event.SUBMIT, "", Status.SUBMITTED, actor, applied_on, note, data)
    audit_record(
        actor=actor,
        action="claim_submit",
        obj=claim,
        area_code=household.village_id,
        reason=claim.duplicate_reason,
        data={"cause": cause, "scheme": scheme.pk} | ({"duplicate_of": claim.duplicate_of} if found else {}),
    )
    return claim


MAX_DOCUMENT_BYTES = 10 * 1024 * 1024  # a scanned receipt or a phone photo of it


# ---------------------------------------------------------------- one bill is paid once


def rules_of(scheme: Scheme) -> DuplicateRules:
    return DuplicateRules(
        amount_tolerance=scheme.dup_amount_tolerance,
        date_slack_days=scheme.dup_date_slack_days,
        count_rejected=scheme.dup_count_rejected,
    )


def _line(e: ExpenseInput | ClaimExpense) -> Line:
    return Line(e.amount, e.incurred_on, e.incurred_to, e.receipt_no)


def _lock_household(household: Household) -> None:
    """Serialise claim filing per household, so two identical submissions cannot both pass the check."""
    type(household).objects.select_for_update().filter(pk=household.pk).first()


def _earlier(household_id: int | None, receipts: set[str], hashes: set[str]) -> list[Filed]:
    """Claims that could be repeated: the household's (any scheme or year) and any sharing a receipt or file."""
    q = Q(household_id=household_id) if household_id is not None else Q(pk__in=[])
    if receipts - {""}:
        q |= Q(pk__in=ClaimExpense.objects.filter(receipt_no__in=receipts - {""}).values("claim_id"))
    if hashes - {""}:
        q |= Q(pk__in=ClaimDocument.objects.filter(sha256__in=hashes - {""}).values("claim_id"))
    claims = Claim.objects.filter(q).prefetch_related("expenses", "documents").order_by("applied_on", "pk")
    return [
        Filed(
            c.pk,
            c.household_id,
            c.member_id,
            c.cause,
            tuple(_line(e) for e in c.expenses.all()),
            frozenset(d.sha256 for d in c.documents.all() if d.sha256),
            c.status,
        )
        for c in claims
    ]


_KIND_TEXT = {
    "expense": ("同一成员同一风险类别的费用重叠", "overlapping expenses of the same person and cause"),
    "receipt": ("票据号相同", "the same receipt number"),
    "file": ("上传了相同的文件", "the same file"),
}


def _allow_duplicate(actor: User, household: Household, scheme: Scheme, found: list[Match], reason: str) -> None:
    """Refuse a repeat, naming the earlier claims, unless an adjuster of the insurer gives a reason."""
    earlier = {c.pk: c for c in Claim.objects.filter(pk__in=[m.claim_id for m in found])}
    zh_parts, en_parts = [], []
    for m in found[:3]:
        c = earlier[m.claim_id]
        why_zh = "、".join(_KIND_TEXT[k][0] for k in m.kinds)
        why_en = ", ".join(_KIND_TEXT[k][1] for k in m.kinds)
        zh_parts.append(f"理赔#{c.pk}（{c.applied_on:%Y-%m-%d}申请，{STATUS_LABELS[Status(c.status)]}）：{why_zh}")
        en_parts.append(f"claim #{c.pk} (applied {c.applied_on:%Y-%m-%d}, {STATUS_EN[Status(c.status)]}): {why_en}")
    if not reason.strip():
        raise Conflict(
            "与已报理赔重复，同一笔费用只能赔付一次："
            + "；".join(zh_parts)
            + "。如确属不同费用，请由承保公司查勘员填写例外理由后提交",
            "This repeats an earlier claim; one bill is paid once: "
            + "; ".join(en_parts)
            + ". If the bills really differ, an adjuster of the insurer may file it with a reason",
            "duplicate_claim",
        )
    is_adjuster = scope_for(actor, Cap.CLAIM_SURVEY).covers_code(household.village_id) and (
        actor.is_superuser or scheme.insurer in selectors.insurer_companies(actor)
    )
    if not is_adjuster:
        raise Forbidden(
            "只有承保公司查勘员可以在说明理由后受理重复报案：" + "；".join(zh_parts),
            "Only an adjuster of the insurer may file a repeated claim with a reason: " + "; ".join(en_parts),
        )


def file_sha256(file: UploadedFile[bytes]) -> str:
    h = hashlib.sha256()
    for chunk in file.chunks():
        h.update(chunk)
    file.seek(0)
    return h.hexdigest()


@transaction.atomic
def claim_document_add(
    *, actor: User, claim_id: int, kind: str, file: UploadedFile[bytes], duplicate_reason: str = ""
) -> ClaimDocument:
    """Attach a receipt, diagnosis or other paper to the claim: only for those who file, survey or
    decide it (a reader such as the auditor may open documents, never add them). The file is checked
    by its bytes (PDF, JPEG, PNG, WebP) and stored under a generated name (bangfu.core.files).

    The same file (SHA-256) on an earlier claim is a repeat of that claim's bill: refused, naming it,
    unless an adjuster of the insurer gives a reason (kept like a repeat at filing)."""
    claim = selectors.claim_get(actor, claim_id)
    _require_document_writer(actor, claim)
    if kind not in codes.DOCUMENT_KINDS:
        raise invalid("kind", "材料类型无效", "Unknown document kind")
    if claim.status in (Status.PAID, Status.REJECTED):
        raise Conflict("理赔已办结，不能再上传材料", "The claim is closed; documents can no longer be added")
    accepted = files.accept(file, allowed=files.DOCUMENT, max_bytes=MAX_DOCUMENT_BYTES, field="file")
    digest = file_sha256(accepted.upload)
    claim = Claim.objects.select_for_update().select_related("scheme", "household").get(pk=claim.pk)
    new = Filed(claim.pk, claim.household_id, claim.member_id, claim.cause, (), frozenset({digest}))
    found = [m for m in duplicates(new, _earlier(None, set(), {digest}), rules_of(claim.scheme)) if m.hashes]
    if found:
        _allow_duplicate(actor, claim.household, claim.scheme, found, duplicate_reason)
        ids = [m.claim_id for m in found]
        claim.duplicate_of = sorted(set(claim.duplicate_of) | set(ids))
        claim.duplicate_reason = "\n".join(r for r in (claim.duplicate_reason, duplicate_reason.strip()) if r)
        claim.duplicate_by = actor
        claim._change_reason = f"duplicate file: {duplicate_reason}"[:100]
        claim.save(update_fields=["duplicate_of", "duplicate_reason", "duplicate_by"])
        last = ClaimEvent.objects.filter(claim=claim).order_by("-pk").values_list("on", flat=True).first()
        data = {"duplicate_of": ids, "duplicate_reason": duplicate_reason.strip(), "sha256": digest}
        _event(claim, "duplicate", claim.status, claim.status, actor, last or timezone.localdate(), "", data)
    doc = ClaimDocument.objects.create(claim=claim, kind=kind, file=accepted.upload, sha256=digest, uploaded_by=actor)
    audit_record(
        actor=actor,
        action="claim_document_add",
        obj=doc,
        area_code=claim.household.village_id,
        reason=duplicate_reason.strip() if found else "",
        data={"claim": claim.pk, "sha256": digest, "type": accepted.type.key, "name": accepted.original_name}
        | ({"duplicate_of": [m.claim_id for m in found]} if found else {}),
    )
    return doc


def _require_document_writer(actor: User, claim: Claim) -> None:
    if not selectors.may_add_documents(actor, claim):
        raise Forbidden("您的角色只能查看理赔材料，不能上传", "Your role may read claim documents but not add them")


def _event(
    claim: Claim,
    event: Event | str,
    src: str,
    dst: str,
    actor: User | None,
    on: dt.date,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> ClaimEvent:
    return ClaimEvent.objects.create(
        claim=claim,
        event=event,
        from_state=src,
        to_state=dst,
        actor=actor,
        on=on,
        note=note,
        data=data or {},
    )


def _fire(
    actor: User, claim: Claim, event: Event, on: dt.date, note: str = "", data: dict[str, Any] | None = None
) -> None:
    """Apply the transition table to `claim` (locked by the caller) and write the event row."""
    caps = selectors.caps_on_claim(actor, claim)
    src = Status(claim.status)
    try:
        dst = TABLE.decide(src, event, caps, selectors.guard_facts(claim, on)).target
    except StepRefused as exc:
        raise refused(exc) from None
    _require_documents(claim, event)
    last = ClaimEvent.objects.filter(claim=claim).order_by("-pk").values_list("on", flat=True).first()
    if last is not None and on < last:  # the timeline and the days-to-payment figure rely on this
        raise invalid(
            "on", f"日期不能早于上一步骤（{last:%Y-%m-%d}）", f"The date cannot be before the previous step ({last})"
        )
    claim.status = dst
    claim._change_reason = f"{event.value}: {note}"[:100]
    claim.save()
    _event(claim, event, src, dst, actor, on, note, data)
    audit_record(
        actor=actor,
        action=f"claim_{event.value}",
        obj=claim,
        area_code=claim.household.village_id,
        reason=note,
        data=data,
    )


_STEP_OF = {Event.SURVEY: "survey", Event.APPROVE: "approve", Event.PAY: "pay"}


def _require_documents(claim: Claim, event: Event) -> None:
    """The scheme's document rule (in force on the application date) must be met before the step."""
    step = _STEP_OF.get(event)
    if step is None:
        return
    lacking = selectors.missing_documents(claim, step)
    if lacking:
        zh = "、".join(codes.DOCUMENT_KINDS.get(k, k) for k in lacking)
        en = ", ".join(codes.DOCUMENT_KINDS_EN.get(k, k) for k in lacking)
        raise Conflict(
            f"本县方案要求{codes.DOCUMENT_STEPS[step]}前上传以下材料，尚缺：{zh}。请先在理赔页上传",
            f"The scheme requires these documents before this step ({step}); missing: {en}. Upload them first",
            "documents_missing",
        )


def _locked(actor: User, claim_id: int) -> Claim:
    """The claim, scope-checked first (404 outside the user's areas), then row-locked for the step."""
    selectors.claim_get(actor, claim_id)
    return Claim.objects.select_for_update().select_related("scheme", "household").get(pk=claim_id)


@transaction.atomic
def claim_survey(*, actor: User, claim_id: int, surveyed_on: dt.date, notes: str, per_capita_income: Decimal) -> Claim:
    """Record the insurer's home survey (入户勘查): what was found and the verified per-capita income."""
    claim = _locked(actor, claim_id)
    not_future(surveyed_on, "surveyed_on")
    if not notes.strip():
        raise invalid("notes", "请填写勘查意见", "Write down what the home survey found")
    if per_capita_income < 0:
        raise invalid("per_capita_income", "人均纯收入不能为负数", "Per-capita income cannot be negative")
    claim.surveyed_on, claim.survey_notes, claim.per_capita_income = surveyed_on, notes, per_capita_income
    _fire(actor, claim, Event.SURVEY, surveyed_on, notes, {"per_capita_income": str(per_capita_income)})
    return claim


@transaction.atomic
def claim_calculate(*, actor: User, claim_id: int, on: dt.date | None = None) -> Claim:
    """Compute the payout with the terms in force on the application date, and keep the explanation."""
    claim = _locked(actor, claim_id)
    on = on or timezone.localdate()
    not_future(on, "on")
    row = selectors.terms_in_force(claim.scheme, claim.cause, claim.applied_on)
    if row is None:
        raise Conflict(
            "该风险类别在申请日没有生效的条款", "No terms of this cause were in force on the application date"
        )
    result = assess(_facts(claim, row.annual_cap_per), terms_domain(row, claim.scheme))
    claim.terms, claim.eligible = row, result.eligible
    claim.total_expense, claim.deducted = result.total_expense, result.deducted
    claim.eligible_expense, claim.payout = result.eligible_expense, result.payout.amount
    claim.explanation = _explanation(result, row)
    _fire(actor, claim, Event.CALCULATE, on, "", {"payout": str(result.payout.amount), "terms": row.pk})
    return claim


def _facts(claim: Claim, per: str) -> ClaimFacts:
    return ClaimFacts(
        group=claim.group,
        per_capita_income=claim.per_capita_income,
        expenses=tuple(claim.expenses.values_list("amount", flat=True)),
        aid=tuple(claim.aid.values_list("kind", "amount")),
        paid_this_year=selectors.paid_this_year(claim, per),
    )


def _explanation(result: Assessment, row: CauseTerms) -> dict[str, Any]:
    return {
        "terms_id": row.pk,
        "deductible": str(row.deductible),
        "lines": [
            {
                "lower": str(ln.lower),
                "upper": None if ln.upper is None else str(ln.upper),
                "rate": str(ln.rate),
                "portion": str(ln.portion),
                "amount": str(ln.amount),
                "text": ln.text,
            }
            for ln in result.payout.lines
        ],
        "gross": str(result.payout.gross),
        "cap_applied": result.payout.cap_applied,
        "notes": list(result.notes),
        "deductions": [{"kind": k, "amount": str(a), "deducted": d} for k, a, d in result.deductions],
        "reasons": [{"code": c, "zh": zh, "en": en} for c, zh, en in result.reasons],
    }


@transaction.atomic
def claim_publicise(*, actor: User, claim_id: int, on: dt.date, note: str = "") -> Claim:
    claim = _locked(actor, claim_id)
    not_future(on, "on")
    claim.publicised_on = on
    _fire(actor, claim, Event.PUBLICISE, on, note, {"days": claim.scheme.publicity_days})
    return claim


@transaction.atomic
def claim_approve(*, actor: User, claim_id: int, on: dt.date, note: str = "") -> Claim:
    """County approval (县级审批). Two approvals at once: the row lock makes the second one a Conflict."""
    claim = _locked(actor, claim_id)
    not_future(on, "on")
    data: dict[str, Any] = {"payout": str(claim.payout)}
    data |= _duties_apart(actor, claim, on)
    claim.approved_on = on
    _fire(actor, claim, Event.APPROVE, on, note, data)
    return claim


DUTY_PAIR = "claim.calculate-approve"  # accounts.domain.duties.DUTY_PAIRS


def _duties_apart(actor: User, claim: Claim, on: dt.date) -> dict[str, Any]:
    """Whoever surveyed or calculated the claim does not approve it, unless the county delegated it.

    Returns what the approval event records: the delegation used, if any.
    """
    if Cap.CLAIM_APPROVE.value not in selectors.caps_on_claim(actor, claim):
        return {}  # _fire refuses the step itself
    did = ClaimEvent.objects.filter(claim=claim, actor=actor, event__in=[Event.SURVEY, Event.CALCULATE]).exists()
    if not did:
        return {}
    delegation = accounts.delegation_for(actor, DUTY_PAIR, claim.household.village_id, on)
    if delegation is None:
        raise Forbidden(
            "您勘查或核算了此理赔，不能再审批；请由另一位审批人员审批，或由县级按规定登记例外授权",
            "You surveyed or calculated this claim, so you may not approve it; another approver must, "
            "or the county must record a delegation for this exception",
        )
    return {"delegation": delegation.pk, "delegation_reason": delegation.reason}


@transaction.atomic
def claim_reject(*, actor: User, claim_id: int, code: str, reason: str, on: dt.date | None = None) -> Claim:
    claim = _locked(actor, claim_id)
    on = on or timezone.localdate()
    not_future(on, "on")
    if code not in codes.REJECT_CODES:
        raise invalid("code", "请选择驳回原因", "Choose a rejection reason code")
    if not reason.strip():
        raise invalid(
            "reason", "请填写驳回说明，农户将看到这段说明", "Explain the rejection; the household will see it"
        )
    claim.reject_code, claim.reject_reason = code, reason
    _fire(actor, claim, Event.REJECT, on, reason, {"code": code})
    return claim


# The calculation's reasons (domain/eligibility.py) as the rejection codes a closed claim keeps.
_DECLINE_CODES = {"income_above_line", "expense_below_threshold", "group_not_insured"}


@transaction.atomic
def claim_decline(*, actor: User, claim_id: int, on: dt.date | None = None, note: str = "") -> Claim:
    """The adjuster closes a claim the calculation found not payable (不予赔付结案): the reasons are the
    calculation's own, so the household reads why; the table refuses it when there is a payout."""
    claim = _locked(actor, claim_id)
    on = on or timezone.localdate()
    not_future(on, "on")
    reasons = claim.explanation.get("reasons") or []
    codes_found = [r["code"] for r in reasons if r.get("code") in _DECLINE_CODES]
    claim.reject_code = codes_found[0] if codes_found else "other"
    claim.reject_reason = "；".join(r["zh"] for r in reasons) or "核算赔款为零"
    if note.strip():
        claim.reject_reason += f"。{note.strip()}"
    _fire(actor, claim, Event.DECLINE, on, note or claim.reject_reason, {"code": claim.reject_code})
    return claim


@transaction.atomic
def claim_pay(*, actor: User, claim_id: int, reference: str, paid_on: dt.date) -> Payment:
    """Record the payment exactly once; book payout and fee in the ledger; feed the income statement.

    The row lock (select_for_update) serialises concurrent requests on PostgreSQL, so the second
    finds the claim already paid; the unique constraint on Payment.claim is the last line of defence.
    """
    if not reference.strip():
        raise invalid("reference", "请填写银行转账或支付凭证号", "Give the bank transfer or payment reference")
    claim = _locked(actor, claim_id)
    not_future(paid_on, "paid_on")
    amount = claim.payout or Decimal("0")
    _fire(actor, claim, Event.PAY, paid_on, reference, {"amount": str(amount), "reference": reference})
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                claim=claim, amount=amount, reference=reference.strip(), paid_on=paid_on, recorded_by=actor
            )
    except IntegrityError:
        raise Conflict("该理赔已支付，不能重复支付", "This claim has already been paid", "already_paid") from None
    _book_payment(claim, payment, actor)
    registry_services.income_record(
        household_id=claim.household_id,
        year=paid_on.year,
        item=INCOME_ITEM,
        amount=amount,
        source="insurance",
        source_ref=f"claim:{claim.pk}",
        member_id=claim.member_id,
        actor=actor,
        note=f"{claim.scheme.year}年防贫保险{claim.cause_label}理赔",
    )
    return payment


def _book_payment(claim: Claim, payment: Payment, actor: User) -> None:
    fee = service_fee(payment.amount, claim.scheme.fee_rate)
    LedgerEntry.objects.create(
        scheme=claim.scheme,
        kind="payout",
        amount=payment.amount,
        on=payment.paid_on,
        claim=claim,
        reference=payment.reference,
        note=f"理赔#{claim.pk}",
        recorded_by=actor,
    )
    if fee > 0:
        LedgerEntry.objects.create(
            scheme=claim.scheme,
            kind="fee",
            amount=fee,
            on=payment.paid_on,
            claim=claim,
            note=f"理赔#{claim.pk}服务费",
            recorded_by=actor,
        )
