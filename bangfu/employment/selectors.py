"""Scoped reads of employment. Every function that returns records takes the acting user first;
the few unscoped look-ups (parameters, facts for a guard) are named as such and never reach a page raw.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from bangfu.core.domain.money import ZERO, q
from bangfu.core.errors import ApplicationError, NotFound
from bangfu.employment import access
from bangfu.employment.domain import criteria, kpi
from bangfu.employment.domain.months import add_months, month_start, months_between
from bangfu.employment.models import (
    AssetIncome,
    CollectiveAsset,
    Contract,
    DividendRule,
    DividendShare,
    EmploymentPolicy,
    Payslip,
    TrainingCourse,
    TrainingRecord,
    WageRule,
    WelfarePost,
    Workshop,
    WorkshopRevenue,
)
from bangfu.registry import selectors as registry
from bangfu.registry.domain.codes import EMPLOYED

if TYPE_CHECKING:
    from bangfu.accounts.models import User


# ---- parameters (unscoped: configuration is not personal data) ----


def _covering_codes(village_code: str) -> list[str]:
    """Codes of the area and its ancestors, most specific first (12-digit codes, zero padded)."""
    return [village_code[:n].ljust(12, "0") for n in (12, 9, 6, 4, 2)]


def _in_force(on: dt.date) -> Q:
    return Q(effective_from__lte=on) & (Q(effective_to__isnull=True) | Q(effective_to__gte=on))


def policies_in_force(village_codes: list[str], on: dt.date) -> dict[str, EmploymentPolicy]:
    """The row in force for each village code, most specific area first, in one query."""
    covering = {code: _covering_codes(code) for code in village_codes}
    rows: dict[str, EmploymentPolicy] = {}
    wanted = {c for codes in covering.values() for c in codes}
    for p in EmploymentPolicy.objects.filter(_in_force(on), area_id__in=wanted).order_by("-effective_from"):
        rows.setdefault(p.area_id, p)
    out: dict[str, EmploymentPolicy] = {}
    for village, codes in covering.items():
        found = next((rows[c] for c in codes if c in rows), None)
        if found is None:
            raise ApplicationError(
                zh=f"{on}时本地区尚未配置就业帮扶参数（认定标准、公益岗位、劳动年龄），请县级管理员先在参数中配置",
                en=f"No employment parameters in force on {on} for this area; "
                "a county administrator must configure them",
                code="no_policy",
                status=409,
            )
        out[village] = found
    return out


def policy_in_force(village_code: str, on: dt.date) -> EmploymentPolicy:
    return policies_in_force([village_code], on)[village_code]


def thresholds(p: EmploymentPolicy) -> criteria.Thresholds:
    return criteria.Thresholds(
        p.min_poor_workers,
        p.min_insurance_per_worker_month,
        p.upgrade_min_months_running,
        p.upgrade_min_long_contract_workers,
        p.upgrade_min_contract_months,
        p.upgrade_min_average_annual_pay,
        p.upgrade_min_annual_revenue,
    )


def wage_rule_in_force(workshop_id: int, code: str, on: dt.date) -> WageRule | None:
    return (
        WageRule.objects.filter(_in_force(on), workshop_id=workshop_id, code=code).order_by("-effective_from").first()
    )


def dividend_rule_in_force(asset_id: int, on: dt.date) -> DividendRule | None:
    return DividendRule.objects.filter(_in_force(on), asset_id=asset_id).order_by("-effective_from").first()


# ---- workshops ----


def workshops_visible(user: User, *, edit: bool = False) -> QuerySet[Workshop]:
    return Workshop.objects.filter(access.workshop_q(user, edit=edit)).select_related("operator", "village")


def workshop_get(user: User, pk: int, *, edit: bool = False) -> Workshop:
    w = workshops_visible(user, edit=edit).select_related("land_village", "site").filter(pk=pk).first()
    if w is None:
        raise NotFound()
    return w


def open_on(on: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}start__lte": on}) & (Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gt": on}))


_POOR = Q(household__poverty_exited=True) | ~Q(household__monitoring_type="")


def workshop_facts(workshop: Workshop, on: dt.date, long_contract_months: int) -> criteria.WorkshopFacts:
    """Facts for the recognition and upgrade guards, in a fixed number of queries."""
    poor = Contract.objects.filter(open_on(on), _POOR, workshop=workshop)
    long_ids = list(poor.filter(term_months__gte=long_contract_months).values_list("pk", flat=True))
    since = add_months(month_start(on), -12)
    paid = (
        Payslip.objects.filter(contract_id__in=long_ids, month__gte=since, month__lt=month_start(on)).aggregate(
            total=Sum("gross")
        )["total"]
        or ZERO
    )
    return criteria.WorkshopFacts(
        poor_workers=poor.values("member_id").distinct().count(),
        insurance_per_worker_month=workshop.insurance_per_worker_month,
        months_running=max(months_between(workshop.started_on, on), 0),
        long_contract_poor_workers=len(long_ids),
        average_annual_pay=q(paid / len(long_ids)) if long_ids else ZERO,
        annual_revenue=last_full_year_revenue(workshop.pk, on),
        revenue_year=on.year - 1,
    )


def last_full_year_revenue(workshop_id: int, on: dt.date) -> Decimal:
    """Revenue of the calendar year before `on`: the upgrade rule asks for a whole year's figure."""
    row = WorkshopRevenue.objects.filter(workshop_id=workshop_id, year=on.year - 1).first()
    return row.amount if row else ZERO


@dataclass(frozen=True)
class WorkshopChecks:
    recognition: list[criteria.Check]
    upgrade: list[criteria.Check]


def workshop_checks(workshop: Workshop, on: dt.date) -> WorkshopChecks:
    t = thresholds(policy_in_force(workshop.village_id, on))
    facts = workshop_facts(workshop, on, t.upgrade_min_contract_months)
    return WorkshopChecks(criteria.recognition_checks(facts, t), criteria.upgrade_checks(facts, t))


# ---- contracts and payroll ----


def contracts_visible(user: User, *, edit: bool = False) -> QuerySet[Contract]:
    return Contract.objects.filter(access.workshop_q(user, "workshop__", edit=edit)).select_related(
        "member", "household", "workshop"
    )


def contract_get(user: User, pk: int, *, edit: bool = False) -> Contract:
    c = contracts_visible(user, edit=edit).filter(pk=pk).first()
    if c is None:
        raise NotFound()
    return c


def workers_of(user: User, workshop_id: int) -> list[Contract]:
    w = workshop_get(user, workshop_id)
    return list(contracts_visible(user).filter(workshop=w).order_by("end", "member__name"))


@dataclass(frozen=True)
class PayrollLine:
    contract: Contract
    payslip: Payslip | None


def payroll_sheet(user: User, workshop_id: int, month: dt.date) -> list[PayrollLine]:
    """Contracts open at any time in the month, each with its payslip if entered (two queries)."""
    w = workshop_get(user, workshop_id)
    first, nxt = month_start(month), add_months(month_start(month), 1)
    contracts = list(
        contracts_visible(user)
        .filter(Q(end__isnull=True) | Q(end__gt=first), workshop=w, start__lt=nxt)
        .order_by("member__name")
    )
    slips = {p.contract_id: p for p in Payslip.objects.filter(contract__in=contracts, month=first)}
    return [PayrollLine(c, slips.get(c.pk)) for c in contracts]


def payslips_of(user: User, contract_id: int) -> QuerySet[Payslip]:
    c = contract_get(user, contract_id)
    return Payslip.objects.filter(contract=c).select_related("wage_rule").order_by("-month")


def payslip_get(user: User, pk: int) -> Payslip:
    p = (
        Payslip.objects.filter(access.workshop_q(user, "contract__workshop__"), pk=pk)
        .select_related("contract__member", "contract__household", "contract__workshop__operator", "wage_rule")
        .first()
    )
    if p is None:
        raise NotFound()
    return p


def contract_year_total(contract_id: int, year: int) -> Decimal:
    return Payslip.objects.filter(contract_id=contract_id, month__year=year).aggregate(t=Sum("gross"))["t"] or ZERO


# ---- training ----


def _course_q(user: User, prefix: str = "", *, edit: bool = False) -> Q:
    return access.officer_q(user, f"{prefix}village_id", edit=edit) | access.operator_q(
        user, f"{prefix}workshop__village_id", f"{prefix}workshop__operator__credit_code"
    )


def courses_visible(user: User, *, edit: bool = False) -> QuerySet[TrainingCourse]:
    return TrainingCourse.objects.filter(_course_q(user, edit=edit)).select_related("workshop")


def course_get(user: User, pk: int, *, edit: bool = False) -> TrainingCourse:
    c = courses_visible(user, edit=edit).filter(pk=pk).first()
    if c is None:
        raise NotFound()
    return c


def trainees_of(user: User, course_id: int) -> list[TrainingRecord]:
    c = course_get(user, course_id)
    return list(c.records.select_related("member", "household").order_by("member__name"))


def training_history(user: User, member_ids: list[int]) -> dict[int, list[TrainingRecord]]:
    rows = (
        TrainingRecord.objects.filter(_course_q(user, "course__"), member_id__in=member_ids)
        .select_related("course")
        .order_by("course__start")
    )
    out: dict[int, list[TrainingRecord]] = {m: [] for m in member_ids}
    for r in rows:
        out[r.member_id].append(r)
    return out


# ---- welfare posts and collective assets (officers only) ----


def posts_visible(user: User, *, edit: bool = False) -> QuerySet[WelfarePost]:
    return WelfarePost.objects.filter(access.officer_q(user, "village_id", edit=edit)).select_related(
        "member", "household", "village"
    )


def post_get(user: User, pk: int, *, edit: bool = False) -> WelfarePost:
    p = posts_visible(user, edit=edit).filter(pk=pk).first()
    if p is None:
        raise NotFound()
    return p


def assets_visible(user: User, *, edit: bool = False) -> QuerySet[CollectiveAsset]:
    return CollectiveAsset.objects.filter(access.officer_q(user, "village_id", edit=edit)).select_related(
        "village", "workshop"
    )


def asset_get(user: User, pk: int, *, edit: bool = False) -> CollectiveAsset:
    a = assets_visible(user, edit=edit).filter(pk=pk).first()
    if a is None:
        raise NotFound()
    return a


def asset_incomes(user: User, asset_id: int) -> list[AssetIncome]:
    a = asset_get(user, asset_id)
    shares = Prefetch("shares", queryset=DividendShare.objects.select_related("household"))
    return list(AssetIncome.objects.filter(asset=a).select_related("rule").prefetch_related(shares))


# ---- the relocation KPI ----


@dataclass(frozen=True)
class KpiRow:
    household: Any  # registry Household with prefetched active members
    verdict: kpi.Verdict


@dataclass(frozen=True)
class SiteKpi:
    site: Any
    on: dt.date
    summary: kpi.Summary
    rows: list[KpiRow]

    @property
    def action_rows(self) -> list[KpiRow]:
        return [r for r in self.rows if r.verdict.has_labour and not r.verdict.met]


def employed_member_ids(member_ids: list[int], on: dt.date) -> set[int]:
    """Members with an open contract or a welfare post on the date (two queries)."""
    hired = set(Contract.objects.filter(open_on(on), member_id__in=member_ids).values_list("member_id", flat=True))
    posted = set(
        WelfarePost.objects.filter(member_id__in=member_ids, start__lte=on, end__gte=on).values_list(
            "member_id", flat=True
        )
    )
    return hired | posted


def household_facts(households: list[Any], on: dt.date) -> list[kpi.HouseholdFacts]:
    members = [m for h in households for m in h.members.all()]
    employed = employed_member_ids([m.pk for m in members], on)
    return [
        kpi.HouseholdFacts(
            h.pk,
            h.no_labour,
            tuple(
                kpi.MemberFacts(
                    m.pk,
                    m.birth_date,
                    m.labour,
                    m.in_school != "非在校生",
                    m.pk in employed or m.employment in EMPLOYED,
                )
                for m in h.members.all()
            ),
        )
        for h in households
    ]


def site_kpi(user: User, site_id: int, on: dt.date) -> SiteKpi:
    """The indicator for one site; households are read through registry's scoped selector."""
    return _site_kpis(user, [registry.site_get(user, site_id)], on)[0]


def sites_overview(user: User, on: dt.date) -> list[SiteKpi]:
    return _site_kpis(user, list(registry.sites_visible(user).order_by("name")), on)


def _site_kpis(user: User, sites: list[Any], on: dt.date) -> list[SiteKpi]:
    """The indicator of several sites in a fixed number of queries, however many sites or households."""
    households = list(
        registry.households_visible(user)
        .filter(relocation_site_id__in=[s.pk for s in sites], relocated=True)
        .select_related("relocated_from")
        .prefetch_related(registry.prefetch_members())
        .order_by("number")
    )
    policies = policies_in_force(sorted({s.area_id for s in sites}), on)
    facts = dict(zip([h.pk for h in households], household_facts(households, on), strict=True))
    out = []
    for site in sites:
        p = policies[site.area_id]
        age = kpi.WorkingAge(p.working_age_min, p.working_age_max)
        rows = [KpiRow(h, kpi.evaluate(facts[h.pk], on, age)) for h in households if h.relocation_site_id == site.pk]
        out.append(SiteKpi(site, on, kpi.summarise([r.verdict for r in rows]), rows))
    return out


def workshops_for_site(user: User, site_id: int) -> list[Workshop]:
    return list(workshops_visible(user).filter(site_id=site_id).order_by("name"))


def with_trainee_counts(courses: QuerySet[TrainingCourse]) -> QuerySet[TrainingCourse]:
    return courses.annotate(trainees=Count("records"))


# ---- one household's employment (the analytics timeline) ----


@dataclass(frozen=True)
class HouseholdEmployment:
    contracts: list[Contract]
    payslips: list[Payslip]
    training: list[TrainingRecord]
    posts: list[WelfarePost]
    dividends: list[DividendShare]


def household_employment(user: User, household_id: int) -> HouseholdEmployment:
    """Contracts, payslips, training, welfare posts and dividend shares of one household (five
    queries); 404 unless the user may see the household in the registry."""
    h = registry.household_get(user, household_id)
    return HouseholdEmployment(
        contracts=list(Contract.objects.filter(household=h).select_related("workshop", "member").order_by("start")),
        payslips=list(Payslip.objects.filter(contract__household=h).select_related("contract__member")),
        training=list(TrainingRecord.objects.filter(household=h).select_related("course", "member")),
        posts=list(WelfarePost.objects.filter(household=h).select_related("member")),
        dividends=list(DividendShare.objects.filter(household=h).select_related("income__asset")),
    )


# ---- batch counts (for batch indicator jobs, never returned to a user) ----


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a common year: the 28th keeps age_on's birthday rule
        return day.replace(year=day.year - years, day=28)


def village_counts(as_of: dt.date, *, prefix: str = "") -> list[tuple[str, str, Decimal]]:
    """(village code, key, value): "workshops" and "workers" (open contracts) by the workshop's
    village, "payroll" (gross pay this year to date) likewise, and the relocation indicator by the
    household's village: "relocation.with_labour" and "relocation.met" (kpi.evaluate's rule, with
    each village's working-age bounds in force). A fixed number of queries: five, plus two per
    distinct working-age setting. For batch indicator jobs, never returned to a user.
    """
    inside = {"village_id__gte": prefix, "village_id__lte": prefix + "9" * (12 - len(prefix))} if prefix else {}
    out: list[tuple[str, str, Decimal]] = []
    for r in Workshop.objects.filter(**inside).values("village_id").annotate(n=Count("id")).order_by():
        out.append((str(r["village_id"]), "workshops", Decimal(r["n"])))
    at_shop = {f"workshop__{k}": v for k, v in inside.items()}
    hired = Contract.objects.filter(open_on(as_of), **at_shop).values("workshop__village_id").annotate(n=Count("id"))
    out += [(str(h["workshop__village_id"]), "workers", Decimal(h["n"])) for h in hired.order_by()]
    paid = Payslip.objects.filter(
        month__gte=dt.date(as_of.year, 1, 1), month__lte=as_of, **{f"contract__{k}": v for k, v in at_shop.items()}
    )
    for p in paid.values("contract__workshop__village_id").annotate(s=Sum("gross")).order_by():
        out.append((str(p["contract__workshop__village_id"]), "payroll", q(p["s"])))
    return out + _relocation_counts(as_of, prefix)


def _policies_where_configured(villages: list[str], on: dt.date) -> dict[str, EmploymentPolicy]:
    """Like policies_in_force, but a batch skips villages without parameters instead of failing:
    their indicator cannot be computed and is left out (the site page explains why)."""
    covering = {v: _covering_codes(v) for v in villages}
    wanted = {c for codes in covering.values() for c in codes}
    rows: dict[str, EmploymentPolicy] = {}
    for p in EmploymentPolicy.objects.filter(_in_force(on), area_id__in=wanted).order_by("-effective_from"):
        rows.setdefault(str(p.area_id), p)
    found = {v: next((rows[c] for c in codes if c in rows), None) for v, codes in covering.items()}
    return {v: p for v, p in found.items() if p is not None}


def _relocation_counts(as_of: dt.date, prefix: str) -> list[tuple[str, str, Decimal]]:
    relocated = registry.batch_households(prefix).filter(relocated=True)
    villages = sorted({str(v) for v in relocated.values_list("village_id", flat=True).distinct()})
    if not villages:
        return []
    by_bounds: dict[tuple[int, int], list[str]] = {}
    for village, p in _policies_where_configured(villages, as_of).items():
        by_bounds.setdefault((p.working_age_min, p.working_age_max), []).append(village)
    hired = Contract.objects.filter(open_on(as_of)).values("member_id")
    posted = WelfarePost.objects.filter(start__lte=as_of, end__gte=as_of).values("member_id")
    out: list[tuple[str, str, Decimal]] = []
    for (youngest, oldest), codes in by_bounds.items():
        with_labour = (
            relocated.filter(village__code__in=codes, no_labour=False)
            .filter(
                members__active=True,
                members__in_school="非在校生",
                members__labour__in=kpi.LABOUR_CODES,
                members__birth_date__lte=_years_before(as_of, youngest),
                members__birth_date__gt=_years_before(as_of, oldest + 1),
            )
            .distinct()
        )
        employed = Q(members__employment__in=EMPLOYED) | Q(members__in=hired) | Q(members__in=posted)
        met = relocated.filter(pk__in=with_labour.values("pk")).filter(employed, members__active=True)
        for key, qs in (
            ("relocation.with_labour", relocated.filter(pk__in=with_labour.values("pk"))),
            ("relocation.met", met),
        ):
            for r in qs.values("village_id").annotate(n=Count("id", distinct=True)).order_by():
                out.append((str(r["village_id"]), key, Decimal(r["n"])))
    return out
