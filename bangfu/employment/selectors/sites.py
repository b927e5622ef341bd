"""The relocation KPI per resettlement site: households with working-age labour having at least one
member employed (an open contract or a welfare post on the date, or registered as employed)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bangfu.areas.selectors import under_code_q
from bangfu.employment.domain import kpi
from bangfu.employment.models import Contract, WelfarePost
from bangfu.employment.selectors._common import open_on
from bangfu.employment.selectors.parameters import policies_in_force
from bangfu.registry import selectors as registry
from bangfu.registry.domain.codes import EMPLOYED

if TYPE_CHECKING:
    from bangfu.accounts.models import User


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
        act_on = set(kpi.action_list([r.verdict for r in self.rows]))
        return [r for r in self.rows if r.verdict.household_id in act_on]


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


def sites_overview(user: User, on: dt.date, *, prefix: str = "") -> list[SiteKpi]:
    """The indicator of every site the user sees, or of those in the area `prefix` (the link's ?area=)."""
    sites = registry.sites_visible(user).order_by("name")
    if prefix:
        sites = sites.filter(under_code_q("area_id", prefix))
    return _site_kpis(user, list(sites), on)


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
