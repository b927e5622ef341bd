"""Fixtures of the employment tests: story A's site, households and workshop on the test county."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

import pytest

from bangfu.accounts import services as accounts
from bangfu.accounts.domain.roles import Role
from bangfu.employment import inputs, services
from bangfu.employment.inputs import policy_input
from bangfu.registry import services as registry
from bangfu.testing import PASSWORD, member_fields, new_id_number

CREDIT = "91511133MA62XXXX0N"  # the knitting company (fictitious, valid check character)
OTHER_CREDIT = "91511133MA62YYYY1F"
_numbers = itertools.count(900000001)
POLICY = {
    "min_poor_workers": 5,
    "min_insurance_per_worker_month": "15",
    "upgrade_min_months_running": 12,
    "upgrade_min_long_contract_workers": 10,
    "upgrade_min_contract_months": 12,
    "upgrade_min_average_annual_pay": "20000",
    "upgrade_min_annual_revenue": "500000",
    "welfare_posts_per_household": 1,
    "welfare_max_age": 60,
    "working_age_min": 16,
    "working_age_max": 60,
}


def household(
    village: Any,
    head: str,
    born: dt.date,
    *,
    spouse: str = "",
    spouse_born: dt.date | None = None,
    **flags: Any,
) -> Any:
    rows = [member_fields(head, "户主", id_number=new_id_number(born))]
    if spouse:
        rows.append(member_fields(spouse, "配偶", id_number=new_id_number(spouse_born or born)))
    number = f"5111331{next(_numbers):09d}"
    return registry.household_create(
        actor=None, village_code=village.code, fields={"number": number, **flags}, members=rows
    )


@dataclass
class Story:
    world: Any
    site: Any
    a: Any  # 吉石罗布's household
    liming: list[Any]
    workshop: Any
    enterprise: Any  # the operator's user
    stranger: Any  # an enterprise user of another operator


@pytest.fixture
def story(world: Any) -> Story:
    services.policy_set(
        actor=world.county,
        area_code=world.area_county.code,
        policy=policy_input(POLICY | {"effective_from": "2020-01-01"}),
    )
    site = registry.site_create(
        actor=None, area_code=world.v1b.code, name="雪口山乡集中安置点", kind="town", planned_households=120
    )
    a = household(
        world.v1a,
        "吉石罗布",
        dt.date(1999, 5, 1),
        spouse="阿西么",
        spouse_born=dt.date(2000, 3, 1),
        poverty_exited=True,
        exit_year=2019,
    )
    registry.household_set_relocation(
        household=a, site=site, moved_on=dt.date(2019, 12, 1), from_village=world.v1a.code
    )
    liming = []
    for i, name in enumerate(["黎明甲", "黎明乙"]):
        h = household(world.v1b, name, dt.date(1980 + i, 1, 1), poverty_exited=True, exit_year=2019)
        registry.household_set_relocation(household=h, site=site, moved_on=dt.date(2019, 12, 1))
        liming.append(h)
    workshop = services.workshop_create(
        actor=world.t1,
        workshop=inputs.workshop_input(
            {
                "name": "雪口山乡扶贫工厂",
                "kind": "factory",
                "village": world.v1b.code,
                "land_village": world.v1b.code,
                "site": site.pk,
                "site_distance": "步行5分钟",
                "started_on": "2023-10-01",
                "operator_name": "马边针纺工艺有限公司",
                "operator_credit_code": CREDIT,
                "insurance_per_worker_month": "15",
            }
        ),
    )
    services.wage_rule_set(
        actor=world.t1,
        workshop=workshop,
        rule=inputs.wage_rule_input(
            {
                "code": "SEW",
                "name": "缝纫工底薪+计件",
                "effective_from": "2023-10-01",
                "kind": "base_piece",
                "base": "1200",
                "piece_rate": "3.00",
                "cap": "4000",
            }
        ),
    )
    ent = accounts.user_create(username="knit", password=PASSWORD)
    accounts.membership_grant(user=ent, role=Role.ENTERPRISE, area_code=world.area_county.code, organisation=CREDIT)
    other = accounts.user_create(username="other_ent", password=PASSWORD)
    accounts.membership_grant(
        user=other, role=Role.ENTERPRISE, area_code=world.area_county.code, organisation=OTHER_CREDIT
    )
    return Story(world, site, a, liming, workshop, ent, other)


def hire(actor: Any, story: Story, member: Any, start: str = "2024-10-01", **extra: Any) -> Any:
    values = {
        "member_id": member.pk,
        "job": "缝纫工",
        "start": start,
        "term_months": 24,
        "probation_months": 3,
        "probation_pay": "2000",
        "wage_code": "SEW",
        **extra,
    }
    return services.contract_create(actor=actor, workshop=story.workshop, contract=inputs.contract_input(values))


def grid(
    contract: Any, month: str, *, scheduled: str = "26", worked: str = "26", pieces: str = "", reason: str = ""
) -> dict[str, str]:
    """One row of the payroll page's grid as the browser sends it (inputs named `<field>-<contract>`)."""
    k = contract.pk
    row = {"month": month, f"scheduled_days-{k}": scheduled, f"days_worked-{k}": worked, f"pieces-{k}": pieces}
    return row | ({f"reason-{k}": reason} if reason else {})


def english(client: Any) -> Any:
    """The same client reading in English (the cookie the language switch sets): a page is in one language."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
