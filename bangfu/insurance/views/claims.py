"""Claim pages: the queue, filing a claim, the claim page with its steps, documents."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.core import files, params
from bangfu.core.errors import ApplicationError, NotFound, invalid
from bangfu.core.inputs import Problems
from bangfu.core.replicas import replica_ok
from bangfu.core.views import field_errors, int_or_none, reraise_access
from bangfu.insurance import selectors, services
from bangfu.insurance.domain import codes
from bangfu.insurance.domain.workflow import EVENT_LABELS, STATUS_LABELS, TABLE, Event, Status


@login_required
@replica_ok
def claim_queue(request: AuthedHttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    qs = selectors.claim_queue(request.user, status=status if status in Status else "")
    page = Paginator(qs, 50).get_page(params.page_number(request.GET))
    return render(
        request,
        "insurance/claim_queue.html",
        {
            "page": page,
            "claims": page.object_list,
            "status": status,
            "statuses": list(STATUS_LABELS.items()),
        },
    )


def _claim_form(request: AuthedHttpRequest, ctx: dict[str, Any], status: int = 200) -> HttpResponse:
    ctx |= {
        "causes": codes.CAUSES,
        "aid_kinds": codes.AID_KINDS,
        "channels": codes.CHANNELS,
        "today": timezone.localdate(),
    }
    return render(request, "insurance/claim_form.html", ctx, status=status)


def _lines(request: AuthedHttpRequest, p: Problems) -> tuple[list[services.ExpenseInput], list[services.AidInput]]:
    """Up to three expense rows and two aid rows from the form; empty rows are skipped."""
    post = request.POST

    def day(name: str) -> Any:
        return p.date(post[name], name, future=True) if post.get(name, "").strip() else None

    expenses = [
        services.ExpenseInput(
            post.get(f"exp_desc_{i}", ""),
            p.money(amount, f"exp_amount_{i}") or Decimal(0),
            day(f"exp_on_{i}"),
            day(f"exp_to_{i}"),
            post.get(f"exp_receipt_{i}", "").strip(),
        )
        for i in range(1, 4)
        if (amount := post.get(f"exp_amount_{i}", "").strip())
    ]
    aid = [
        services.AidInput(request.POST.get(f"aid_kind_{i}", ""), p.money(amount, f"aid_amount_{i}") or Decimal(0))
        for i in range(1, 3)
        if (amount := request.POST.get(f"aid_amount_{i}", "").strip())
    ]
    return expenses, aid


@login_required
@writes(Cap.HANDLE_WARNINGS, Cap.CLAIM_APPROVE, Cap.CLAIM_SURVEY)
def claim_new(request: AuthedHttpRequest) -> HttpResponse:
    household_id = int_or_none(request.GET.get("household") or request.POST.get("household"))
    if household_id is None:
        raise NotFound()
    if request.method != "POST":
        return _claim_form(request, {"values": {"household": household_id, "channel": "grid"}})
    p = Problems()
    applied_on = p.date(request.POST.get("applied_on"), "applied_on", future=True)
    expenses, aid = _lines(request, p)
    try:
        p.raise_if_any()
        claim = services.claim_submit(
            actor=request.user,
            household_id=household_id,
            cause=request.POST.get("cause", ""),
            applied_on=applied_on,
            expenses=expenses,
            aid=aid,
            channel=request.POST.get("channel", "grid"),
            source_ref=request.POST.get("source_ref", ""),
            note=request.POST.get("note", ""),
            duplicate_reason=request.POST.get("duplicate_reason", ""),
        )
    except ApplicationError as exc:
        reraise_access(exc)
        return _claim_form(request, {"values": request.POST, "errors": field_errors(exc)}, 422)
    messages.success(request, f"已报案，理赔编号 #{claim.pk} Claim filed")
    return redirect("insurance:claim_detail", pk=claim.pk)


@login_required
def claim_detail(
    request: AuthedHttpRequest, pk: int, errors: dict[str, list[str]] | None = None, status: int = 200
) -> HttpResponse:
    d = selectors.claim_detail(request.user, pk)
    steps = [s.event for s in TABLE.open_to(Status(d.claim.status), selectors.caps_on_claim(request.user, d.claim))]
    income_year, income_per_capita = selectors.claim_income_reference(request.user, d.claim)
    ctx = {
        "income_year": income_year,
        "income_per_capita": income_per_capita,
        "c": d.claim,
        "d": d,
        "steps": steps,
        "event_labels": TABLE.events,
        "earlier": selectors.claims_by_ids(request.user, d.claim.duplicate_of),
        "missing_docs": {
            ev.value: [codes.DOCUMENT_KINDS[k] for k in lacking]
            for ev in steps
            if ev.value in codes.DOCUMENT_STEPS and (lacking := selectors.missing_documents(d.claim, ev.value))
        },
        "reject_codes": codes.REJECT_CODES,
        "document_kinds": codes.DOCUMENT_KINDS,
        "can_attach": selectors.may_add_documents(request.user, d.claim),
        "today": timezone.localdate(),
        "errors": errors or {},
    }
    return render(request, "insurance/claim_detail.html", ctx, status=status)


def _step(request: AuthedHttpRequest, pk: int, event: str) -> None:
    p = Problems()
    post = request.POST
    today = timezone.localdate()
    if event == Event.SURVEY:
        on, income = (
            p.date(post.get("surveyed_on"), "surveyed_on", future=True),
            p.money(post.get("per_capita_income"), "per_capita_income"),
        )
        p.raise_if_any()
        services.claim_survey(
            actor=request.user, claim_id=pk, surveyed_on=on, notes=post.get("notes", ""), per_capita_income=income
        )
    elif event == Event.CALCULATE:
        services.claim_calculate(actor=request.user, claim_id=pk, on=today)
    elif event == Event.REJECT:
        services.claim_reject(
            actor=request.user, claim_id=pk, code=post.get("code", ""), reason=post.get("reason", ""), on=today
        )
    elif event == Event.PAY:
        paid_on = p.date(post.get("paid_on"), "paid_on", future=True)
        p.raise_if_any()
        services.claim_pay(actor=request.user, claim_id=pk, reference=post.get("reference", ""), paid_on=paid_on)
    else:
        on = p.date(post.get("on"), "on", future=True)
        p.raise_if_any()
        step = services.claim_publicise if event == Event.PUBLICISE else services.claim_approve
        step(actor=request.user, claim_id=pk, on=on, note=post.get("note", ""))


@login_required
@require_POST
@writes(Cap.CLAIM_SURVEY, Cap.CASE_VILLAGE, Cap.CLAIM_APPROVE)
def claim_step(request: AuthedHttpRequest, pk: int, event: str) -> HttpResponse:
    if event not in Event or event == Event.SUBMIT:
        raise NotFound()
    try:
        _step(request, pk, event)
    except ApplicationError as exc:
        reraise_access(exc)
        return claim_detail(request, pk, errors=field_errors(exc), status=422)
    messages.success(request, f"{EVENT_LABELS[Event(event)]}已完成 Step recorded")
    return redirect("insurance:claim_detail", pk=pk)


@files.file_view
def claim_document_file(request: AuthedHttpRequest, pk: int, doc_id: int) -> FileResponse:
    """Documents are served only through the claim's scope, never from a public /media/ address;
    ?download=1 saves instead of showing an image or PDF in place."""
    doc = next((d for d in selectors.claim_detail(request.user, pk).documents if d.pk == doc_id), None)
    if doc is None:
        raise NotFound()
    name = f"{doc.get_kind_display()}-{pk}-{doc.pk}"
    return files.serve(doc.file, filename=name, download=request.GET.get("download") == "1")


@login_required
@require_POST
@writes(Cap.HANDLE_WARNINGS, Cap.CLAIM_APPROVE, Cap.CLAIM_SURVEY)
def claim_document(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise invalid("file", "请选择要上传的文件", "Choose a file to upload")
        services.claim_document_add(
            actor=request.user,
            claim_id=pk,
            kind=request.POST.get("kind", ""),
            file=upload,
            duplicate_reason=request.POST.get("duplicate_reason", ""),
        )
    except ApplicationError as exc:
        reraise_access(exc)
        return claim_detail(request, pk, errors=field_errors(exc), status=422)
    messages.success(request, "材料已上传 Document uploaded")
    return redirect("insurance:claim_detail", pk=pk)
