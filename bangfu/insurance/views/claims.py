"""Claim pages: the queue, filing a claim, the claim page with its steps, documents."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.core import files
from bangfu.core.errors import NotFound, ValidationFailed, invalid
from bangfu.core.inputs import Problems
from bangfu.core.views import form_post, int_or_none, page_on_get, same
from bangfu.insurance import selectors, services
from bangfu.insurance.domain import codes
from bangfu.insurance.domain.workflow import TABLE, Event
from bangfu.insurance.views.queue import claim_queue

__all__ = ["claim_detail", "claim_document", "claim_document_file", "claim_new", "claim_queue", "claim_step"]

# Whom a claim waits for, when the reader has no step of their own (TABLE.waiting_for's capabilities).
WAITING_FOR = {
    "claim_survey": gettext_lazy("承保公司查勘员"),
    "claim_approve": gettext_lazy("县防贫办审批人员"),
    "case_village": gettext_lazy("村或乡镇（公示）"),
}


_ROW_FIELD = re.compile(r"^(expenses|aid)\[(\d+)\]\.(\w+)$")
_FORM_NAMES = {
    "expenses": {"amount": "exp_amount", "description": "exp_desc", "incurred_on": "exp_on", "incurred_to": "exp_to",
                 "receipt_no": "exp_receipt"},
    "aid": {"kind": "aid_kind", "amount": "aid_amount"},
}  # fmt: skip


@contextmanager
def _row_fields() -> Iterator[None]:
    """The service names a line's problem `expenses[2].amount`; the form's field is `exp_amount_2`, so
    the problem is shown beside the box it is about."""
    try:
        yield
    except ValidationFailed as exc:
        for p in exc.problems:
            if (m := _ROW_FIELD.match(p.field)) and m[3] in _FORM_NAMES[m[1]]:
                p.field = f"{_FORM_NAMES[m[1]][m[3]]}_{m[2]}"
        raise


def _form_context(request: AuthedHttpRequest) -> dict[str, Any]:
    return {
        "causes": codes.CAUSES,
        "aid_kinds": codes.AID_KINDS,
        "channels": codes.CHANNELS,
        "today": timezone.localdate(),
        "rows3": ["1", "2", "3"],
        "rows2": ["1", "2"],
    }


def _lines(post: Any, p: Problems) -> tuple[list[services.ExpenseInput], list[services.AidInput]]:
    """Up to three expense rows and two aid rows from the form; empty rows are skipped."""

    def day(name: str) -> Any:
        return p.date(post[name], name, future=True) if post.get(name, "").strip() else None

    expenses = [
        services.ExpenseInput(
            p.text(post.get(f"exp_desc_{i}", ""), f"exp_desc_{i}", max_len=120, zh="费用项目", en="description"),
            p.money(amount, f"exp_amount_{i}") or Decimal(0),
            day(f"exp_on_{i}"),
            day(f"exp_to_{i}"),
            post.get(f"exp_receipt_{i}", "").strip(),
        )
        for i in range(1, 4)
        if (amount := post.get(f"exp_amount_{i}", "").strip())
    ]
    aid = [
        services.AidInput(
            p.choice(post.get(f"aid_kind_{i}", ""), f"aid_kind_{i}", codes.AID_KINDS),
            p.money(amount, f"aid_amount_{i}") or Decimal(0),
        )
        for i in range(1, 3)
        if (amount := post.get(f"aid_amount_{i}", "").strip())
    ]
    return expenses, aid


@login_required
@writes(Cap.HANDLE_WARNINGS, Cap.CLAIM_APPROVE, Cap.CLAIM_SURVEY)
def claim_new(request: AuthedHttpRequest) -> HttpResponse:
    household_id = int_or_none(request.GET.get("household") or request.POST.get("household"))
    if household_id is None:
        raise NotFound()

    def run(v: dict[str, str]) -> Any:
        with Problems() as p:
            cause = p.choice(v.get("cause"), "cause", codes.CAUSES)
            channel = p.choice(v.get("channel") or "grid", "channel", codes.CHANNELS)
            applied_on = p.date(v.get("applied_on"), "applied_on", zh="申请日期", en="application date")
            expenses, aid = _lines(v, p)
        with _row_fields():
            return services.claim_submit(
                actor=request.user,
                household_id=household_id,
                cause=cause,
                applied_on=applied_on,
                expenses=expenses,
                aid=aid,
                channel=channel,
                source_ref=v.get("source_ref", ""),
                note=v.get("note", ""),
                duplicate_reason=v.get("duplicate_reason", ""),
            )

    return form_post(
        request,
        template="insurance/claim_form.html",
        context=lambda: _form_context(request),
        initial={"household": household_id, "channel": "grid", "applied_on": timezone.localdate().isoformat()},
        run=run,
        done=lambda c: _("已报案，理赔编号 #%(pk)s") % {"pk": c.pk},
        then=lambda c: redirect("insurance:claim_detail", pk=c.pk),
    )


def _detail_context(request: AuthedHttpRequest, pk: int) -> dict[str, Any]:
    d = selectors.claim_detail(request.user, pk)
    today = timezone.localdate()
    steps = selectors.steps_for(request.user, d.claim, today)
    income_year, income_per_capita = selectors.claim_income_reference(request.user, d.claim)
    return {
        "income_year": income_year,
        "income_per_capita": income_per_capita,
        "c": d.claim,
        "d": d,
        "steps": [ev.value for ev in steps.open],
        "blocked": [(ev.value, why) for ev, why in steps.blocked],
        "waiting": [WAITING_FOR[w] for w in sorted(steps.waiting_for) if w in WAITING_FOR] if not steps.open else [],
        "progress": selectors.claim_progress(d),
        "source": selectors.claim_source(d.claim),
        "deductions": selectors.deduction_lines(d.claim),
        "earlier": selectors.claims_by_ids(request.user, d.claim.duplicate_of),
        "missing_docs": {
            ev.value: [codes.DOCUMENT_KINDS[k] for k in lacking]
            for ev in steps.open
            if ev.value in codes.DOCUMENT_STEPS and (lacking := selectors.missing_documents(d.claim, ev.value))
        },
        "reject_codes": codes.REJECT_CODES,
        "suggested_code": next(
            (r["code"] for r in d.claim.explanation.get("reasons", []) if r.get("code") in codes.REJECT_CODES), ""
        ),
        "event_labels": TABLE.events,
        "document_kinds": codes.DOCUMENT_KINDS,
        "can_attach": selectors.may_add_documents(request.user, d.claim),
        "today": today,
        "values": {},
    }


@login_required
def claim_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return render(request, "insurance/claim_detail.html", _detail_context(request, pk))


def _run_step(request: AuthedHttpRequest, pk: int, event: str, v: dict[str, str]) -> None:
    """Parse one step's form (core.inputs) and call its service with typed values."""
    user, today = request.user, timezone.localdate()
    if event == Event.SURVEY:
        with Problems() as p:
            on = p.date(v.get("surveyed_on"), "surveyed_on", zh="勘查日期", en="survey date")
            income = p.money(v.get("per_capita_income"), "per_capita_income", zh="人均纯收入", en="per-capita income")
        services.claim_survey(
            actor=user, claim_id=pk, surveyed_on=on, notes=v.get("notes", ""), per_capita_income=income
        )
    elif event == Event.CALCULATE:
        services.claim_calculate(actor=user, claim_id=pk, on=today)
    elif event == Event.DECLINE:
        services.claim_decline(actor=user, claim_id=pk, on=today, note=v.get("note", ""))
    elif event == Event.REJECT:
        services.claim_reject(actor=user, claim_id=pk, code=v.get("code", ""), reason=v.get("reason", ""), on=today)
    elif event == Event.PAY:
        with Problems() as p:
            paid_on = p.date(v.get("paid_on"), "paid_on", zh="支付日期", en="payment date")
        services.claim_pay(actor=user, claim_id=pk, reference=v.get("reference", ""), paid_on=paid_on)
    else:
        with Problems() as p:
            on = p.date(v.get("on"), "on")
        step = services.claim_publicise if event == Event.PUBLICISE else services.claim_approve
        step(actor=user, claim_id=pk, on=on, note=v.get("note", ""))


@login_required
@page_on_get("insurance:claim_detail", to=same("pk"))
@writes(Cap.CLAIM_SURVEY, Cap.CASE_VILLAGE, Cap.CLAIM_APPROVE)
def claim_step(request: AuthedHttpRequest, pk: int, event: str) -> HttpResponse:
    if event not in Event or event == Event.SUBMIT:
        raise NotFound()
    return form_post(
        request,
        template="insurance/claim_detail.html",
        context=lambda: _detail_context(request, pk),
        run=lambda v: _run_step(request, pk, event, v),
        done=_("%(step)s已完成") % {"step": _(TABLE.event_label(event))},
        then=lambda _r: redirect("insurance:claim_detail", pk=pk),
        form=event,
    )


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
@page_on_get("insurance:claim_detail")
@writes(Cap.HANDLE_WARNINGS, Cap.CLAIM_APPROVE, Cap.CLAIM_SURVEY)
def claim_document(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    def run(v: dict[str, str]) -> object:
        upload = request.FILES.get("file")
        if upload is None:
            raise invalid("file", "请选择要上传的文件", "Choose a file to upload")
        return services.claim_document_add(
            actor=request.user,
            claim_id=pk,
            kind=v.get("kind", ""),
            file=upload,
            duplicate_reason=v.get("duplicate_reason", ""),
        )

    return form_post(
        request,
        template="insurance/claim_detail.html",
        context=lambda: _detail_context(request, pk),
        run=run,
        done=_("材料已上传"),
        then=lambda _r: redirect("insurance:claim_detail", pk=pk),
        form="document",
    )
