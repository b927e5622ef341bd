"""Workshop pages: site overview with the relocation indicator, workshop page (workers, training,
payroll entry; for officers also funding, revenue, wage rules and status), the workshop form, payslips.
Officers and operator users share the workshop page; what each sees comes from the scoped selectors,
what each may do from the services."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.areas import selectors as areas
from bangfu.areas.domain.codes import Level
from bangfu.core import inputs
from bangfu.core.errors import NotFound
from bangfu.core.listing import Filter, Listing
from bangfu.core.replicas import replica_ok
from bangfu.core.views import form_post, int_or_none, page_on_get
from bangfu.employment import access, selectors, services
from bangfu.employment import inputs as employment_inputs
from bangfu.employment.domain.transitions import EVENT_LABELS, STATE_LABELS, TABLE, State
from bangfu.employment.domain.wages import WAGE_KIND_LABELS, WageKind
from bangfu.employment.models import FundingSource, Workshop
from bangfu.employment.views._forms import officers_only, translated, worker_picked
from bangfu.registry import selectors as registry


@login_required
@replica_ok
def index(request: AuthedHttpRequest) -> HttpResponse:
    """Sites and workshops of the user's areas, or of the area the link names (?area=, or the older
    ?village= of a dashboard tile), shown as a removable filter; the workshops searchable and sortable."""
    user: Any = request.user
    on = timezone.localdate()
    operator = access.is_operator_user(user)
    place = areas.place_in_query(user, request.GET)
    listing = Listing(
        request,
        sorts={"name": ("name",), "status": ("status",), "village": ("village_id", "name")},
        default_sort="name",
        filters=[Filter("status", _("状态"), [(s.value, _(STATE_LABELS[s])) for s in State])],
        search=_("车间或运营主体名称"),
    )
    if place:
        listing.chip(place.name, place.param)
    prefix = place.prefix if place else ""
    rows = selectors.workshops_listed(user, prefix=prefix, q=listing.q, status=listing.value("status"))
    return render(
        request,
        "employment/index.html",
        {
            "sites": [] if operator else selectors.sites_overview(user, on, prefix=prefix),
            "listing": listing,
            "workshops": listing.page(rows),
            "on": on,
            "operator_user": operator,
            "may_configure": access.may_configure(user),
        },
    )


@login_required
def site_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    kpi = selectors.site_kpi(user, pk, timezone.localdate())
    return render(
        request, "employment/site_detail.html", {"k": kpi, "workshops": selectors.workshops_for_site(user, pk)}
    )


def _workshop_context(request: AuthedHttpRequest, pk: int) -> dict[str, Any]:
    user: Any = request.user
    w = selectors.workshop_get(user, pk)
    workers = selectors.workers_of(user, pk)
    operator = access.is_operator_user(user)
    latest = selectors.latest_payroll_month(user, pk)
    return {
        "w": w,
        "workers": workers,
        "open_workers": [c for c in workers if c.end is None],
        "rule_names": selectors.wage_rule_names(w),
        "latest_payroll": latest,
        "latest_sheet": selectors.payroll_sheet(user, pk, latest) if latest else [],
        "operator_user": operator,
        "history": selectors.training_history(user, [c.member_id for c in workers]),
        "courses": selectors.courses_visible(user).filter(workshop=w).prefetch_related("records__member"),
        "checks": None if operator else selectors.workshop_checks(w, timezone.localdate()),
        "funding": list(w.funding.all()),
        "funding_kinds": translated(FundingSource.KINDS),
        "revenues": list(w.revenues.all()),
        "wage_rules": list(w.wage_rules.all()),
        "wage_kinds": [(k.value, _(WAGE_KIND_LABELS[k])) for k in WageKind],
        "last_year": timezone.localdate().year - 1,
        "events": list(w.events.select_related("actor")),
        "status_label": _(STATE_LABELS[State(w.status)]),
        "next_events": [(s.event.value, _(EVENT_LABELS[s.event])) for s in TABLE.from_state(State(w.status))],
    }


@login_required
def workshop_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return render(request, "employment/workshop_detail.html", _workshop_context(request, pk))


def _back(pk: int) -> HttpResponse:
    return redirect("employment:workshop_detail", pk=pk)


def _on_page[T](
    request: AuthedHttpRequest,
    pk: int,
    *,
    form: str,
    keep: str,
    run: Callable[[dict[str, str]], T],
    done: str | Callable[[T], str],
    then: Callable[[T], HttpResponse] | None = None,
) -> HttpResponse:
    """One of the workshop page's forms: on a problem the page is shown again with the problems next to
    the fields of the form that was sent (`fe[form]`: several forms share field names, year, name …)."""
    return form_post(
        request,
        template="employment/workshop_detail.html",
        context=lambda: _workshop_context(request, pk),
        run=run,
        done=done,
        then=then or (lambda _result: _back(pk)),
        keep_as=keep,
        form=form,
    )


@login_required
@page_on_get("employment:workshop_detail")
@writes(Cap.EMPLOYMENT_EDIT)
def contract_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    fields = ["id_number", "job", "start", "term_months", "probation_months", "probation_pay", "wage_code"]
    return _on_page(
        request,
        pk,
        form="hire",
        keep="hire",
        run=lambda v: services.contract_create(
            actor=user,
            workshop=selectors.workshop_get(user, pk),
            contract=employment_inputs.contract_input({f: v.get(f, "") for f in fields}),
        ),
        done=lambda c: _("已签订劳动合同：%(name)s") % {"name": c.member.name},
    )


@login_required
@page_on_get("employment:workshop_detail")
@writes(Cap.EMPLOYMENT_EDIT)
def transition(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    return _on_page(
        request,
        pk,
        form="transition",
        keep="sent",
        run=lambda v: services.workshop_transition(
            actor=user, workshop=selectors.workshop_get(user, pk), event=v.get("event", ""), reason=v.get("reason", "")
        ),
        done=_("车间状态已更新"),
    )


def _yearly_amount[T](
    request: AuthedHttpRequest,
    pk: int,
    *,
    form: str,
    keep: str,
    latest: int,
    positive: bool,
    save: Callable[[Workshop, int, Decimal, dict[str, str]], T],
    done: str | Callable[[T], str],
) -> HttpResponse:
    """The workshop page's forms of an amount for a year (funding, revenue): year and amount parsed
    here, the rest of the form handed to `save` with the workshop."""
    user: Any = request.user

    def run(v: dict[str, str]) -> T:
        w = selectors.workshop_get(user, pk)
        with inputs.Problems() as p:
            year = p.whole(v.get("year"), "year", low=2000, high=latest, zh="年度", en="year")
            amount = p.money(v.get("amount"), "amount", positive=positive)
        assert year is not None and amount is not None  # Problems raised otherwise
        return save(w, year, amount, v)

    return _on_page(request, pk, form=form, keep=keep, run=run, done=done)


@login_required
@page_on_get("employment:workshop_detail")
@writes(Cap.EMPLOYMENT_EDIT)
def funding_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """A funding source of the workshop (East–West collaboration funds, county funds …)."""
    user: Any = request.user
    return _yearly_amount(
        request,
        pk,
        form="funding",
        keep="fund",
        latest=2100,
        positive=True,
        save=lambda w, year, amount, v: services.funding_add(
            actor=user,
            workshop=w,
            kind=v.get("kind", ""),
            amount=amount,
            year=year,
            partner_province=v.get("partner_province", ""),
            note=v.get("note", ""),
        ),
        done=_("资金来源已登记"),
    )


@login_required
@page_on_get("employment:workshop_detail")
@writes(Cap.EMPLOYMENT_EDIT)
def trainee_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Enrol one of the workshop's workers in one of its courses (picked in a search box, not a list of 121)."""
    user: Any = request.user

    def run(v: dict[str, str]) -> Any:
        course = selectors.course_get(user, int_or_none(v.get("course")) or 0)
        if course.workshop_id != pk:
            raise NotFound()
        member = worker_picked(user, pk, v.get("worker", ""))
        return services.trainee_add(
            actor=user, course=course, member_id=member, certificate_no=v.get("certificate_no", "")
        )

    return _on_page(request, pk, form="trainee", keep="sent", run=run, done=_("已加入培训名单"))


@login_required
def payslip_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    p = selectors.payslip_get(request.user, pk)
    return render(request, "employment/payslip.html", {"p": p, "corrections": selectors.corrections_of(p)})


@login_required
@page_on_get("employment:workshop_detail")
@writes(Cap.EMPLOYMENT_EDIT)
def revenue_set(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """A full year's revenue, which the upgrade check reads (so not the year still running)."""
    return _yearly_amount(
        request,
        pk,
        form="revenue",
        keep="rev",
        latest=timezone.localdate().year - 1,
        positive=False,
        save=lambda w, year, amount, v: services.workshop_revenue_set(
            actor=request.user, workshop=w, year=year, amount=amount, note=v.get("note", "")
        ),
        done=lambda r: _("%(year)s年营业收入已登记") % {"year": r.year},
    )


@login_required
@page_on_get("employment:workshop_detail")
@writes(Cap.EMPLOYMENT_EDIT)
def wage_rule_set(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user

    def run(v: dict[str, str]) -> Any:
        w = selectors.workshop_get(user, pk)
        return services.wage_rule_set(actor=user, workshop=w, rule=employment_inputs.wage_rule_input(v))

    return _on_page(
        request, pk, form="wage", keep="rule", run=run, done=lambda r: _("工资规则“%(name)s”已保存") % {"name": r.name}
    )


_WORKSHOP_FIELDS = [
    "name",
    "kind",
    "village",
    "land_village",
    "site",
    "site_distance",
    "started_on",
    "insurance_per_worker_month",
    "operator_name",
    "operator_credit_code",
    "operator_contact",
    "operator_phone",
]


def _form_choices(user: Any) -> dict[str, Any]:
    villages = areas.areas_visible(user, level=Level.VILLAGE, cap=Cap.EMPLOYMENT_EDIT)
    return {
        "villages": [(v.code, v.name) for v in villages],
        "sites": [(s.pk, s.name) for s in registry.sites_visible(user).order_by("name")],
        "kinds": translated(Workshop.KINDS),
    }


@login_required
@writes(Cap.EMPLOYMENT_EDIT)
def workshop_new(request: AuthedHttpRequest) -> HttpResponse:
    """Register a workshop with its operator (found by credit code or created)."""
    user: Any = request.user
    officers_only(user)
    return form_post(
        request,
        template="employment/workshop_form.html",
        context=lambda: {"creating": True} | _form_choices(user),
        initial={"kind": "factory", "insurance_per_worker_month": "15"},
        fields=_WORKSHOP_FIELDS,
        run=lambda v: services.workshop_create(actor=user, workshop=employment_inputs.workshop_input(v)),
        done=lambda w: _("已登记车间：%(name)s") % {"name": w.name},
        then=lambda w: redirect("employment:workshop_detail", pk=w.pk),
    )


@login_required
@writes(Cap.EMPLOYMENT_EDIT)
def workshop_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The workshop's own facts; its village and operator stay, as they decide who may see it."""
    user: Any = request.user
    officers_only(user)
    w = selectors.workshop_get(user, pk, edit=True)
    values = {f: getattr(w, f) for f in ("name", "kind", "site_distance", "insurance_per_worker_month")}
    values |= {"land_village": w.land_village_id, "site": w.site_id, "started_on": w.started_on.isoformat()}
    return form_post(
        request,
        template="employment/workshop_form.html",
        context=lambda: {"w": w} | _form_choices(user),
        initial=values,
        fields=[*services.WORKSHOP_EDITABLE, "reason"],
        run=lambda v: services.workshop_update(
            actor=user, workshop=w, facts=employment_inputs.workshop_changes(v, w)[0], reason=v["reason"]
        ),
        done=_("车间信息已更新"),
        then=lambda _: redirect("employment:workshop_detail", pk=w.pk),
    )
