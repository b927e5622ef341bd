"""Rule drafts and publishing through the API (issue #13: what the editor page does, the API does),
with the page's services; access: another township sees nothing, a role without `configure` is refused."""

from __future__ import annotations

import pytest
from django.utils import timezone

from bangfu.monitoring.tests.helpers import rules_in_force
from bangfu.rules.models import RuleSet

pytestmark = pytest.mark.django_db
API = "/api/v1/rules/rulesets"


def _body(rs: dict, **params: str) -> dict:
    return {
        "window": rs["window"],
        "params": rs["params"] | params,
        "rules": rs["rules"],
        "note": "调整教育阈值",
    }


def test_county_drafts_edits_and_publishes_over_the_api(world, api_for) -> None:
    province = rules_in_force(world)
    api = api_for(world.county)
    made = api.post(API, {"note": "县级覆盖"}, content_type="application/json")
    assert made.status_code == 201
    draft = made.json()
    assert (draft["area"], draft["status"], draft["params"]) == (world.area_county.code, "draft", province.params)
    edited = api.put(f"{API}/{draft['id']}", _body(draft, school_cost_limit="6500"), content_type="application/json")
    assert edited.status_code == 200 and edited.json()["params"]["school_cost_limit"] == "6500"
    bad = _body(draft) | {"rules": [{"code": "x", "when": {"fact": "__import__", "op": "<", "value": "1"}}]}
    refused = api.put(f"{API}/{draft['id']}", bad, content_type="application/json")
    assert refused.status_code == 422 and "未知的指标" in refused.json()["message"]
    today = timezone.localdate().isoformat()
    published = api.post(f"{API}/{draft['id']}/publish", {"effective_from": today}, content_type="application/json")
    assert published.status_code == 200 and published.json()["status"] == "published"
    again = api.put(f"{API}/{draft['id']}", _body(draft), content_type="application/json")
    assert again.status_code == 409  # a published version never changes
    second = api.post(API, {}, content_type="application/json").json()
    assert second["params"]["school_cost_limit"] == "6500"  # copied from the version now in force
    assert api.delete(f"{API}/{second['id']}").status_code == 204
    assert not RuleSet.objects.filter(pk=second["id"]).exists()


@pytest.mark.parametrize("outsider", ["t2", "gw2", "t1", "auditor"])
def test_others_see_nothing_and_change_nothing(world, api_for, outsider) -> None:
    """t2/gw2 are outside; t1 (township officer) and the auditor lack `configure`: all 404, no change."""
    rules_in_force(world)
    draft = api_for(world.county).post(API, {}, content_type="application/json").json()
    api = api_for(getattr(world, outsider))
    assert api.put(
        f"{API}/{draft['id']}", _body(draft, school_cost_limit="1"), content_type="application/json"
    ).status_code in (403, 404)
    assert api.post(
        f"{API}/{draft['id']}/publish", {"effective_from": "2026-01-01"}, content_type="application/json"
    ).status_code in (403, 404)
    assert api.delete(f"{API}/{draft['id']}").status_code in (403, 404)
    assert api.post(API, {"area": world.area_county.code}, content_type="application/json").status_code in (403, 404)
    rs = RuleSet.objects.get(pk=draft["id"])
    assert rs.status == "draft" and rs.params["school_cost_limit"] == draft["params"]["school_cost_limit"]
    assert RuleSet.objects.filter(status="draft").count() == 1
