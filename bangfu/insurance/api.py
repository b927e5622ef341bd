"""JSON API of insurance, mounted under /api/v1/insurance/ by bangfu/api.py.

Reads go through the selectors (scoped to the caller), writes through the services; errors come
back as the bilingual problem documents of bangfu/api.py.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, HttpResponseBase
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import StrictInt

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.core import files
from bangfu.core.errors import NotFound
from bangfu.core.replicas import replica_ok
from bangfu.insurance import reports, selectors, services
from bangfu.insurance.inputs import scheme_input
from bangfu.insurance.models import Claim, Scheme
from bangfu.insurance.views.common import xlsx_response

router = Router(tags=["insurance"])


class BandIn(Schema):
    lower: Decimal
    upper: Decimal | None = None
    rate: Decimal


class TermsIn(Schema):
    cause: str
    label: str = ""
    effective_from: dt.date
    deductible: Decimal
    bands: list[BandIn]
    per_claim_cap: Decimal | None = None
    annual_cap: Decimal | None = None
    annual_cap_per: str = "household"
    income_line: Decimal | None = None
    deducted_aid: list[str] = []
    thresholds: dict[str, Decimal] = {}


class SchemeIn(Schema):
    county_code: str
    year: int
    name: str
    insurer: str
    policyholder: str
    period_start: dt.date
    period_end: dt.date
    basis: str
    basis_share: Decimal = Decimal("0")
    basis_count: int = 0
    insured_groups: list[str] = []
    premium_per_person: Decimal
    fee_rate: Decimal = Decimal("0")
    carry_over: bool = True
    deficit_topup: bool = True
    income_line: Decimal
    publicity_required: bool = False
    publicity_days: int = 5
    dup_amount_tolerance: Decimal = Decimal("0")  # duplicate claims: amounts this close (yuan) are one bill
    dup_date_slack_days: int = 0  # duplicate claims: expense dates this many days apart still overlap
    dup_count_rejected: bool = False  # duplicate claims: a rejected claim's bills block a new claim too


class ExpenseIn(Schema):
    description: str
    amount: Decimal
    incurred_on: dt.date | None = None
    incurred_to: dt.date | None = None
    receipt_no: str = ""


class AidIn(Schema):
    kind: str
    amount: Decimal
    note: str = ""


class ClaimIn(Schema):
    household_id: int
    cause: str
    applied_on: dt.date
    expenses: list[ExpenseIn]
    aid: list[AidIn] = []
    channel: str = "grid"
    source_ref: str = ""
    member_id: int | None = None
    note: str = ""
    duplicate_reason: str = ""  # an insurer adjuster's reason to file a claim that repeats an earlier one


class SurveyIn(Schema):
    surveyed_on: dt.date
    notes: str
    per_capita_income: Decimal


class DateIn(Schema):
    on: dt.date
    note: str = ""


class RejectIn(Schema):
    code: str
    reason: str
    on: dt.date | None = None


class PayIn(Schema):
    reference: str
    paid_on: dt.date


class DocumentRuleIn(Schema):
    cause: str = "*"  # a cause code, or "*" for every cause
    effective_from: dt.date
    before_survey: list[str] = []  # document kinds (receipt, admission, photo, survey_form, notice, other)
    before_approve: list[str] = []
    before_pay: list[str] = []
    reason: str = ""


class PremiumIn(Schema):
    persons: StrictInt  # `true` is not one person
    received_on: dt.date
    reference: str = ""


def _scheme_out(s: Scheme) -> dict[str, Any]:
    return {
        "id": s.pk,
        "county_code": s.county_id,
        "year": s.year,
        "name": s.name,
        "insurer": s.insurer,
        "policyholder": s.policyholder,
        "period_start": s.period_start,
        "period_end": s.period_end,
        "basis": s.basis,
        "premium_per_person": s.premium_per_person,
        "fee_rate": s.fee_rate,
        "income_line": s.income_line,
        "publicity_required": s.publicity_required,
        "dup_amount_tolerance": s.dup_amount_tolerance,
        "dup_date_slack_days": s.dup_date_slack_days,
        "dup_count_rejected": s.dup_count_rejected,
        "insured_groups": s.insured_groups,
        "carry_over": s.carry_over,
        "deficit_topup": s.deficit_topup,
    }


def _terms_out(t: Any) -> dict[str, Any]:
    return {
        "id": t.pk,
        "cause": t.cause,
        "label": t.label,
        "effective_from": t.effective_from,
        "effective_to": t.effective_to,
        "deductible": t.deductible,
        "per_claim_cap": t.per_claim_cap,
        "annual_cap": t.annual_cap,
        "annual_cap_per": t.annual_cap_per,
        "income_line": t.income_line,
        "deducted_aid": t.deducted_aid,
        "thresholds": t.thresholds,
        "bands": [{"lower": b.lower, "upper": b.upper, "rate": b.rate} for b in t.bands.all()],
    }


def _claim_out(c: Claim) -> dict[str, Any]:
    return {
        "id": c.pk,
        "scheme_id": c.scheme_id,
        "household_id": c.household_id,
        "cause": c.cause,
        "status": c.status,
        "channel": c.channel,
        "source_ref": c.source_ref,
        "applied_on": c.applied_on,
        "group": c.group,
        "per_capita_income": c.per_capita_income,
        "eligible": c.eligible,
        "total_expense": c.total_expense,
        "deducted": c.deducted,
        "eligible_expense": c.eligible_expense,
        "payout": c.payout,
        "explanation": c.explanation,
        "reject_code": c.reject_code,
        "reject_reason": c.reject_reason,
        "duplicate_of": c.duplicate_of,
        "duplicate_reason": c.duplicate_reason,
    }


def _claim_full(user: Any, pk: int) -> dict[str, Any]:
    d = selectors.claim_detail(user, pk)
    p = d.payment
    return _claim_out(d.claim) | {
        "expenses": [
            {
                "description": e.description,
                "amount": e.amount,
                "incurred_on": e.incurred_on,
                "incurred_to": e.incurred_to,
                "receipt_no": e.receipt_no,
            }
            for e in d.expenses
        ],
        "aid": [{"kind": a.kind, "amount": a.amount, "note": a.note} for a in d.aid],
        "events": [
            {"event": e.event, "from": e.from_state, "to": e.to_state, "on": e.on, "note": e.note} for e in d.events
        ],
        "payment": None if p is None else {"amount": p.amount, "reference": p.reference, "paid_on": p.paid_on},
        "days_from_application_to_payment": d.days_to_pay,
    }


# ---------------------------------------------------------------- schemes


@router.get("/schemes", summary="方案列表 Schemes the caller may read")
@replica_ok
def scheme_list(request: AuthedHttpRequest) -> list[dict[str, Any]]:
    return [_scheme_out(s) for s in selectors.schemes_visible(request.user).order_by("county_id", "-year")]


@router.post("/schemes", response={201: dict}, summary="新建年度方案 Create a county's scheme for a year")
@writes(Cap.CONFIGURE)
def scheme_create(request: AuthedHttpRequest, body: SchemeIn) -> Status[Any]:
    scheme = scheme_input(body.dict(exclude={"county_code", "year"}))
    s = services.scheme_create(actor=request.user, county_code=body.county_code, year=body.year, scheme=scheme)
    return Status(201, _scheme_out(s))


@router.get("/schemes/{scheme_id}", summary="方案及各类条款 A scheme with all versions of its terms")
def scheme_detail(request: AuthedHttpRequest, scheme_id: int) -> dict[str, Any]:
    s = selectors.scheme_get(request.user, scheme_id)
    return _scheme_out(s) | {
        "terms": [_terms_out(t) for t in selectors.terms_of(s)],
        "document_rules": [_document_rule_out(r) for r in selectors.document_rules_of(s)],
    }


def _document_rule_out(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk,
        "cause": r.cause,
        "effective_from": r.effective_from,
        "effective_to": r.effective_to,
        "before_survey": r.before_survey,
        "before_approve": r.before_approve,
        "before_pay": r.before_pay,
    }


@router.get("/schemes/{scheme_id}/document-rules", summary="材料要求 Documents required before each step")
def document_rules(request: AuthedHttpRequest, scheme_id: int) -> list[dict[str, Any]]:
    s = selectors.scheme_get(request.user, scheme_id)
    return [_document_rule_out(r) for r in selectors.document_rules_of(s)]


@router.post(
    "/schemes/{scheme_id}/document-rules",
    response={201: dict},
    summary="新增材料要求版本 Add a version of the documents required before survey, approval, payment",
)
@writes(Cap.CONFIGURE)
def document_rule_set(request: AuthedHttpRequest, scheme_id: int, body: DocumentRuleIn) -> Status[Any]:
    r = services.document_rule_set(
        actor=request.user,
        scheme_id=scheme_id,
        cause=body.cause,
        effective_from=body.effective_from,
        survey=body.before_survey,
        approve=body.before_approve,
        pay=body.before_pay,
        reason=body.reason,
    )
    return Status(201, _document_rule_out(r))


@router.post("/schemes/{scheme_id}/terms", response={201: dict}, summary="新增条款版本 Add a terms version")
@writes(Cap.CONFIGURE)
def terms_set(request: AuthedHttpRequest, scheme_id: int, body: TermsIn) -> Status[Any]:
    t = services.terms_set(
        actor=request.user,
        scheme_id=scheme_id,
        terms=services.TermsInput(
            cause=body.cause,
            label=body.label,
            effective_from=body.effective_from,
            deductible=body.deductible,
            bands=tuple((b.lower, b.upper, b.rate) for b in body.bands),
            per_claim_cap=body.per_claim_cap,
            annual_cap=body.annual_cap,
            annual_cap_per=body.annual_cap_per,
            income_line=body.income_line,
            deducted_aid=tuple(body.deducted_aid),
            thresholds=tuple(body.thresholds.items()),
        ),
    )
    return Status(201, _terms_out(t))


@router.get("/schemes/{scheme_id}/fund", summary="基金台账 Fund ledger, balance and loss ratio")
def fund(request: AuthedHttpRequest, scheme_id: int) -> dict[str, Any]:
    s = selectors.scheme_get(request.user, scheme_id)
    f = selectors.fund_figures(s)
    return {
        "premiums": f.premiums,
        "payouts": f.payouts,
        "fees": f.fees,
        "topups": f.topups,
        "carried_in": f.carried_in,
        "carried_out": f.carried_out,
        "balance": f.balance,
        "loss_ratio": f.loss_ratio,
        "cost_ratio": f.cost_ratio,
        "entries": [
            {
                "kind": e.kind,
                "amount": e.amount,
                "on": e.on,
                "claim_id": e.claim_id,
                "reference": e.reference,
                "note": e.note,
            }
            for e in selectors.ledger_of(s)
        ],
    }


@router.post("/schemes/{scheme_id}/premiums", response={201: dict}, summary="保费入账 Book premiums received")
@writes(Cap.CONFIGURE)
def premium(request: AuthedHttpRequest, scheme_id: int, body: PremiumIn) -> Status[Any]:
    e = services.premium_record(
        actor=request.user,
        scheme_id=scheme_id,
        persons=body.persons,
        received_on=body.received_on,
        reference=body.reference,
    )
    return Status(201, {"id": e.pk, "amount": e.amount, "persons": e.persons})


@router.post("/schemes/{scheme_id}/settle", summary="年终结算 Carry a surplus over or book the top-up")
@writes(Cap.CONFIGURE)
def settle(request: AuthedHttpRequest, scheme_id: int, body: DateIn) -> list[dict[str, Any]]:
    entries = services.fund_settle(actor=request.user, scheme_id=scheme_id, on=body.on)
    return [{"scheme_id": e.scheme_id, "kind": e.kind, "amount": e.amount} for e in entries]


@router.get("/schemes/{scheme_id}/report", summary="理赔统计 Claims by cause, township and month")
@replica_ok
def report(request: AuthedHttpRequest, scheme_id: int) -> dict[str, Any]:
    return reports.report_dict(request.user, selectors.scheme_get(request.user, scheme_id))


@router.get("/schemes/{scheme_id}/export.xlsx", summary="导出Excel Export the ledger and claim statistics")
@replica_ok
def export(request: AuthedHttpRequest, scheme_id: int) -> HttpResponse:
    s = selectors.scheme_get(request.user, scheme_id)
    return xlsx_response(reports.workbook(request.user, s), f"insurance-{s.county_id[:6]}-{s.year}.xlsx")


# ---------------------------------------------------------------- claims


@router.get("/claims", summary="理赔队列 Claims the caller may see")
@replica_ok
def claim_list(request: AuthedHttpRequest, status: str = "", scheme_id: int | None = None) -> list[dict[str, Any]]:
    return [_claim_out(c) for c in selectors.claim_queue(request.user, status=status, scheme_id=scheme_id)]


@router.post("/claims", response={201: dict}, summary="报案 File a claim")
@writes(Cap.HANDLE_WARNINGS, Cap.CLAIM_APPROVE, Cap.CLAIM_SURVEY)
def claim_submit(request: AuthedHttpRequest, body: ClaimIn) -> Status[Any]:
    c = services.claim_submit(
        actor=request.user,
        household_id=body.household_id,
        cause=body.cause,
        applied_on=body.applied_on,
        expenses=[
            services.ExpenseInput(e.description, e.amount, e.incurred_on, e.incurred_to, e.receipt_no)
            for e in body.expenses
        ],
        aid=[services.AidInput(a.kind, a.amount, a.note) for a in body.aid],
        channel=body.channel,
        source_ref=body.source_ref,
        member_id=body.member_id,
        note=body.note,
        duplicate_reason=body.duplicate_reason,
    )
    return Status(201, _claim_full(request.user, c.pk))


@router.get("/claims/{claim_id}", summary="理赔详情 A claim with its explanation and timeline")
def claim_detail(request: AuthedHttpRequest, claim_id: int) -> dict[str, Any]:
    return _claim_full(request.user, claim_id)


@router.post("/claims/{claim_id}/survey", summary="入户勘查 Record the home survey")
@writes(Cap.CLAIM_SURVEY)
def claim_survey(request: AuthedHttpRequest, claim_id: int, body: SurveyIn) -> dict[str, Any]:
    services.claim_survey(
        actor=request.user,
        claim_id=claim_id,
        surveyed_on=body.surveyed_on,
        notes=body.notes,
        per_capita_income=body.per_capita_income,
    )
    return _claim_full(request.user, claim_id)


@router.post("/claims/{claim_id}/calculate", summary="核算 Calculate the payout")
@writes(Cap.CLAIM_SURVEY)
def claim_calculate(request: AuthedHttpRequest, claim_id: int, on: dt.date | None = None) -> dict[str, Any]:
    services.claim_calculate(actor=request.user, claim_id=claim_id, on=on)
    return _claim_full(request.user, claim_id)


@router.post("/claims/{claim_id}/publicise", summary="公示 Start the publicity period")
@writes(Cap.CASE_VILLAGE)
def claim_publicise(request: AuthedHttpRequest, claim_id: int, body: DateIn) -> dict[str, Any]:
    services.claim_publicise(actor=request.user, claim_id=claim_id, on=body.on, note=body.note)
    return _claim_full(request.user, claim_id)


@router.post("/claims/{claim_id}/approve", summary="审批 County approval")
@writes(Cap.CLAIM_APPROVE)
def claim_approve(request: AuthedHttpRequest, claim_id: int, body: DateIn) -> dict[str, Any]:
    services.claim_approve(actor=request.user, claim_id=claim_id, on=body.on, note=body.note)
    return _claim_full(request.user, claim_id)


@router.post("/claims/{claim_id}/reject", summary="不予赔付 Reject with a reason code")
@writes(Cap.CLAIM_SURVEY, Cap.CLAIM_APPROVE)
def claim_reject(request: AuthedHttpRequest, claim_id: int, body: RejectIn) -> dict[str, Any]:
    services.claim_reject(actor=request.user, claim_id=claim_id, code=body.code, reason=body.reason, on=body.on)
    return _claim_full(request.user, claim_id)


@router.post("/claims/{claim_id}/pay", summary="支付 Record the payment (once)")
@writes(Cap.CLAIM_SURVEY)
def claim_pay(request: AuthedHttpRequest, claim_id: int, body: PayIn) -> dict[str, Any]:
    services.claim_pay(actor=request.user, claim_id=claim_id, reference=body.reference, paid_on=body.paid_on)
    return _claim_full(request.user, claim_id)


@router.get("/households/{household_id}/claims", summary="农户的理赔 Claims of one household")
@replica_ok
def household_claims(request: AuthedHttpRequest, household_id: int) -> list[dict[str, Any]]:
    return [_claim_out(c) for c in selectors.claims_for_household(request.user, household_id)]


# ---------------------------------------------------------------- claim documents (the claim page's services)


class ClaimDocumentOut(Schema):
    id: int
    kind: str
    kind_label: str
    sha256: str
    uploaded: dt.datetime
    uploaded_by: str | None
    url: str  # GET it with the same token; ?download=1 saves instead of showing in place


def _document(claim_id: int, d: Any) -> dict[str, Any]:
    return {
        "id": d.pk,
        "kind": d.kind,
        "kind_label": d.get_kind_display(),
        "sha256": d.sha256,
        "uploaded": d.uploaded,
        "uploaded_by": str(d.uploaded_by) if d.uploaded_by else None,
        "url": f"/api/v1/insurance/claims/{claim_id}/documents/{d.pk}",
    }


@router.get("/claims/{claim_id}/documents", response=list[ClaimDocumentOut], summary="理赔材料 Documents of a claim")
def claim_documents(request: AuthedHttpRequest, claim_id: int) -> list[dict[str, Any]]:
    return [_document(claim_id, d) for d in selectors.claim_detail(request.user, claim_id).documents]


@router.post(
    "/claims/{claim_id}/documents",
    response={201: ClaimDocumentOut},
    summary="上传理赔材料 Attach a document (PDF, image)",
)
@writes(Cap.HANDLE_WARNINGS, Cap.CLAIM_APPROVE, Cap.CLAIM_SURVEY)
def claim_document_upload(
    request: AuthedHttpRequest,
    claim_id: int,
    file: File[UploadedFile],
    kind: Form[str],
    duplicate_reason: Form[str] = "",
) -> Status[Any]:
    """multipart/form-data: `file` (PDF, JPEG, PNG or WebP, checked by its bytes), `kind` (receipt,
    diagnosis, …), and `duplicate_reason` when an adjuster files a copy of an earlier claim's bill."""
    d = services.claim_document_add(
        actor=request.user, claim_id=claim_id, kind=kind, file=file, duplicate_reason=duplicate_reason
    )
    return Status(201, _document(claim_id, d))


@router.get("/claims/{claim_id}/documents/{doc_id}", summary="下载理赔材料 A claim document's file")
def claim_document_file(
    request: AuthedHttpRequest, claim_id: int, doc_id: int, download: bool = False
) -> HttpResponseBase:
    doc = next((d for d in selectors.claim_detail(request.user, claim_id).documents if d.pk == doc_id), None)
    if doc is None:
        raise NotFound()
    return files.serve(doc.file, filename=f"{doc.get_kind_display()}-{claim_id}-{doc.pk}", download=download)
