"""Demo data of insurance: 甘南县's scheme with story B's tier table, 颜世龙's schooling claim paid once
(8,120.00 yuan, applied in January, paid in early April), and a year of synthetic claims.

Everything goes through the services with the demo users, as a county would work through the pages.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

from django.db.models import Q, Sum

from bangfu.core.errors import ApplicationError
from bangfu.demo.context import DemoContext
from bangfu.demo.domain import story_b
from bangfu.demo.domain.story_b import story_year
from bangfu.insurance import services
from bangfu.insurance.domain import codes
from bangfu.registry import selectors as registry

INSURER = "中国太保"
CLAIMS_PER_PERSONS = 150
STORY_B_EXPENSES = [("学费", "15600"), ("住宿费", "1800"), ("其他费用(教材、军训)", "2000")]  # 19,400 in all


def _terms(year: int) -> list[services.TermsInput]:
    start = dt.date(year, 1, 1)
    return [
        services.TermsInput(  # story B's table (the seed stories), as configuration
            cause="schooling",
            label="因学",
            effective_from=start,
            deductible=D("8000"),
            bands=((D("8000"), D("18000"), D("0.70")), (D("18000"), None, D("0.80"))),
            annual_cap=D("30000"),
            thresholds=(("*", D("8000")),),
            deducted_aid=("grant",),
        ),
        services.TermsInput(  # 邯郸-style illness condition: 5,000 vs 20,000 yuan by household group
            cause="illness",
            label="因病",
            effective_from=start,
            deductible=D("5000"),
            bands=(
                (D("5000"), D("30000"), D("0.60")),
                (D("30000"), D("80000"), D("0.70")),
                (D("80000"), None, D("0.80")),
            ),
            per_claim_cap=D("100000"),
            annual_cap=D("100000"),
            annual_cap_per="person",
            thresholds=(("脱贫不稳定户", D("5000")), ("边缘易致贫户", D("20000")), ("*", D("10000"))),
            deducted_aid=("medical_insurance", "commercial_insurance"),
        ),
        services.TermsInput(
            cause="disaster",
            label="因灾",
            effective_from=start,
            deductible=D("3000"),
            bands=((D("3000"), None, D("0.50")),),
            per_claim_cap=D("50000"),
            annual_cap=D("50000"),
            thresholds=(("*", D("3000")),),
            deducted_aid=("civil_affairs",),
        ),
    ]


def _scheme(ctx: DemoContext, year: int) -> tuple[Any, int]:
    admin = ctx.users["gannan_admin"]
    scheme = services.scheme_create(
        actor=admin,
        county_code=ctx.areas["gannan"].code,
        year=year,
        scheme=services.SchemeInput(
            name=f"甘南县{year}年精准防贫保险",
            insurer=INSURER,
            policyholder="甘南县乡村振兴局",
            period_start=dt.date(year, 1, 1),
            period_end=dt.date(year, 12, 31),
            basis="groups",
            insured_groups=("脱贫户", "脱贫不稳定户", "边缘易致贫户", "突发严重困难户"),
            premium_per_person=D("50"),
            fee_rate=D("0.15"),
            income_line=D("8000"),
            carry_over=True,
            deficit_topup=True,
            publicity_required=True,
            publicity_days=5,
        ),
    )
    for t in _terms(year):
        services.terms_set(actor=admin, scheme_id=scheme.pk, terms=t, reason="县防贫办年度方案")
    insured = registry.households_visible(admin).filter(Q(poverty_exited=True) | ~Q(monitoring_type=""))
    persons = insured.aggregate(n=Sum("size"))["n"] or 0
    if persons:
        services.premium_record(
            actor=admin,
            scheme_id=scheme.pk,
            persons=persons,
            received_on=dt.date(year, 1, 8),
            reference=f"GN-PREM-{year}",
        )
    return scheme, persons


def _story_b(ctx: DemoContext, year: int) -> Any:
    h = ctx.households["B"]
    worker, insurer, admin = ctx.users["zhoujingcai"], ctx.users["gannan_insurer"], ctx.users["gannan_admin"]
    elder = registry.members_of(admin, h.pk).filter(relation="之女").order_by("birth_date").first()
    warning = ctx.extra.get("B_school_warning")
    claim = services.claim_submit(
        actor=worker,
        household_id=h.pk,
        cause="schooling",
        applied_on=story_b.claim_applied(year),
        member_id=elder.pk if elder else None,
        channel="warning" if warning else "grid",
        source_ref=f"warning:{warning.pk}" if warning else "",
        note="长女考入省城大学，凭缴费票据申请",
        expenses=[services.ExpenseInput(d, D(a), dt.date(year, 1, 10)) for d, a in STORY_B_EXPENSES],
        aid=[services.AidInput("student_loan", D("8000"), "生源地信用助学贷款（本方案不扣减）")],
    )
    services.claim_survey(
        actor=insurer,
        claim_id=claim.pk,
        surveyed_on=dt.date(year, 2, 26),
        per_capita_income=D("6350"),
        notes="入户勘查：票据与录取通知书属实；家庭人均纯收入低于防贫线",
    )
    services.claim_calculate(actor=insurer, claim_id=claim.pk, on=dt.date(year, 3, 6))
    services.claim_publicise(
        actor=ctx.users["gannan_village"],
        claim_id=claim.pk,
        on=dt.date(year, 3, 9),
        note="永利村村务公开栏公示5天，无异议",
    )
    services.claim_approve(actor=admin, claim_id=claim.pk, on=dt.date(year, 3, 25), note="县防贫办审批同意")
    services.claim_pay(
        actor=insurer, claim_id=claim.pk, reference=f"CPIC-GN-{year}0403-001", paid_on=dt.date(year, 4, 3)
    )
    return claim


_AMOUNTS = {"schooling": (9000, 26000), "illness": (8000, 120000), "disaster": (4000, 40000)}


def _synthetic(ctx: DemoContext, year: int, count: int) -> None:
    """`count` claims of the county's insured households, spread over the year and the workflow."""
    admin = ctx.users["gannan_admin"]
    pool = list(
        registry.households_visible(admin)
        .filter(poverty_exited=True)
        .exclude(pk=ctx.households["B"].pk)
        .order_by("pk")
        .values_list("pk", flat=True)[:2000]
    )
    last_day = min(ctx.today, dt.date(year, 12, 31))
    for pk in ctx.rng.sample(pool, min(count, len(pool))):
        cause = ctx.rng.choice(["illness", "illness", "schooling", "disaster"])
        applied = dt.date(year, 1, 5) + dt.timedelta(
            days=ctx.rng.randrange(max(1, (last_day - dt.date(year, 1, 5)).days - 60))
        )
        low, high = _AMOUNTS[cause]
        amount = D(ctx.rng.randrange(low, high))
        aid = (
            [services.AidInput("medical_insurance", (amount * D("0.5")).quantize(D("1")))] if cause == "illness" else []
        )
        try:
            claim = services.claim_submit(
                actor=admin,
                household_id=pk,
                cause=cause,
                applied_on=applied,
                channel=ctx.rng.choice(list(codes.CHANNELS)),
                expenses=[services.ExpenseInput(codes.cause_label(cause) + "支出", amount, applied)],
                aid=aid,
            )
            _advance(ctx, claim.pk, applied, last_day)
        except ApplicationError:
            continue  # e.g. a household whose group the scheme does not cover: it simply has no claim


def _advance(ctx: DemoContext, pk: int, on: dt.date, last_day: dt.date) -> None:
    """Walk a claim as far as the calendar allows: survey, calculation, publicity, approval, payment."""
    insurer, admin = ctx.users["gannan_insurer"], ctx.users["gannan_admin"]
    steps = ctx.rng.choices(range(6), weights=[1, 1, 1, 1, 2, 8])[0]  # most claims of the year are settled

    def later(days: tuple[int, int]) -> dt.date | None:
        nonlocal on
        on = on + dt.timedelta(days=ctx.rng.randint(*days))
        return on if on <= last_day else None

    if steps < 1 or (day := later((5, 25))) is None:
        return
    services.claim_survey(
        actor=insurer,
        claim_id=pk,
        surveyed_on=day,
        notes="入户勘查，票据属实",
        per_capita_income=D(ctx.rng.randrange(3500, 9000)),
    )
    if steps < 2 or (day := later((2, 10))) is None:
        return
    claim = services.claim_calculate(actor=insurer, claim_id=pk, on=day)
    if not claim.eligible:
        reason = claim.explanation["reasons"][0]
        services.claim_reject(
            actor=admin,
            claim_id=pk,
            code=reason["code"] if reason["code"] in codes.REJECT_CODES else "other",
            reason=reason["zh"],
            on=day,
        )
        return
    if steps < 3 or (day := later((1, 7))) is None:
        return
    services.claim_publicise(actor=admin, claim_id=pk, on=day)
    if steps < 4 or (day := later((6, 20))) is None:
        return
    services.claim_approve(actor=admin, claim_id=pk, on=day)
    if steps < 5 or (day := later((3, 15))) is None:
        return
    services.claim_pay(actor=insurer, claim_id=pk, reference=f"CPIC-GN-{day:%Y%m%d}-{pk:04d}", paid_on=day)


def load(ctx: DemoContext) -> None:
    year = story_year(ctx.today)
    _, persons = _scheme(ctx, year)
    ctx.extra["B_claim"] = _story_b(ctx, year)
    # About one claim a year per 150 insured people keeps the loss ratio near what counties report.
    _synthetic(ctx, year, count=max(8, persons // CLAIMS_PER_PERSONS))
