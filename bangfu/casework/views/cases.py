"""Pages of casework: case queue and steps, notices, grid worker's households and visits, self-report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import segno
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.areas.selectors import place_in_query
from bangfu.casework import selectors, services
from bangfu.casework.domain import codes, deliberation
from bangfu.casework.domain import visits as vdom
from bangfu.casework.domain.procedure import STATE_LABELS, State
from bangfu.casework.pdf import notice_pdf
from bangfu.core import files, inputs, params
from bangfu.core.answers import done
from bangfu.core.client import client_address
from bangfu.core.errors import ValidationFailed
from bangfu.core.i18n import in_language
from bangfu.core.idempotency import idempotent
from bangfu.core.listing import Filter, Listing
from bangfu.core.replicas import replica_ok
from bangfu.core.views import form_post, page_on_get, same

if TYPE_CHECKING:
    pass

STEP_FIELDS = [
    "household_id",
    "consent_signed_on",
    "survey",
    "vehicle",
    "property",
    "business",
    "payroll",
    "minutes",
    "attendees",
    "vote_result",
    "present",
    "votes_for",
    "votes_against",
    "monitoring_type",
    "rigid_expenditure_resolved",
]


def _today() -> dt.date:
    return timezone.localdate()


def _date_or_none(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


CASE_SORTS = {
    "due": ("due_on",),
    "opened": ("opened_on",),
    "village": ("village__name",),
    "head": ("household__head_name",),
    "state": ("state",),
}


@login_required
@replica_ok
def case_list(request: AuthedHttpRequest) -> HttpResponse:
    """The cases of the user's areas: the area from the link (a removable chip), search, state,
    source and overdue filters, sortable columns, page numbers."""
    place = place_in_query(request.user, request.GET)
    listing = Listing(
        request,
        sorts=CASE_SORTS,
        default_sort="due",
        filters=[
            Filter("state", _("状态"), [(s.value, _(STATE_LABELS[s])) for s in State]),
            Filter("source", _("来源"), [(k, _(v)) for k, v in codes.SOURCES.items()]),
            Filter("overdue", _("期限"), [("1", _("只看逾期"))]),
        ],
        search=_("案件号、户主或申报人姓名、户编号"),
    )
    if place:
        listing.chip(place.name, place.param)
    f = selectors.CaseFilter(
        place=place,
        q=listing.q,
        state=listing.value("state"),
        source=listing.value("source"),
        overdue=listing.value("overdue") == "1",
    )
    page = listing.page(selectors.cases_listed(request.user, f, _today()))
    return render(
        request,
        "casework/case_list.html",
        {
            "page": page,
            "listing": listing,
            "today": _today(),
            "overdue": selectors.overdue_by_township(request.user, _today()),
        },
    )


# Fields of the step forms a problem is shown beside (a guard's name stands for its field); the rest
# is listed at the top of the form that was sent.
PLACED = (
    "on",
    "household_id",
    "consent_signed_on",
    "survey",
    "comparison",
    "vote_result",
    "present",
    "votes_for",
    "votes_against",
    "minutes",
    "attendees",
    "type_and_risks",
    "elimination",
    "note",
    "files",
)
GUARD_FIELDS = {"has_household": "household_id", "consent": "consent_signed_on", "reason": "note", "minutes": "minutes"}


MEASURE_FIELDS = ("category", "title", "responsible", "responsible_unit", "starts_on", "ends_on", "amount", "status")


def _detail_context(request: AuthedHttpRequest, pk: int) -> dict[str, Any]:
    case = selectors.case_detail(request.user, pk)
    progress = selectors.case_progress(request.user, case, _today())
    source = selectors.case_source(case)
    in_elimination = case.state.startswith("elim_")
    return {
        "case": case,
        "events": case._events,
        "measures": case._measures,
        "notices": case._notices,
        "progress": progress,
        "steps": [(t.event.value, t.zh, t.target) for t in progress.offered],
        "offered_events": [t.event.value for t in progress.offered],
        "measure_placed": MEASURE_FIELDS,
        "waiting_for": in_language("、", ", ").join(_(w) for w in progress.waiting_for),
        "risks_text": in_language("、", ", ").join(_(r) for r in case.risk_codes or ()),
        "evidence": {e.pk: list(e.attachments.all()) for e in case._events},
        "photos": selectors.photos_of_case(request.user, case),
        "source": source,
        "source_text": _(source.record).format(on=source.on, pk=source.pk) if source.record else "",
        "vote": case.vote,
        "results": deliberation.RESULTS,
        "reject_outcome": _("驳回风险消除后，该户继续监测帮扶。")
        if in_elimination
        else _("驳回后本案件结束，该户不纳入监测对象。"),
        "placed": PLACED,
        "can_plan": "case_village" in selectors.case_caps(request.user, case),
        "category_options": [(k, _(v)) for k, v in codes.MEASURE_CATEGORIES.items()],
        "status_options": [(k, _(v)) for k, v in codes.MEASURE_STATUS.items()],
        "statuses": codes.MEASURE_STATUS,
        "type_options": [(t, _(t)) for t in codes.MONITORING_TYPES],
        "risks": codes.RISK_CODES,
        "risks_checked": request.POST.getlist("risk_codes"),
        "today": _today(),
        "today_iso": _today().isoformat(),
        "comparison_items": {k: _(v) for k, v in codes.COMPARISON_ITEMS.items()},
        "posted": request.POST,
    }


@login_required
def case_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return render(request, "casework/case_detail.html", _detail_context(request, pk))


def _on_case(
    request: AuthedHttpRequest, pk: int, run: Callable[[dict[str, str]], object], done: str, form: str
) -> HttpResponse:
    """A form of the case page: on a problem the page again, the problems beside the fields, what was typed kept."""
    return form_post(
        request,
        template="casework/case_detail.html",
        context=lambda: _detail_context(request, pk),
        run=run,
        done=done,
        then=lambda _result: redirect("casework:case_detail", pk=pk),
        keep_as="posted",
        form=form,
    )


@login_required
@page_on_get("casework:case_detail")
@writes(Cap.CASE_ACCEPT, Cap.CASE_VILLAGE, Cap.CASE_APPROVE)
def case_step(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    def run(v: dict[str, str]) -> object:
        case = selectors.case_get(request.user, pk)
        data: dict[str, Any] = {k: v.get(k, "") for k in STEP_FIELDS}
        data["risk_codes"] = request.POST.getlist("risk_codes")
        try:
            return services.case_step(
                actor=request.user,
                case=case,
                event=v.get("event", ""),
                on=inputs.date(v.get("on"), "on", required=False, zh="办理日期"),
                note=v.get("note", ""),
                data=data,
                files=request.FILES.getlist("files"),
            )
        except ValidationFailed as exc:
            for p in exc.problems:  # a guard's problem stands beside the field that answers it
                p.field = GUARD_FIELDS.get(p.field, p.field)
            raise

    return _on_case(request, pk, run, _("已办理"), "step")


@login_required
@page_on_get("casework:case_detail")
@writes(Cap.CASE_VILLAGE)
def measure_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    def run(v: dict[str, str]) -> object:
        case = selectors.case_get(request.user, pk)
        with inputs.Problems() as p:
            starts_on = p.date(v.get("starts_on"), "starts_on", required=False, future=True)
            ends_on = p.date(v.get("ends_on"), "ends_on", required=False, future=True)
            amount = p.money(v.get("amount") or "0", "amount")
        return services.measure_add(
            actor=request.user,
            case=case,
            category=v.get("category", ""),
            title=v.get("title", ""),
            responsible=v.get("responsible", ""),
            responsible_unit=v.get("responsible_unit", ""),
            starts_on=starts_on or _today(),
            ends_on=ends_on,
            amount=amount,
            status=v.get("status") or "planned",
        )

    return _on_case(request, pk, run, _("已添加帮扶措施"), "measure")


@login_required
@page_on_get("casework:case_detail", to=same("pk"))
@writes(Cap.CASE_VILLAGE)
def measure_status(request: AuthedHttpRequest, pk: int, measure_pk: int) -> HttpResponse:
    case = selectors.case_detail(request.user, pk)
    measure = next((m for m in case._measures if m.pk == measure_pk), None)
    if measure is None:
        return render(request, "404.html", status=404)
    services.measure_set_status(actor=request.user, measure=measure, status=request.POST.get("status", ""))
    return redirect("casework:case_detail", pk=pk)


@login_required
def notice_page(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get(request.user, pk)
    return render(request, "casework/notice.html", {"notice": notice, "township": _township_name(notice)})


@login_required
def notice_file(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get(request.user, pk)
    response = HttpResponse(notice_pdf(notice, _township_name(notice)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notice-{notice.pk}.pdf"'
    return response


@files.file_view
def attachment_file(request: AuthedHttpRequest, pk: int) -> FileResponse:
    """A case-step attachment (民主评议 minutes, consent form) for those who see the case; images and
    PDF open in place, ?download=1 saves them."""
    att = selectors.attachment_get(request.user, pk)
    return files.serve(att.file, filename=att.name, download=request.GET.get("download") == "1")


@files.file_view
def visit_photo(request: AuthedHttpRequest, pk: int) -> FileResponse:
    """The photo of a visit, for those who see the household."""
    visit = selectors.visit_with_photo(request.user, pk)
    name = f"visit-{visit.household_id}-{visit.visited_on:%Y%m%d}"
    return files.serve(visit.photo, filename=name, download=request.GET.get("download") == "1")


def _township_name(notice: Any) -> str:
    parent = notice.case.village.parent
    return parent.name if parent else ""


# --- grid work ---------------------------------------------------------------------------------


@login_required
@replica_ok
def my_households(request: AuthedHttpRequest) -> HttpResponse:
    rows = selectors.my_households(request.user, _today())
    due = [r for r in rows if r.standing and r.standing.remaining]
    return render(request, "casework/my_households.html", {"rows": rows, "due": len(due), "today": _today()})


@login_required
def visits_due(request: AuthedHttpRequest) -> HttpResponse:
    """The 走访 tab: every household still due this period with the reason, then my latest visits."""
    rows = selectors.households_to_look_after(request.user, _today())
    tasks, _ = selectors.visit_tasks(rows, _today(), within_days=None)
    mine = selectors.visits_by(request.user)
    return render(request, "casework/visits_due.html", {"tasks": tasks, "mine": mine, "here": request.path})


@idempotent
@login_required
@writes(Cap.LOG_VISITS)
def visit_form(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Log a visit (and, ticked, report a risk); the answer says what it counted towards and what is still
    due. Queued by the phone offline: Idempotency-Key and `Accept: application/json` give the JSON answer
    of docs/offline.md."""
    user = request.user
    household = selectors.household_for_visit(user, pk)
    due = selectors.household_due(household, _today())
    to = _next_url(request)

    def run(values: dict[str, str]) -> Any:
        return services.visit_log(
            actor=user,
            household=household,
            visited_on=inputs.date(values["visited_on"], "visited_on", required=False, future=True) or _today(),
            mode=values["mode"],
            checks=request.POST.getlist("checks"),
            note=values["note"],
            photo=request.FILES.get("photo"),
            report_risk=values["report_risk"] == "1",
        )

    def then(visit: Any) -> HttpResponse:
        out = selectors.visit_outcome(visit, household, _today())
        return done(request, zh=out.message_zh, en=out.message_en, outcome=out.data, to=to, status=201)

    return form_post(
        request,
        template="casework/visit_form.html",
        context=lambda: {
            "h": household,
            "due": due,
            "rule": _rule(due),
            "checks": codes.VISIT_CHECKS,
            "modes": codes.VISIT_MODES,
            "today": _today(),
            "next": to,
            "checked": request.POST.getlist("checks"),
            "visits": selectors.visits_of(user, pk, limit=5),
            "placed": ("visited_on", "mode", "checks", "note", "photo"),
        },
        run=run,
        done=None,
        then=then,
        fields=["visited_on", "mode", "note", "report_risk"],
        keep_as="posted",
    )


def _rule(due: selectors.HouseholdDue) -> str:
    if due.obligation is None or due.standing is None:
        return ""
    zh, en = vdom.due_reason(due.obligation, due.standing, _today())
    return in_language(zh, en)


def _next_url(request: AuthedHttpRequest) -> str:
    """Where to go after the form: `next` when it is a path of ours, else my households."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts=None) and target.startswith("/"):
        return target
    return reverse("casework:my_households")


COMPLIANCE_LEVELS = {
    "village": gettext_lazy("按村"),
    "township": gettext_lazy("按乡镇"),
    "worker": gettext_lazy("按网格员"),
}
COMPLIANCE_SORTS: dict[str, Callable[[selectors.ComplianceRow], Any]] = {
    "name": lambda r: r.label,
    "households": lambda r: r.households,
    "met": lambda r: r.met,
    "rate": lambda r: r.rate,
}


@login_required
@replica_ok
def compliance(request: AuthedHttpRequest) -> HttpResponse:
    """Visit compliance this period by village, township or grid worker, for the area of the link
    (?area=, ?village=, ?grid=): search by name, sort by any column, page numbers."""
    place = place_in_query(request.user, request.GET)
    listing = Listing(
        request,
        sorts={k: (k,) for k in COMPLIANCE_SORTS},
        default_sort="rate",
        filters=[Filter("level", _("汇总层级"), [(k, str(v)) for k, v in COMPLIANCE_LEVELS.items()], everything=False)],
        search=_("名称"),
    )
    if place:
        listing.chip(place.name, place.param)
    level = listing.value("level") or "village"
    rows = selectors.compliance_report(request.user, _today(), place)[level]
    rows = [r for r in rows if listing.q in r.label] if listing.q else rows
    key = listing.sort.lstrip("-")
    rows = sorted(rows, key=COMPLIANCE_SORTS[key], reverse=listing.sort.startswith("-"))
    listing.page_obj = Paginator(rows, listing.per_page).get_page(params.page_number(request.GET))
    return render(
        request,
        "casework/compliance.html",
        {
            "page": listing.page_obj,
            "listing": listing,
            "level": level,
            "unassigned": selectors.UNASSIGNED,
            "today": _today(),
        },
    )


# --- public self-report ------------------------------------------------------------------------

SELF_REPORT_FIELDS = ["name", "id_number", "phone", "village", "hardship", "description"]


@writes()
def self_report(request: HttpRequest) -> HttpResponse:
    villages = selectors.villages_for_self_report(request.GET.get("t", ""))
    chosen = request.GET.get("v", "")  # the village poster's QR code chooses the village
    posted = {"village": chosen} if any(v.code == chosen for v in villages) else {}
    ctx: dict[str, Any] = {
        "villages": villages,
        "hardships": [(t, _(t)) for t in codes.HARDSHIP_TYPES],
        "errors": {},
        "placed": SELF_REPORT_FIELDS,
    }

    def then(receipt: Any) -> HttpResponse:
        # Only the deadline a new lead gets and the random reference go back: nothing about the
        # household, a case or earlier reports.
        request.session["self_report_due"] = receipt.due_on.isoformat() if receipt.due_on else ""
        request.session["self_report_ref"] = receipt.reference
        return redirect("casework:self_report_done")

    response = form_post(
        request,
        template="casework/self_report.html",
        context=ctx,
        initial=posted,
        fields=SELF_REPORT_FIELDS,
        run=lambda v: services.self_report_submit(address=client_address(request), fields=v),
        done=None,
        then=then,
        keep_as="posted",
    )
    # The ID number typed is shown again when another field needs fixing (the reporter's own answer,
    # never stored by a cache).
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def village_poster(request: AuthedHttpRequest, code: str) -> HttpResponse:
    """A4 poster for the village notice board: a QR code opening the self-report form with the village
    chosen, the 12317 hotline and the grid workers' names and phones. For whoever sees the village."""
    poster = selectors.village_poster(request.user, code)
    query = urlencode({"t": code[:9] + "000", "v": code})
    url = request.build_absolute_uri(f"{reverse('casework:self_report')}?{query}")
    qr = segno.make(url, error="m").svg_inline(scale=8, border=2)
    return render(request, "casework/poster.html", {"p": poster, "qr": mark_safe(qr), "url": url})


def self_report_done(request: HttpRequest) -> HttpResponse:
    due = request.session.pop("self_report_due", "")
    reference = request.session.pop("self_report_ref", "")
    return render(request, "casework/self_report_done.html", {"due": _date_or_none(due), "reference": reference})


@writes()
def self_report_status(request: HttpRequest) -> HttpResponse:
    """The reporter looks up their report with its reference and the phone they gave (posted, so neither
    sits in an address or a log); the answer is shown at this same address."""
    ctx: dict[str, Any] = {"asked": False, "progress": None, "reference": request.GET.get("ref", "")}
    if request.method == "POST":
        ctx["reference"] = request.POST.get("reference", "").strip()[:20]
        ctx["asked"] = True
        ctx["progress"] = selectors.report_progress(ctx["reference"], request.POST.get("phone", "")[:20])
    response = render(request, "casework/self_report_status.html", ctx)
    response["Cache-Control"] = "private, no-store"
    return response
