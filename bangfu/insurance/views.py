"""Insurance pages: the claim queue, a claim with its explanation and timeline, scheme configuration,
and the fund/report page with its Excel export. Reads via selectors, writes via services."""

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

from bangfu.accounts.http import AuthedHttpRequest
from bangfu.core.errors import ApplicationError, NotFound
from bangfu.core.views import field_errors, int_or_none, reraise_access
from bangfu.insurance import reports, selectors, services
from bangfu.insurance.domain import codes
from bangfu.insurance.domain.workflow import EVENT_LABELS, STATUS_LABELS, Event, Status, events_open_to
from bangfu.insurance.inputs import Problems

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ---------------------------------------------------------------- claims


@login_required
def claim_queue(request: AuthedHttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    qs = selectors.claim_queue(request.user, status=status if status in Status else "")
    page = Paginator(qs, 50).get_page(int_or_none(request.GET.get("page")) or 1)
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
    expenses = [
        services.ExpenseInput(request.POST.get(f"exp_desc_{i}", ""), p.money(f"exp_amount_{i}", amount) or Decimal(0))
        for i in range(1, 4)
        if (amount := request.POST.get(f"exp_amount_{i}", "").strip())
    ]
    aid = [
        services.AidInput(request.POST.get(f"aid_kind_{i}", ""), p.money(f"aid_amount_{i}", amount) or Decimal(0))
        for i in range(1, 3)
        if (amount := request.POST.get(f"aid_amount_{i}", "").strip())
    ]
    return expenses, aid


@login_required
def claim_new(request: AuthedHttpRequest) -> HttpResponse:
    household_id = int_or_none(request.GET.get("household") or request.POST.get("household"))
    if household_id is None:
        raise NotFound()
    if request.method != "POST":
        return _claim_form(request, {"values": {"household": household_id, "channel": "grid"}})
    p = Problems()
    applied_on = p.date("applied_on", request.POST.get("applied_on"))
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
    steps = events_open_to(Status(d.claim.status), selectors.caps_on_claim(request.user, d.claim))
    ctx = {
        "c": d.claim,
        "d": d,
        "steps": steps,
        "event_labels": {e.value: EVENT_LABELS[e] for e in Event},
        "status_labels": {s.value: STATUS_LABELS[s] for s in Status},
        "reject_codes": codes.REJECT_CODES,
        "document_kinds": codes.DOCUMENT_KINDS,
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
            p.date("surveyed_on", post.get("surveyed_on")),
            p.money("per_capita_income", post.get("per_capita_income")),
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
        paid_on = p.date("paid_on", post.get("paid_on"))
        p.raise_if_any()
        services.claim_pay(actor=request.user, claim_id=pk, reference=post.get("reference", ""), paid_on=paid_on)
    else:
        on = p.date("on", post.get("on"))
        p.raise_if_any()
        step = services.claim_publicise if event == Event.PUBLICISE else services.claim_approve
        step(actor=request.user, claim_id=pk, on=on, note=post.get("note", ""))


@login_required
@require_POST
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


@login_required
def claim_document_file(request: AuthedHttpRequest, pk: int, doc_id: int) -> FileResponse:
    """Documents are served only through the claim's scope, never from a guessable public URL."""
    doc = next((d for d in selectors.claim_detail(request.user, pk).documents if d.pk == doc_id), None)
    if doc is None:
        raise NotFound()
    return FileResponse(
        doc.file.open("rb"), as_attachment=False, filename=(doc.file.name or "document").rsplit("/", 1)[-1]
    )


@login_required
@require_POST
def claim_document(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise Problems.single("file", "请选择要上传的文件", "Choose a file to upload")
        services.claim_document_add(actor=request.user, claim_id=pk, kind=request.POST.get("kind", ""), file=upload)
    except ApplicationError as exc:
        reraise_access(exc)
        return claim_detail(request, pk, errors=field_errors(exc), status=422)
    messages.success(request, "材料已上传 Document uploaded")
    return redirect("insurance:claim_detail", pk=pk)


# ---------------------------------------------------------------- schemes, fund, reports


@login_required
def scheme_list(request: AuthedHttpRequest) -> HttpResponse:
    schemes = list(selectors.schemes_visible(request.user).select_related("county").order_by("county_id", "-year"))
    counties = selectors.counties_configurable(request.user)
    return render(request, "insurance/scheme_list.html", {"schemes": schemes, "counties": counties})


SCHEME_FIELDS = [
    "name",
    "insurer",
    "policyholder",
    "period_start",
    "period_end",
    "basis",
    "basis_share",
    "basis_count",
    "premium_per_person",
    "fee_rate",
    "income_line",
    "publicity_days",
]
SCHEME_FLAGS = ["carry_over", "deficit_topup", "publicity_required"]


def _scheme_values(request: AuthedHttpRequest) -> dict[str, Any]:
    values: dict[str, Any] = {f: request.POST.get(f, "") for f in SCHEME_FIELDS}
    values |= {f: request.POST.get(f) == "on" for f in SCHEME_FLAGS}
    return values | {"insured_groups": request.POST.getlist("insured_groups")}


def _scheme_form(request: AuthedHttpRequest, ctx: dict[str, Any], status: int = 200) -> HttpResponse:
    ctx |= {"bases": codes.BASES, "groups": codes.GROUPS, "counties": selectors.counties_configurable(request.user)}
    return render(request, "insurance/scheme_form.html", ctx, status=status)


@login_required
def scheme_new(request: AuthedHttpRequest) -> HttpResponse:
    if not selectors.counties_configurable(request.user):
        raise NotFound()
    if request.method != "POST":
        year = timezone.localdate().year
        return _scheme_form(
            request,
            {
                "values": {
                    "year": year,
                    "period_start": f"{year}-01-01",
                    "period_end": f"{year}-12-31",
                    "basis": "groups",
                    "insured_groups": codes.GROUPS[:4],
                    "carry_over": True,
                    "deficit_topup": True,
                    "publicity_days": 5,
                }
            },
        )
    values = _scheme_values(request) | {"county": request.POST.get("county", ""), "year": request.POST.get("year")}
    try:
        s = services.scheme_create(
            actor=request.user, county_code=values["county"], year=int_or_none(values["year"]) or 0, fields=values
        )
    except ApplicationError as exc:
        reraise_access(exc)
        return _scheme_form(request, {"values": values, "errors": field_errors(exc)}, 422)
    messages.success(request, "方案已创建，请配置各类风险的赔付条款 Scheme created; now add the terms per cause")
    return redirect("insurance:scheme_detail", pk=s.pk)


@login_required
def scheme_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    s = selectors.scheme_get(request.user, pk)
    if request.method != "POST":
        values = {f: getattr(s, f) for f in [*SCHEME_FIELDS, *SCHEME_FLAGS, "insured_groups"]}
        return _scheme_form(request, {"values": values, "scheme": s})
    values = _scheme_values(request)
    try:
        services.scheme_update(actor=request.user, scheme_id=pk, fields=values, reason=request.POST.get("reason", ""))
    except ApplicationError as exc:
        reraise_access(exc)
        return _scheme_form(request, {"values": values, "scheme": s, "errors": field_errors(exc)}, 422)
    messages.success(request, "方案已保存 Scheme saved")
    return redirect("insurance:scheme_detail", pk=pk)


@login_required
def scheme_detail(
    request: AuthedHttpRequest,
    pk: int,
    errors: dict[str, list[str]] | None = None,
    values: Any = None,
    status: int = 200,
) -> HttpResponse:
    s = selectors.scheme_get(request.user, pk)
    terms = selectors.terms_of(s)
    return render(
        request,
        "insurance/scheme_detail.html",
        {
            "s": s,
            "terms": terms,
            "can_configure": selectors.can_configure(request.user, s),
            "causes": codes.CAUSES,
            "aid_kinds": codes.AID_KINDS,
            "groups": codes.GROUPS,
            "bases": codes.BASES,
            "errors": errors or {},
            "values": values or {},
            "band_rows": range(1, 5),
        },
        status=status,
    )


def _terms_from_post(request: AuthedHttpRequest) -> services.TermsInput:
    p, post = Problems(), request.POST
    bands = []
    for i in range(1, 5):
        if not post.get(f"band_lower_{i}", "").strip():
            continue
        bands.append(
            (
                p.money(f"bands[{i}].lower", post.get(f"band_lower_{i}")),
                p.money(f"bands[{i}].upper", post.get(f"band_upper_{i}"), required=False),
                p.rate(f"bands[{i}].rate", post.get(f"band_rate_{i}", "")),
            )
        )
    thresholds = tuple(
        (g, p.money("thresholds", v)) for g in ["*", *codes.GROUPS] if (v := post.get(f"threshold_{g}", "").strip())
    )
    terms = services.TermsInput(
        cause=post.get("cause", "").strip(),
        label=post.get("label", "").strip(),
        effective_from=p.date("effective_from", post.get("effective_from")),
        deductible=p.money("deductible", post.get("deductible")),
        bands=tuple(bands),
        per_claim_cap=p.money("per_claim_cap", post.get("per_claim_cap"), required=False),
        annual_cap=p.money("annual_cap", post.get("annual_cap"), required=False),
        annual_cap_per=post.get("annual_cap_per", "household"),
        income_line=p.money("income_line", post.get("income_line"), required=False),
        deducted_aid=tuple(post.getlist("deducted_aid")),
        thresholds=thresholds,
    )
    p.raise_if_any()
    return terms


@login_required
@require_POST
def terms_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    try:
        services.terms_set(
            actor=request.user, scheme_id=pk, terms=_terms_from_post(request), reason=request.POST.get("reason", "")
        )
    except ApplicationError as exc:
        reraise_access(exc)
        return scheme_detail(request, pk, errors=field_errors(exc), values=request.POST, status=422)
    messages.success(request, "条款已保存，按生效日期适用 Terms saved")
    return redirect("insurance:scheme_detail", pk=pk)


@login_required
def fund_page(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    s = selectors.scheme_get(request.user, pk)
    return render(
        request,
        "insurance/fund.html",
        {
            "s": s,
            "f": selectors.fund_figures(s),
            "ledger": list(selectors.ledger_of(s)),
            "r": reports.report_dict(request.user, s),
            "kinds": codes.LEDGER_KINDS,
            "can_configure": selectors.can_configure(request.user, s),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def premium_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    p = Problems()
    persons, on = (
        p.count("persons", request.POST.get("persons")),
        p.date("received_on", request.POST.get("received_on")),
    )
    try:
        p.raise_if_any()
        services.premium_record(
            actor=request.user,
            scheme_id=pk,
            persons=persons,
            received_on=on,
            reference=request.POST.get("reference", ""),
        )
    except ApplicationError as exc:
        reraise_access(exc)
        for msgs in field_errors(exc).values():
            for m in msgs:
                messages.error(request, m)
        return redirect("insurance:fund", pk=pk)
    messages.success(request, "保费已入账 Premium booked")
    return redirect("insurance:fund", pk=pk)


@login_required
@require_POST
def fund_settle(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    p = Problems()
    on = p.date("on", request.POST.get("on"))
    try:
        p.raise_if_any()
        services.fund_settle(actor=request.user, scheme_id=pk, on=on)
    except ApplicationError as exc:
        reraise_access(exc)
        for msgs in field_errors(exc).values():
            for m in msgs:
                messages.error(request, m)
        return redirect("insurance:fund", pk=pk)
    messages.success(request, "年终结算已完成 Year-end settlement booked")
    return redirect("insurance:fund", pk=pk)


@login_required
def fund_export(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    s = selectors.scheme_get(request.user, pk)
    return xlsx_response(reports.workbook(request.user, s), f"insurance-{s.county_id[:6]}-{s.year}.xlsx")
