"""The API end to end for story A's workshop, with the access trio on every write."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from bangfu.employment import selectors
from bangfu.employment.tests.conftest import Story
from bangfu.registry import selectors as registry

pytestmark = pytest.mark.django_db
BASE = "/api/v1/employment"


def post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(BASE + url, data=json.dumps(body, default=str), content_type="application/json")


def test_story_a_through_the_api(story: Story, api_for: Any) -> None:
    world, w = story.world, story.workshop
    t1, t2, gw2 = api_for(world.t1), api_for(world.t2), api_for(world.gw2)
    funding = {"kind": "east_west", "amount": "3000000", "year": 2023, "partner_province": "浙江"}
    for outsider in (t2, gw2):
        assert post(outsider, f"/workshops/{w.pk}/funding", funding).status_code in (403, 404)
        assert outsider.get(f"{BASE}/workshops/{w.pk}").status_code == 404
    assert w.funding.count() == 0
    assert post(t1, f"/workshops/{w.pk}/funding", funding).status_code == 201
    missing = post(t1, f"/workshops/{w.pk}/funding", funding | {"partner_province": ""})
    assert missing.status_code == 422 and "协作省份" in missing.json()["message"]
    detail = t1.get(f"{BASE}/workshops/{w.pk}").json()
    assert detail["funding"][0]["partner_province"] == "浙江" and detail["status"] == "applied"

    jishi = registry.members_of(world.county, story.a.pk)[0]
    body = {
        "member_id": jishi.pk,
        "job": "缝纫工",
        "start": "2024-10-01",
        "term_months": 24,
        "probation_months": 3,
        "probation_pay": "2000",
        "wage_code": "SEW",
    }
    for outsider in (t2, gw2):
        assert post(outsider, f"/workshops/{w.pk}/contracts", body).status_code in (403, 404)
    assert selectors.contracts_visible(world.county).count() == 0
    contract = post(t1, f"/workshops/{w.pk}/contracts", body).json()

    slip = {"month": "2025-01", "scheduled_days": 26, "days_worked": 26, "pieces": 600}
    for outsider in (t2, gw2, api_for(story.stranger)):
        assert post(outsider, f"/contracts/{contract['id']}/payslips", slip).status_code in (403, 404)
    assert registry.statement_for(world.county, story.a.pk, 2025) is None
    made = post(api_for(story.enterprise), f"/contracts/{contract['id']}/payslips", slip)
    assert made.status_code == 201 and made.json()["gross"] == "3000.00"
    statement = registry.statement_for(world.county, story.a.pk, 2025)
    assert statement is not None and statement.wage == Decimal("3000.00")
    sheet = t1.get(f"{BASE}/workshops/{w.pk}/payroll", {"month": "2025-01"}).json()
    assert [line["payslip"]["gross"] for line in sheet] == ["3000.00"]

    kpi = t1.get(f"{BASE}/sites/{story.site.pk}/kpi", {"on": "2025-06-30"}).json()
    assert (kpi["with_labour"], kpi["met"]) == (3, 1)
    assert story.a.pk not in {r["household"] for r in kpi["action_list"]}
    assert t2.get(f"{BASE}/sites/{story.site.pk}/kpi").status_code == 404
    assert gw2.get(f"{BASE}/sites/{story.site.pk}/kpi").status_code == 404


def test_dividends_through_the_api_with_access_trio(story: Story, api_for: Any) -> None:
    world = story.world
    t1 = api_for(world.t1)
    asset = post(t1, "/assets", {"village": world.v1b.code, "name": "工厂用地", "kind": "land"}).json()
    rule = {
        "effective_from": "2024-01-01",
        "collective_share": "40%",
        "basis": "member",
        "eligibility": "relocated_poor",
    }
    assert post(t1, f"/assets/{asset['id']}/rules", rule).status_code == 201
    income = {"year": 2024, "amount": "10000", "received_on": "2024-12-20"}
    for outsider in (world.t2, world.gw2):
        assert post(api_for(outsider), f"/assets/{asset['id']}/incomes", income).status_code in (403, 404)
    assert selectors.asset_incomes(world.t1, asset["id"]) == []
    out = post(t1, f"/assets/{asset['id']}/incomes", income).json()
    assert out["collective"] == "4000.00"
    assert sum(Decimal(s["amount"]) for s in out["shares"]) == Decimal("6000.00")
