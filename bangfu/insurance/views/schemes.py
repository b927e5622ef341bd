"""Scheme pages: list, create/edit, per-cause terms, and the fund/report page with its Excel export."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.core import inputs
from bangfu.core.errors import NotFound
from bangfu.core.inputs import Problems
from bangfu.core.replicas import replica_ok
from bangfu.core.views import form_post, page_on_get, post_message
from bangfu.insurance import reports, selectors, services
from bangfu.insurance.domain import codes
from bangfu.insurance.inputs import scheme_input
from bangfu.insurance.models import Scheme
from bangfu.insurance.views.common import xlsx_response


@login_required
@replica_ok
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
    "dup_amount_tolerance",
    "dup_date_slack_days",
]
SCHEME_FLAGS = ["carry_over", "deficit_topup", "publicity_required", "dup_count_rejected"]


def _typed(request: AuthedHttpRequest, values: dict[str, str]) -> dict[str, Any]:
    """What was typed, with the checkboxes as booleans and the groups as a list (to parse and to show again)."""
    flags = {f: request.POST.get(f) == "on" for f in SCHEME_FLAGS}
    return values | flags | {"insured_groups": request.POST.getlist("insured_groups")}


def _scheme_context(request: AuthedHttpRequest, groups: list[str]) -> dict[str, Any]:
    """The form's choices; the groups ticked are those posted when the form comes back with a problem."""
    checked = request.POST.getlist("insured_groups") if request.method == "POST" else groups
    return {
        "bases": codes.BASES,
        "groups": codes.GROUPS,
        "checked_groups": checked,
        "counties": selectors.counties_configurable(request.user),
    }


@login_required
@writes(Cap.CONFIGURE)
def scheme_new(request: AuthedHttpRequest) -> HttpResponse:
    if not selectors.counties_configurable(request.user):
        raise NotFound()
    year = timezone.localdate().year

    def run(v: dict[str, str]) -> Scheme:
        with Problems() as p:
            y = p.whole(v.get("year"), "year", low=2000, high=2100, zh="年度", en="year")
            scheme = p.check(scheme_input, _typed(request, v))
        return services.scheme_create(actor=request.user, county_code=v.get("county", ""), year=y, scheme=scheme)

    return form_post(
        request,
        template="insurance/scheme_form.html",
        context=lambda: _scheme_context(request, codes.GROUPS[:4]),
        initial={
            "year": year,
            "period_start": f"{year}-01-01",
            "period_end": f"{year}-12-31",
            "basis": "groups",
            "carry_over": True,
            "deficit_topup": True,
            "publicity_days": 5,
        },
        run=run,
        done=_("方案已创建，请配置各类风险的赔付条款"),
        then=lambda s: redirect("insurance:scheme_detail", pk=s.pk),
    )


@login_required
@writes(Cap.CONFIGURE)
def scheme_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    s = selectors.scheme_get(request.user, pk)

    def run(v: dict[str, str]) -> Scheme:
        scheme = scheme_input(_typed(request, v))
        return services.scheme_update(actor=request.user, scheme_id=pk, scheme=scheme, reason=v.get("reason", ""))

    return form_post(
        request,
        template="insurance/scheme_form.html",
        context=lambda: _scheme_context(request, s.insured_groups) | {"scheme": s},
        initial={f: getattr(s, f) for f in [*SCHEME_FIELDS, *SCHEME_FLAGS]},
        run=run,
        done=_("方案已保存"),
        then=lambda _s: redirect("insurance:scheme_detail", pk=pk),
    )


def _detail_context(request: AuthedHttpRequest, pk: int) -> dict[str, Any]:
    s = selectors.scheme_get(request.user, pk)
    return {
        "s": s,
        "terms": selectors.terms_of(s),
        "document_rules": selectors.document_rules_of(s),
        "document_kinds": codes.DOCUMENT_KINDS,
        "document_steps": codes.DOCUMENT_STEPS,
        "can_configure": selectors.can_configure(request.user, s),
        "causes": codes.CAUSES,
        "aid_kinds": codes.AID_KINDS,
        "groups": codes.GROUPS,
        "bases": codes.BASES,
        "errors": {},
        "band_rows": range(1, 5),
    }


@login_required
def scheme_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return render(request, "insurance/scheme_detail.html", _detail_context(request, pk) | {"values": {}})


def _on_scheme(
    request: AuthedHttpRequest, pk: int, form: str, run: Callable[[dict[str, str]], object], done: str
) -> HttpResponse:
    """A form of the scheme page: on a problem the page again, the problems beside the fields."""
    return form_post(
        request,
        template="insurance/scheme_detail.html",
        context=lambda: _detail_context(request, pk),
        run=run,
        done=done,
        then=lambda _r: redirect("insurance:scheme_detail", pk=pk),
        form=form,
    )


def _terms_from_post(request: AuthedHttpRequest) -> services.TermsInput:
    p, post = Problems(), request.POST
    bands = []
    for i in range(1, 5):
        if not post.get(f"band_lower_{i}", "").strip():
            continue
        bands.append(
            (
                p.money(post.get(f"band_lower_{i}"), f"bands[{i}].lower"),
                p.money(post.get(f"band_upper_{i}"), f"bands[{i}].upper", required=False),
                p.rate(post.get(f"band_rate_{i}", ""), f"bands[{i}].rate"),
            )
        )
    thresholds = tuple(
        (g, p.money(v, "thresholds")) for g in ["*", *codes.GROUPS] if (v := post.get(f"threshold_{g}", "").strip())
    )
    terms = services.TermsInput(
        cause=post.get("cause", "").strip(),
        label=post.get("label", "").strip(),
        effective_from=p.date(post.get("effective_from"), "effective_from", future=True),
        deductible=p.money(post.get("deductible"), "deductible"),
        bands=tuple(bands),
        per_claim_cap=p.money(post.get("per_claim_cap"), "per_claim_cap", required=False),
        annual_cap=p.money(post.get("annual_cap"), "annual_cap", required=False),
        annual_cap_per=post.get("annual_cap_per", "household"),
        income_line=p.money(post.get("income_line"), "income_line", required=False),
        deducted_aid=tuple(post.getlist("deducted_aid")),
        thresholds=thresholds,
    )
    p.raise_if_any()
    return terms


@login_required
@page_on_get("insurance:scheme_detail")
@writes(Cap.CONFIGURE)
def terms_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _on_scheme(
        request,
        pk,
        "terms",
        lambda v: services.terms_set(
            actor=request.user, scheme_id=pk, terms=_terms_from_post(request), reason=v.get("reason", "")
        ),
        _("条款已保存，按生效日期适用"),
    )


@login_required
@page_on_get("insurance:scheme_detail")
@writes(Cap.CONFIGURE)
def document_rule_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    post = request.POST
    return _on_scheme(
        request,
        pk,
        "documents",
        lambda v: services.document_rule_set(
            actor=request.user,
            scheme_id=pk,
            cause=v.get("doc_cause") or "*",
            effective_from=inputs.date(v.get("effective_from"), "effective_from", future=True),
            survey=post.getlist("before_survey"),
            approve=post.getlist("before_approve"),
            pay=post.getlist("before_pay"),
            reason=v.get("reason", ""),
        ),
        _("材料要求已保存，按生效日期适用"),
    )


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
@page_on_get("insurance:fund")
@writes(Cap.CONFIGURE)
def premium_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    def run() -> None:
        with Problems() as p:
            persons = p.whole(request.POST.get("persons"), "persons", zh="人数", en="count")
            on = p.date(request.POST.get("received_on"), "received_on", future=True)
        services.premium_record(
            actor=request.user,
            scheme_id=pk,
            persons=persons,
            received_on=on,
            reference=request.POST.get("reference", ""),
        )

    post_message(request, _("保费已入账"), run)
    return redirect("insurance:fund", pk=pk)


@login_required
@page_on_get("insurance:fund")
@writes(Cap.CONFIGURE)
def fund_settle(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    post_message(
        request,
        _("年终结算已完成"),
        lambda: services.fund_settle(
            actor=request.user, scheme_id=pk, on=inputs.date(request.POST.get("on"), "on", future=True)
        ),
    )
    return redirect("insurance:fund", pk=pk)


@login_required
@replica_ok
def fund_export(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    s = selectors.scheme_get(request.user, pk)
    return xlsx_response(reports.workbook(request.user, s), f"insurance-{s.county_id[:6]}-{s.year}.xlsx")
