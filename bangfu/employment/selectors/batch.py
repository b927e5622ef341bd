"""Counts per village for the batch indicator jobs; never returned to a user."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, Sum

from bangfu.areas.selectors import Where, where_q
from bangfu.core.domain.money import q
from bangfu.employment.domain import kpi
from bangfu.employment.models import Contract, EmploymentPolicy, Payslip, WelfarePost, Workshop
from bangfu.employment.selectors._common import covering_codes, in_force, open_on
from bangfu.registry import selectors as registry
from bangfu.registry.domain.codes import EMPLOYED


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a common year: the 28th keeps age_on's birthday rule
        return day.replace(year=day.year - years, day=28)


def village_counts(as_of: dt.date, *, prefix: Where = "") -> list[tuple[str, str, Decimal]]:
    """(village code, key, value): "workshops" and "workers" (open contracts) by the workshop's
    village, "payroll" (gross pay this year to date) likewise, and the relocation indicator by the
    household's village: "relocation.with_labour" and "relocation.met" (kpi.evaluate's rule, with
    each village's working-age bounds in force). A fixed number of queries: five, plus two per
    distinct working-age setting. For batch indicator jobs, never returned to a user.
    """

    def inside(village: str) -> Q:
        return where_q(village, prefix)

    out: list[tuple[str, str, Decimal]] = []
    for r in Workshop.objects.filter(inside("village_id")).values("village_id").annotate(n=Count("id")).order_by():
        out.append((str(r["village_id"]), "workshops", Decimal(r["n"])))
    at_shop = inside("workshop__village_id")
    hired = Contract.objects.filter(open_on(as_of), at_shop).values("workshop__village_id").annotate(n=Count("id"))
    out += [(str(h["workshop__village_id"]), "workers", Decimal(h["n"])) for h in hired.order_by()]
    paid = Payslip.objects.filter(
        inside("contract__workshop__village_id"), month__gte=dt.date(as_of.year, 1, 1), month__lte=as_of
    )
    for p in paid.values("contract__workshop__village_id").annotate(s=Sum("gross")).order_by():
        out.append((str(p["contract__workshop__village_id"]), "payroll", q(p["s"])))
    return out + _relocation_counts(as_of, prefix)


def _policies_where_configured(villages: list[str], on: dt.date) -> dict[str, EmploymentPolicy]:
    """Like policies_in_force, but a batch skips villages without parameters instead of failing:
    their indicator cannot be computed and is left out (the site page explains why)."""
    covering = {v: covering_codes(v) for v in villages}
    wanted = {c for codes in covering.values() for c in codes}
    rows: dict[str, EmploymentPolicy] = {}
    for p in EmploymentPolicy.objects.filter(in_force(on), area_id__in=wanted).order_by("-effective_from"):
        rows.setdefault(str(p.area_id), p)
    found = {v: next((rows[c] for c in codes if c in rows), None) for v, codes in covering.items()}
    return {v: p for v, p in found.items() if p is not None}


def _relocation_counts(as_of: dt.date, prefix: Where) -> list[tuple[str, str, Decimal]]:
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


def villages_dated(after: dt.date, until: dt.date, prefix: str = "") -> set[str]:
    """Areas whose figures may move between two days without a write: a contract starting or ending, a
    payslip's month, a welfare post starting or ending, a policy coming into or out of force on a day
    in [after, until], and a relocated household's member reaching a working-age bound then."""
    span = (after, until)
    codes: set[str] = set()
    contracts = Contract.objects.filter(Q(start__range=span) | Q(end__range=span))
    for shop, home in contracts.values_list("workshop__village_id", "member__household__village_id"):
        codes |= {str(shop), str(home)}
    slips = Payslip.objects.filter(month__range=span)
    codes |= {str(v) for v in slips.values_list("contract__workshop__village_id", flat=True).distinct()}
    posts = WelfarePost.objects.filter(Q(start__range=span) | Q(end__range=span))
    codes |= {str(v) for v in posts.values_list("member__household__village_id", flat=True).distinct()}
    policies = EmploymentPolicy.objects.filter(Q(effective_from__range=span) | Q(effective_to__range=span))
    codes |= {str(a) for a in policies.values_list("area_id", flat=True)}
    bounds = set(EmploymentPolicy.objects.values_list("working_age_min", "working_age_max").distinct())
    ages = {age for youngest, oldest in bounds for age in (youngest, oldest + 1)}
    born = Q(pk__in=[])
    for age in ages:
        born |= Q(members__birth_date__range=(_years_before(after, age), _years_before(until, age)))
    if ages:
        relocated = registry.batch_households(prefix).filter(relocated=True).filter(born)
        codes |= {str(v) for v in relocated.values_list("village_id", flat=True).distinct()}
    return codes
