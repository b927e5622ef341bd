"""Services on the database: story A's workshop, contracts, payroll into income, posts, dividends, KPI."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from bangfu.core.errors import ApplicationError, Conflict, NotFound, ValidationFailed
from bangfu.employment import inputs, selectors, services
from bangfu.employment.tests.conftest import Story, hire
from bangfu.registry import selectors as registry

D = Decimal
pytestmark = pytest.mark.django_db


def members(story: Story, h: Any) -> list[Any]:
    return list(registry.members_of(story.world.county, h.pk))


def wage(story: Story, h: Any, year: int, item: str = "wage") -> Decimal:
    st = registry.statement_for(story.world.county, h.pk, year)
    return getattr(st, item) if st else D("0")


def test_story_a_contract_probation_and_payroll_flow_into_income(story: Story) -> None:
    jishi, _wife = members(story, story.a)
    c = hire(story.world.t1, story, jishi)
    for month in (dt.date(2024, 10, 1), dt.date(2024, 11, 1), dt.date(2024, 12, 1)):
        slip = services.payslip_record(
            actor=story.enterprise, contract=c, month=month, scheduled_days=26, days_worked=26, pieces=400
        )
        assert slip.in_probation and slip.gross == D("2000.00")
    jan = services.payslip_record(
        actor=story.enterprise, contract=c, month=dt.date(2025, 1, 1), scheduled_days=26, days_worked=26, pieces=600
    )
    assert (jan.in_probation, jan.monthly_part, jan.piece_part, jan.gross) == (
        False,
        D("1200.00"),
        D("1800.00"),
        D("3000.00"),
    )
    assert wage(story, story.a, 2024) == D("6000.00") and wage(story, story.a, 2025) == D("3000.00")
    # Re-entering a month is a correction (a reason, the first entry kept): one payslip, one income line.
    services.payslip_record(
        actor=story.world.t1,
        contract=c,
        month=dt.date(2025, 1, 1),
        scheduled_days=26,
        days_worked=26,
        pieces=700,
        reason="漏记100件",
    )
    assert wage(story, story.a, 2025) == D("3300.00")
    assert selectors.payslips_of(story.world.t1, c.pk).count() == 4


def test_payroll_refuses_months_outside_the_contract_and_bad_attendance(story: Story) -> None:
    c = hire(story.world.t1, story, members(story, story.a)[0])
    with pytest.raises(ValidationFailed) as e:
        services.payslip_record(
            actor=story.world.t1, contract=c, month=dt.date(2024, 9, 1), scheduled_days=26, days_worked=26
        )
    assert "不在合同期内" in e.value.zh
    with pytest.raises(ValidationFailed):
        services.payslip_record(
            actor=story.world.t1, contract=c, month=dt.date(2024, 10, 1), scheduled_days=26, days_worked=27
        )
    assert selectors.payslips_of(story.world.t1, c.pk).count() == 0
    assert wage(story, story.a, 2024) == 0


def test_contract_needs_a_wage_rule_in_force_and_writes_nothing_otherwise(story: Story) -> None:
    with pytest.raises(ValidationFailed) as e:
        hire(story.world.t1, story, members(story, story.a)[0], wage_code="NOPE")
    assert "工资规则" in e.value.zh and "wage rule" in e.value.en
    assert selectors.contracts_visible(story.world.t1).count() == 0


def test_recognition_guard_then_transition_recorded(story: Story) -> None:
    w = story.workshop
    with pytest.raises(ApplicationError) as e:
        services.workshop_transition(actor=story.world.t1, workshop=w, event="recognise")
    assert e.value.code == "validation" and e.value.status == 422 and "脱贫人口" in e.value.zh
    people = members(story, story.a) + [m for h in story.liming for m in members(story, h)]
    for p in people:
        hire(story.world.t1, story, p)
    assert len(people) == 4
    extra = story.liming[0]
    from bangfu.registry import services as reg
    from bangfu.testing import member_fields, new_id_number

    fifth = reg.member_add(
        actor=None,
        household=extra,
        fields=member_fields("黎明丙", "之子", id_number=new_id_number(dt.date(2002, 1, 1))),
    )
    hire(story.world.t1, story, fifth)
    w = services.workshop_transition(actor=story.world.t1, workshop=w, event="recognise", reason="材料齐全")
    assert w.status == "recognised"
    ev = w.events.get()
    assert (ev.from_state, ev.to_state, ev.actor) == ("applied", "recognised", story.world.t1)
    assert {c["code"] for c in ev.data["checks"]} == {"poor_workers", "insurance"}
    with pytest.raises(Conflict):
        services.workshop_transition(actor=story.world.t1, workshop=w, event="recognise")


def test_access_trio_and_operator_binding(story: Story) -> None:
    w, world = story.workshop, story.world
    for outsider in (world.t2, world.gw2, story.stranger, world.enterprise):
        with pytest.raises(NotFound):
            selectors.workshop_get(outsider, w.pk)
        with pytest.raises(NotFound):
            services.funding_add(
                actor=outsider, workshop=w, kind="east_west", amount=Decimal("1"), year=2023, partner_province="浙江"
            )
    assert selectors.workshop_get(story.enterprise, w.pk) == w
    assert w.funding.count() == 0
    with pytest.raises(NotFound):  # an operator user cannot browse the registry: it hires by ID number only
        hire(story.enterprise, story, members(story, story.a)[0])
    assert selectors.contracts_visible(world.t1).count() == 0


def test_operator_user_hires_by_id_number_only_inside_its_area(story: Story) -> None:
    world = story.world
    from bangfu.core import crypto

    jishi = members(story, story.a)[0]
    id_number = crypto.decrypt(jishi.id_enc)
    c = services.contract_create(
        actor=story.enterprise,
        workshop=story.workshop,
        contract=inputs.contract_input(
            {
                "id_number": id_number,
                "job": "缝纫工",
                "start": "2024-10-01",
                "term_months": 12,
                "wage_code": "SEW",
            }
        ),
    )
    assert c.member == jishi
    with pytest.raises(NotFound):
        services.contract_create(
            actor=story.stranger,
            workshop=story.workshop,
            contract=inputs.contract_input(
                {
                    "id_number": id_number,
                    "job": "缝纫工",
                    "start": "2024-10-01",
                    "term_months": 12,
                    "wage_code": "SEW",
                }
            ),
        )
    assert selectors.contracts_visible(world.t1).count() == 1
    assert list(selectors.contracts_visible(story.stranger)) == []


def test_one_welfare_post_per_household(story: Story) -> None:
    head, wife = members(story, story.a)
    post = services.welfare_post_create(
        actor=story.world.t1,
        post=inputs.post_input(
            {
                "member_id": wife.pk,
                "post_type": "生态护林员",
                "level": "ministry",
                "start": "2025-01-01",
                "monthly_pay": "500",
            }
        ),
    )
    with pytest.raises(ValidationFailed) as e:
        services.welfare_post_create(
            actor=story.world.t1,
            post=inputs.post_input(
                {
                    "member_id": head.pk,
                    "post_type": "保洁员",
                    "level": "village",
                    "start": "2025-03-01",
                    "monthly_pay": "300",
                }
            ),
        )
    assert "每户最多1个" in e.value.zh
    assert selectors.posts_visible(story.world.t1).count() == 1
    services.welfare_post_months(actor=story.world.t1, post=post, months_served=12)
    assert wage(story, story.a, 2025) == D("6000.00")
    services.welfare_post_end(actor=story.world.t1, post=post, end=dt.date(2025, 2, 28), reason="assessment_failed")
    assert wage(story, story.a, 2025) == D("1000.00")  # months served beyond the last day are not paid
    services.welfare_post_create(
        actor=story.world.t1,
        post=inputs.post_input(
            {
                "member_id": head.pk,
                "post_type": "保洁员",
                "level": "village",
                "start": "2025-03-01",
                "monthly_pay": "300",
            }
        ),
    )
    assert selectors.posts_visible(story.world.t1).count() == 2


def test_rent_split_into_collective_and_dividends_to_the_fen(story: Story) -> None:
    world = story.world
    asset = services.asset_create(
        actor=world.t1,
        asset=services.AssetInput(world.v1b.code, "扶贫工厂用地", "land", story.workshop.pk, annual_rent=D("10000")),
    )
    services.dividend_rule_set(
        actor=world.t1,
        asset=asset,
        effective_from=dt.date(2024, 1, 1),
        collective_share=inputs.share("40"),
        basis="household",
        eligibility="relocated_poor",
    )
    income = services.asset_income_distribute(
        actor=world.t1, asset=asset, year=2024, amount=D("10000.01"), received_on=dt.date(2024, 12, 20)
    )
    shares = list(income.shares.all())
    assert income.collective_amount == D("4000.00") and income.dividend_amount == D("6000.01")
    assert sorted(s.amount for s in shares) == [D("3000.00"), D("3000.01")]
    assert income.collective_amount + sum(s.amount for s in shares) == D("10000.01")
    assert {s.household_id for s in shares} == {h.pk for h in story.liming}  # 羊店儿村's household A is not
    assert sum(wage(story, h, 2024, "property") for h in story.liming) == D("6000.01")
    with pytest.raises(Conflict):
        services.asset_income_distribute(
            actor=world.t1, asset=asset, year=2024, amount=D("1"), received_on=dt.date(2024, 12, 21)
        )
    with pytest.raises(NotFound):
        services.asset_income_distribute(
            actor=world.t2, asset=asset, year=2023, amount=D("1"), received_on=dt.date(2024, 12, 21)
        )
    assert income.asset.incomes.count() == 1


def test_site_kpi_counts_employment_and_excludes_households_without_labour(story: Story) -> None:
    world = story.world
    on = dt.date(2025, 6, 30)
    before = selectors.site_kpi(world.t1, story.site.pk, on)
    assert (before.summary.households, before.summary.with_labour, before.summary.met) == (3, 3, 0)
    hire(world.t1, story, members(story, story.a)[0])
    from bangfu.registry import services as reg

    old = story.liming[1]
    for m in members(story, old):
        reg.member_update(actor=None, member=m, changes={"labour": "丧失劳动力"})
    after = selectors.site_kpi(world.t1, story.site.pk, on)
    assert (after.summary.households, after.summary.with_labour, after.summary.met) == (3, 2, 1)
    assert [r.household.pk for r in after.action_rows] == [story.liming[0].pk]
    for outsider in (world.t2, world.gw2, story.enterprise):
        with pytest.raises(NotFound):
            selectors.site_kpi(outsider, story.site.pk, on)


def test_a_new_version_ends_the_one_in_force_and_an_earlier_one_is_refused(story: Story) -> None:
    from bangfu.employment.models import DividendRule, WageRule

    w, t1 = story.workshop, story.world.t1

    def day_rule(day: str) -> Any:
        return inputs.wage_rule_input(
            {"code": "SEW", "name": "缝纫计日", "effective_from": day, "kind": "day", "day_rate": "120"}
        )

    with pytest.raises(Conflict) as exc:  # the story's SEW applies from 2023-10-01
        services.wage_rule_set(actor=t1, workshop=w, rule=day_rule("2023-10-01"))
    assert "已有2023-10-01起生效的版本" in exc.value.zh
    new = services.wage_rule_set(actor=t1, workshop=w, rule=day_rule("2024-06-01"))
    old = WageRule.objects.get(workshop=w, code="SEW", effective_from=dt.date(2023, 10, 1))
    assert old.effective_to == dt.date(2024, 5, 31) and new.effective_to is None

    asset = services.asset_create(actor=t1, asset=services.AssetInput(story.world.v1b.code, "集体林地", "land"))
    split: dict[str, Any] = {"collective_share": D("0.4"), "basis": "household", "eligibility": "relocated_poor"}
    services.dividend_rule_set(actor=t1, asset=asset, effective_from=dt.date(2024, 1, 1), **split)
    with pytest.raises(Conflict) as exc:
        services.dividend_rule_set(actor=t1, asset=asset, effective_from=dt.date(2024, 1, 1), **split)
    assert "已有2024-01-01起生效的分配规则" in exc.value.zh
    services.dividend_rule_set(actor=t1, asset=asset, effective_from=dt.date(2025, 1, 1), **split)
    ends = list(
        DividendRule.objects.filter(asset=asset).order_by("effective_from").values_list("effective_to", flat=True)
    )
    assert ends == [dt.date(2024, 12, 31), None]
