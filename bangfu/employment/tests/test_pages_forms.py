"""The officers' forms: story A carried through the pages by the county officer, with the access
trio on every form (the neighbouring township's officer and another grid's worker get 404 and
change nothing) and input problems shown next to their field with nothing saved."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from bangfu.employment import selectors
from bangfu.employment.models import (
    AssetIncome,
    CollectiveAsset,
    Contract,
    DividendRule,
    FundingSource,
    Payslip,
    TrainingCourse,
    TrainingRecord,
    WageRule,
    WelfarePost,
    Workshop,
    WorkshopRevenue,
)
from bangfu.employment.tests.conftest import Story, english, grid
from bangfu.registry import selectors as registry

pytestmark = pytest.mark.django_db
NEW_CREDIT = "91511133MA62WWWW27"


def refused(story: Story, client_for: Any, url: str, data: dict[str, Any] | None = None) -> None:
    """The neighbouring township's officer and another grid's worker: 404 on GET and POST."""
    for outsider in (story.world.t2, story.world.gw2):
        client = client_for(outsider)
        response = client.post(url, data or {}) if data is not None else client.get(url)
        assert response.status_code in (403, 404), (outsider, url)


def counts() -> dict[str, int]:
    models = (Workshop, FundingSource, WageRule, WorkshopRevenue, Contract, Payslip, TrainingCourse)
    more = (TrainingRecord, WelfarePost, CollectiveAsset, DividendRule, AssetIncome)
    return {m.__name__: m.objects.count() for m in models + more}


def workshop_values(story: Story, **extra: Any) -> dict[str, Any]:
    return {
        "name": "雪口山乡扶贫工厂二车间",
        "kind": "factory",
        "village": story.world.v1b.code,
        "land_village": story.world.v1b.code,
        "site": story.site.pk,
        "site_distance": "步行5分钟",
        "started_on": "2023-10-01",
        "insurance_per_worker_month": "15",
        "operator_name": "马边针纺工艺有限公司二厂",
        "operator_credit_code": NEW_CREDIT,
        **extra,
    }


def test_story_a_through_the_officer_pages(story: Story, client_for: Any) -> None:
    world = story.world
    county = client_for(world.county)
    new_url = reverse("employment:workshop_new")
    assert county.get(new_url).status_code == 200
    before = counts()
    for outsider in (world.t2, world.gw2):
        assert client_for(outsider).post(new_url, workshop_values(story)).status_code in (403, 404)
    assert counts() == before
    made = county.post(new_url, workshop_values(story))
    assert made.status_code == 302
    w = Workshop.objects.get(operator__credit_code=NEW_CREDIT)
    assert (w.site_id, w.land_village_id, str(w.started_on)) == (story.site.pk, world.v1b.code, "2023-10-01")

    page = reverse("employment:workshop_detail", args=[w.pk])
    posts = [
        ("funding_add", {"kind": "east_west", "amount": "3000000", "year": "2023", "partner_province": "浙江"}),
        (
            "wage_rule_set",
            {"code": "SEW", "name": "缝纫工", "effective_from": "2023-10-01", "kind": "base_piece", "base": "1200"}
            | {"piece_rate": "3.00", "cap": "4000"},
        ),
        ("revenue_set", {"year": str(timezone.localdate().year - 1), "amount": "3600000"}),
    ]
    for name, data in posts:
        url = reverse(f"employment:{name}", args=[w.pk])
        before = counts()
        refused(story, client_for, url, data)
        assert counts() == before
        assert county.post(url, data).status_code == 302, name
    html = county.get(page).content.decode()
    assert "浙江" in html and "3,000,000.00" in html and "3,600,000.00" in html and "4,000.00" in html

    jishi, wife = registry.members_of(world.county, story.a.pk)[:2]
    for m in (jishi, wife):
        hire = {"id_number": registry.member_full_id(world.county, m), "job": "缝纫工", "start": "2024-10-01"}
        hire |= {"term_months": "24", "probation_months": "3", "probation_pay": "2000", "wage_code": "SEW"}
        assert county.post(reverse("employment:contract_create", args=[w.pk]), hire).status_code == 302
    course_ids = []
    for month in ("07", "09"):
        course = {"workshop": w.pk, "order_based": "on", "skill": "缝纫工", "provider": "浙江某职业技能培训学校"}
        course |= {"province": "浙江", "place": "湖州", "start": f"2024-{month}-01", "end": f"2024-{month}-20"}
        assert county.post(reverse("employment:course_new"), course | {"hours": "80"}).status_code == 302
        course_ids.append(TrainingCourse.objects.latest("pk").pk)
    for pk in course_ids:
        url = reverse("employment:course_trainee_add", args=[pk])
        for m in (jishi, wife):
            data = {"id_number": registry.member_full_id(world.county, m)}
            refused(story, client_for, url, data)
            assert county.post(url, data).status_code == 302
    history = selectors.training_history(world.county, [jishi.pk, wife.pk])
    assert [len(history[jishi.pk]), len(history[wife.pk])] == [2, 2]

    c = Contract.objects.get(workshop=w, member=jishi)
    assert county.post(reverse("employment:payroll", args=[w.pk]), grid(c, "2025-01", pieces="600")).status_code == 302
    assert Payslip.objects.get(contract=c).gross == Decimal("3000.00")
    assert selectors.site_kpi(world.county, story.site.pk, timezone.localdate()).rows[0].verdict.met


def test_workshop_form_shows_the_problem_next_to_its_field_and_saves_nothing(story: Story, client_for: Any) -> None:
    before = counts()
    page = client_for(story.world.county).post(
        reverse("employment:workshop_new"), workshop_values(story, operator_credit_code="12345")
    )
    html = page.content.decode()
    assert page.status_code == 422 and 'class="errorlist"' in html and "统一社会信用代码应为18位" in html
    assert 'value="雪口山乡扶贫工厂二车间"' in html  # input kept
    en = english(client_for(story.world.county)).post(
        reverse("employment:workshop_new"), workshop_values(story, operator_credit_code="12345")
    )
    assert "unified social credit code" in en.content.decode()
    assert counts() == before
    assert client_for(story.enterprise).get(reverse("employment:workshop_new")).status_code == 404


def test_workshop_edit_changes_its_own_facts_only_for_its_officers(story: Story, client_for: Any) -> None:
    w, url = story.workshop, reverse("employment:workshop_edit", args=[story.workshop.pk])
    data = {"name": w.name, "kind": "home", "land_village": story.world.v1a.code, "site": ""}
    data |= {"site_distance": "", "started_on": "2023-11-01", "insurance_per_worker_month": "20", "reason": "核实"}
    refused(story, client_for, url)
    refused(story, client_for, url, data)
    assert client_for(story.enterprise).post(url, data).status_code in (403, 404)
    assert Workshop.objects.get(pk=w.pk).kind == "factory"
    bad = client_for(story.world.t1).post(url, data | {"started_on": "去年十月"})
    assert bad.status_code == 422 and "如 2026-01-15" in bad.content.decode()
    assert client_for(story.world.t1).post(url, data).status_code == 302
    w.refresh_from_db()
    assert (w.kind, w.site_id, w.land_village_id, w.insurance_per_worker_month) == (
        "home",
        None,
        story.world.v1a.code,
        Decimal("20.00"),
    )


def test_funding_problem_shows_in_the_funding_form_only(story: Story, client_for: Any) -> None:
    url = reverse("employment:funding_add", args=[story.workshop.pk])
    page = client_for(story.world.t1).post(url, {"kind": "east_west", "amount": "100", "year": "2023"})
    html = page.content.decode()
    funding_form = html.split('id="funding"')[1].split('id="criteria"')[0]
    assert page.status_code == 422 and "东西部协作资金须填写协作省份" in funding_form
    assert "errorlist" not in html.split('id="revenue"')[1]
    assert FundingSource.objects.count() == 0


def test_courses_by_the_enterprise_user_for_its_own_workshop(story: Story, client_for: Any) -> None:
    ent = client_for(story.enterprise)
    course = {"workshop": story.workshop.pk, "skill": "锁边", "provider": "厂内", "province": "四川", "place": "车间"}
    course |= {"start": "2024-11-01", "end": "2024-11-02", "hours": "16"}
    assert ent.get(reverse("employment:course_new")).status_code == 200
    assert client_for(story.stranger).post(reverse("employment:course_new"), course).status_code in (403, 404)
    refused(story, client_for, reverse("employment:course_new"), course)
    assert TrainingCourse.objects.count() == 0
    assert ent.post(reverse("employment:course_new"), course).status_code == 302
    pk = TrainingCourse.objects.get().pk
    assert "锁边" in ent.get(reverse("employment:course_list")).content.decode()
    assert "锁边" not in client_for(story.stranger).get(reverse("employment:course_list")).content.decode()
    refused(story, client_for, reverse("employment:course_detail", args=[pk]))
    wrong = ent.post(reverse("employment:course_trainee_add", args=[pk]), {"id_number": "511133199901010000"})
    assert wrong.status_code == 422 and "找不到该身份证号" in wrong.content.decode()
    assert TrainingRecord.objects.count() == 0


def test_welfare_posts_one_per_household_through_the_page(story: Story, client_for: Any) -> None:
    world = story.world
    t1 = client_for(world.t1)
    jishi, wife = registry.members_of(world.county, story.a.pk)[:2]
    post = {"post_type": "生态护林员", "level": "village", "start": "2025-01-01", "monthly_pay": "500"}
    url = reverse("employment:post_create")
    first = post | {"id_number": registry.member_full_id(world.county, jishi)}
    for outsider in (world.t2, world.gw2):  # no object in the URL: the person is simply not found for them
        page = client_for(outsider).post(url, first)
        # gw2 holds no employment capability: refused (403) before the form is read
        assert page.status_code == 403 or (page.status_code == 422 and "找不到该身份证号" in page.content.decode())
    assert client_for(story.enterprise).get(reverse("employment:post_list")).status_code == 404
    assert WelfarePost.objects.count() == 0
    assert t1.post(url, first).status_code == 302
    for outsider in (world.t2, world.gw2):
        listed = client_for(outsider).get(reverse("employment:post_list")).content.decode()
        assert jishi.name not in listed.split('id="posts"')[1].split("</table>")[0]
    second = t1.post(url, post | {"id_number": registry.member_full_id(world.county, wife)})
    assert second.status_code == 422 and "每户最多1个" in second.content.decode()
    p = WelfarePost.objects.get()
    months = reverse("employment:post_months", args=[p.pk])
    refused(story, client_for, months, {"months_served": "12"})
    assert WelfarePost.objects.get().months_served == 0
    assert t1.post(months, {"months_served": "12"}).status_code == 302
    statement = registry.statement_for(world.county, story.a.pk, 2025)
    assert statement is not None and statement.wage == Decimal("6000.00")


def test_collective_asset_rule_and_distribution_through_the_pages(story: Story, client_for: Any) -> None:
    world = story.world
    t1 = client_for(world.t1)
    asset = {"village": world.v1b.code, "name": "扶贫工厂用地", "kind": "land", "workshop": story.workshop.pk}
    refused(story, client_for, reverse("employment:asset_list"), asset | {"annual_rent": "20000"})
    assert CollectiveAsset.objects.count() == 0
    assert t1.post(reverse("employment:asset_list"), asset | {"annual_rent": "20000"}).status_code == 302
    a = CollectiveAsset.objects.get()
    rule_url = reverse("employment:asset_rule_set", args=[a.pk])
    rule = {"effective_from": "2024-01-01", "collective_share": "40", "basis": "household"}
    rule |= {"eligibility": "relocated_poor"}
    refused(story, client_for, reverse("employment:asset_detail", args=[a.pk]))
    refused(story, client_for, rule_url, rule)
    assert DividendRule.objects.count() == 0
    bad = t1.post(rule_url, rule | {"collective_share": "一半"})
    assert bad.status_code == 422 and "百分数" in bad.content.decode()
    assert t1.post(rule_url, rule).status_code == 302
    income_url = reverse("employment:asset_income_distribute", args=[a.pk])
    income = {"year": "2024", "amount": "20000", "received_on": "2024-12-20"}
    refused(story, client_for, income_url, income | {"confirm": "1"})
    assert AssetIncome.objects.count() == 0
    preview = t1.post(income_url, income)  # the preview: every household's dividend, nothing written yet
    shown = preview.content.decode()
    assert preview.status_code == 200 and 'id="confirm-form"' in shown and "data-confirm=" in shown
    assert "8,000.00" in shown and "6,000.00" in shown and AssetIncome.objects.count() == 0
    assert t1.post(income_url, income | {"confirm": "1"}).status_code == 302
    html = t1.get(reverse("employment:asset_detail", args=[a.pk])).content.decode()
    assert "8,000.00" in html and "12,000.00" in html  # 40% to the collective, 60% as dividends
    shares = AssetIncome.objects.get().shares.all()
    assert sum(s.amount for s in shares) == Decimal("12000.00") and len(shares) == 2  # 黎明村's two households
