"""Building blocks for insurance tests: story B's tier table as county configuration, a claim at a step."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

from bangfu.accounts import services as accounts
from bangfu.accounts.domain.roles import Role
from bangfu.insurance import services
from bangfu.insurance.models import Claim, Scheme
from bangfu.testing import PASSWORD

YEAR = 2026
APPLIED = dt.date(YEAR, 1, 12)
PAID = dt.date(YEAR, 4, 3)

SCHEME_FIELDS: dict[str, Any] = {
    "name": f"{YEAR}年防贫保险",
    "insurer": "中国太保",
    "policyholder": "县乡村振兴局",
    "period_start": dt.date(YEAR, 1, 1),
    "period_end": dt.date(YEAR, 12, 31),
    "basis": "groups",
    "insured_groups": ("脱贫户", "脱贫不稳定户", "边缘易致贫户", "突发严重困难户"),
    "premium_per_person": D("50"),
    "fee_rate": D("0.15"),
    "income_line": D("8000"),
    "publicity_required": False,
}

STORY_B_TERMS = services.TermsInput(
    cause="schooling",
    label="因学",
    effective_from=dt.date(YEAR, 1, 1),
    deductible=D("8000"),
    bands=((D("8000"), D("18000"), D("0.70")), (D("18000"), None, D("0.80"))),
    annual_cap=D("30000"),
    thresholds=(("*", D("8000")),),
    deducted_aid=("grant",),
)


def scheme(county_admin: Any, county_code: str, year: int = YEAR, **changes: Any) -> Scheme:
    """The county's scheme for `year` with story B's schooling terms from 1 January."""
    dates = {"period_start": dt.date(year, 1, 1), "period_end": dt.date(year, 12, 31)}
    s = services.scheme_create(
        actor=county_admin,
        county_code=county_code,
        year=year,
        scheme=services.SchemeInput(**(SCHEME_FIELDS | dates | changes)),
    )
    terms = services.TermsInput(**(STORY_B_TERMS.__dict__ | {"effective_from": dates["period_start"]}))
    services.terms_set(actor=county_admin, scheme_id=s.pk, terms=terms)
    return s


def submit(actor: Any, household_id: int, amount: str = "19400", **kw: Any) -> Claim:
    return services.claim_submit(
        actor=actor,
        household_id=household_id,
        cause="schooling",
        applied_on=kw.pop("applied_on", APPLIED),
        expenses=[services.ExpenseInput("大学学费及住宿费", D(amount), APPLIED)],
        aid=kw.pop("aid", [services.AidInput("student_loan", D("8000"), "生源地助学贷款")]),
        channel="grid",
        **kw,
    )


def to_calculated(world: Any, claim: Claim, income: str = "6500") -> Claim:
    services.claim_survey(
        actor=world.insurer,
        claim_id=claim.pk,
        surveyed_on=dt.date(YEAR, 2, 20),
        notes="入户核实：长女就读省城大学，票据属实",
        per_capita_income=D(income),
    )
    return services.claim_calculate(actor=world.insurer, claim_id=claim.pk, on=dt.date(YEAR, 3, 2))


def to_approved(world: Any, claim: Claim) -> Claim:
    to_calculated(world, claim)
    return services.claim_approve(actor=world.county, claim_id=claim.pk, on=dt.date(YEAR, 3, 20))


def other_insurer(county_code: str) -> Any:
    u = accounts.user_create(username="picc", password=PASSWORD, display_name="人保查勘员")
    accounts.membership_grant(user=u, role=Role.INSURER, area_code=county_code, organisation="人保财险")
    return u
