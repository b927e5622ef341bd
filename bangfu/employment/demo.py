"""Demo data of employment: story A end to end, through the services (see bangfu/demo/context.py).

吉石罗布 and his wife work at the East–West-funded knitting workshop by their resettlement site:
two order-based trainings in 浙江, 3 months' probation at 2,000, then base 1,200 + 3.00/piece
(600 pieces → 3,000.00); the workshop is recognised; 黎明村's rent is split into collective
income and dividends to its relocated poor households.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

from bangfu.accounts import services as accounts
from bangfu.accounts.domain.roles import Role
from bangfu.core.errors import ApplicationError
from bangfu.employment import selectors, services
from bangfu.employment.domain.criteria import all_met
from bangfu.employment.domain.kpi import LABOUR_CODES
from bangfu.employment.domain.months import add_months, age_on
from bangfu.registry import selectors as registry

CREDIT_CODE = "91511133MA62HJ0X3Y"  # fictitious, with a valid GB 32100 check character
POLICY = services.PolicyInput(
    effective_from=dt.date(2020, 1, 1),
    min_poor_workers=5,
    min_insurance_per_worker_month=Decimal("15"),
    upgrade_min_months_running=12,
    upgrade_min_long_contract_workers=10,
    upgrade_min_contract_months=12,
    upgrade_min_average_annual_pay=Decimal("20000"),
    upgrade_min_annual_revenue=Decimal("500000"),
    welfare_posts_per_household=1,
    welfare_max_age=60,
    working_age_min=16,
    working_age_max=60,
    note="广西2022年就业帮扶车间认定办法（柳江区）；江西生态护林员每户一人",
)


def _working(admin: Any, household: Any, on: dt.date) -> list[Any]:
    return [
        m
        for m in registry.members_of(admin, household.pk)
        if m.active and m.labour in LABOUR_CODES and 16 <= age_on(m.birth_date, on) <= 60
    ]


def _operator_user(ctx: Any, county_code: str) -> Any:
    user = ctx.users.get("mabian_factory")
    if user is None:
        user = accounts.user_create(
            username="mabian_factory", password=settings.BANGFU_DEMO_PASSWORD, display_name="马边针纺工艺公司"
        )
        ctx.users["mabian_factory"] = user
        ctx.logins.append(("mabian_factory", "企业用户", "马边针纺工艺公司"))
    accounts.membership_grant(user=user, role=Role.ENTERPRISE, area_code=county_code, organisation=CREDIT_CODE)
    return user


def _workshop(admin: Any, ctx: Any, started: dt.date) -> Any:
    liming = ctx.areas["liming"]
    facts = services.WorkshopFacts(
        name="雪口山乡扶贫工厂（针纺车间）",
        kind="factory",
        land_village=liming.code,
        site=ctx.extra["A_site"].pk,
        site_distance="步行5分钟",
        started_on=started,
        insurance_per_worker_month=Decimal("15"),
    )
    operator = services.OperatorInput(CREDIT_CODE, name="马边针纺工艺有限公司", contact="王经理")
    w = services.workshop_create(actor=admin, workshop=services.WorkshopInput(liming.code, facts, operator))
    # Its first (part) year of sales, October to December, as the operator's accounts report it.
    services.workshop_revenue_set(
        actor=admin, workshop=w, year=started.year, amount=Decimal("900000"), note="企业财务报表（10—12月）"
    )
    services.funding_add(
        actor=admin,
        workshop=w,
        kind="east_west",
        amount=Decimal("3000000"),
        year=started.year,
        partner_province="浙江",
        note="东西部扶贫协作资金建设厂房",
    )
    services.funding_add(
        actor=admin, workshop=w, kind="enterprise", amount=Decimal("800000"), year=started.year, note="企业自筹设备"
    )
    rule = services.WageRuleInput(
        code="SEW",
        name="缝纫工 底薪1200+计件3.00元/件",
        effective_from=started,
        kind="base_piece",
        base=Decimal("1200"),
        piece_rate=Decimal("3.00"),
        cap=Decimal("4000"),
    )
    services.wage_rule_set(actor=admin, workshop=w, rule=rule)
    return w


def _trainings(admin: Any, ctx: Any, w: Any, started: dt.date, people: list[Any]) -> None:
    for i, (month, hours) in enumerate(((7, 120), (9, 80))):
        start = dt.date(started.year, month, 1)
        course = services.course_create(
            actor=admin,
            course=services.CourseInput(
                village=ctx.areas["liming"].code,
                workshop_id=w.pk,
                provider="浙江某职业技能培训学校",
                place="浙江省湖州市",
                province="浙江",
                skill="缝纫工",
                start=start,
                end=start + dt.timedelta(days=20 if i == 0 else 10),
                hours=hours,
                order_based=True,
                certificate="缝纫工培训合格证" if i == 0 else "缝纫工（提升）结业证",
            ),
        )
        for m in people:
            services.trainee_add(actor=admin, course=course, member_id=m.pk, certificate_no=f"ZJ{start:%Y%m}{m.pk}")


def _payroll(operator: Any, contracts: list[tuple[Any, int]], started: dt.date) -> None:
    """Three probation months, then the first month under the rule with each worker's piece count."""
    for c, pieces in contracts:
        for k in range(3):
            services.payslip_record(
                actor=operator,
                contract=c,
                month=add_months(started, k),
                scheduled_days=26,
                days_worked=26,
                pieces=pieces - 100,
            )
        services.payslip_record(
            actor=operator, contract=c, month=add_months(started, 3), scheduled_days=26, days_worked=26, pieces=pieces
        )


def _dividends(admin: Any, ctx: Any, w: Any, year: int) -> None:
    land = services.AssetInput(
        ctx.areas["liming"].code, "扶贫工厂用地（黎明村集体土地）", "land", w.pk, annual_rent=Decimal("20000")
    )
    asset = services.asset_create(actor=admin, asset=land)
    services.dividend_rule_set(
        actor=admin,
        asset=asset,
        effective_from=dt.date(year, 1, 1),
        collective_share=Decimal("0.4"),
        basis="household",
        eligibility="relocated_poor",
    )
    services.asset_income_distribute(
        actor=admin, asset=asset, year=year, amount=Decimal("20000"), received_on=dt.date(year, 12, 20)
    )


def load(ctx: Any) -> None:
    admin = ctx.users["mabian_admin"]
    county_code = ctx.areas["mabian"].code
    # Operating since October of last year (the article); 3 probation months end with December, so the
    # story's first month under the piece-rate rule is this January, already in the past.
    started = dt.date(ctx.today.year - 1, 10, 1)
    _policy(admin, county_code)
    operator = _operator_user(ctx, county_code)
    w = _workshop(admin, ctx, started)
    couple = _working(admin, ctx.households["A"], started)[:2]
    _trainings(admin, ctx, w, started, couple)
    hired: list[tuple[Any, int]] = []
    for m in couple:
        hired.append((_hire(admin, w, m, started), 600 if m.relation == "户主" else 550))
    for h in ctx.extra.get("A_workers", []):
        if h.pk == ctx.households["A"].pk:  # the couple, hired above
            continue
        for m in _working(admin, h, started)[:1]:
            hired.append((_hire(admin, w, m, started), ctx.rng.randint(420, 720)))
    _payroll(operator, hired, started)
    if all_met(selectors.workshop_checks(w, timezone.localdate()).recognition):
        w = services.workshop_transition(actor=admin, workshop=w, event="recognise", reason="县人社局认定（演示）")
    _dividends(admin, ctx, w, started.year)
    ctx.extra["A_workshop"] = w


def _policy(admin: Any, county_code: str) -> None:
    """The county's parameters, unless a province or county row is already configured."""
    try:
        selectors.policy_in_force(county_code, dt.date(2020, 1, 1))
    except ApplicationError:
        services.policy_set(actor=admin, area_code=county_code, policy=POLICY)


def _hire(admin: Any, w: Any, member: Any, started: dt.date) -> Any:
    return services.contract_create(
        actor=admin,
        workshop=w,
        contract=services.ContractInput(
            member_id=member.pk,
            job="缝纫工",
            start=started,
            term_months=36,
            probation_months=3,
            probation_pay=Decimal("2000"),
            wage_code="SEW",
        ),
    )
