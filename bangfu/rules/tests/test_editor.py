"""Rule editor: drafts, preview by township, publishing versions, history kept; access trio."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from bangfu.core.errors import Forbidden, NotFound, ValidationFailed
from bangfu.monitoring import services as monitoring
from bangfu.monitoring.models import Warning
from bangfu.monitoring.tests.helpers import feed_row, rules_in_force
from bangfu.rules import selectors, services
from bangfu.rules.models import RuleSet

pytestmark = pytest.mark.django_db


def _form(rs: RuleSet, **params: str) -> dict[str, str]:
    data = {"window": rs.window, "rule_count": str(rs.rules.count()), "note": "调整教育阈值"}
    data.update({f"param__{k}": params.get(k, v) for k, v in rs.params.items()})
    for i, r in enumerate(rs.rules.all()):
        data.update(
            {
                f"rule_code_{i}": r.code,
                f"rule_zh_{i}": r.zh,
                f"rule_risk_{i}": r.risk,
                f"rule_when_{i}": json.dumps(r.when),
            }
        )
    return data


def test_county_draft_preview_publish(world, client_for) -> None:
    province_set = rules_in_force(world)
    today = timezone.localdate()
    feed_row(world.households["h1"], "school", "9000", today)  # T1
    feed_row(world.households["h3"], "school", "7000", today)  # T2
    monitoring.screen(area_code=world.area_county.code, as_of=today)
    old = Warning.objects.get(household=world.households["h1"])
    c = client_for(world.county)
    assert c.post("/rules/", {"note": "县级覆盖"}).status_code == 302
    draft = RuleSet.objects.get(status="draft")
    assert (draft.area_id, draft.version) == (world.area_county.code, 1)
    page = c.post(f"/rules/{draft.pk}/", {**_form(draft, school_cost_limit="6500"), "action": "preview"})
    body = page.content.decode()
    assert page.status_code == 200 and "现行版本预警1户 → 本草稿2户；新增1户，减少0户" in body
    assert "民建镇" in body  # the township where the household is added
    resp = c.post(f"/rules/{draft.pk}/", {**_form(draft), "action": "publish", "effective_from": today.isoformat()})
    assert resp.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "published" and draft.params["school_cost_limit"] == "6500"
    monitoring.screen(area_code=world.area_county.code, as_of=today)
    new = Warning.objects.get(household=world.households["h3"])
    assert (new.ruleset_id, old.ruleset_id) == (draft.pk, province_set.pk)
    old.refresh_from_db()
    assert old.ruleset_version == 1 and old.thresholds == {"school_costs": "8000"}  # history unchanged


def test_bad_definition_is_refused_with_a_message(world, client_for) -> None:
    rules_in_force(world)
    draft = services.ruleset_create_draft(actor=world.county, area_code=world.area_county.code)
    form = _form(draft)
    form["rule_when_0"] = '{"fact": "__import__", "op": "<", "value": "1"}'
    resp = client_for(world.county).post(f"/rules/{draft.pk}/", {**form, "action": "save"})
    assert resp.status_code == 422 and "未知的指标" in resp.content.decode()
    with pytest.raises(ValidationFailed):
        services.ruleset_update_draft(actor=world.county, ruleset=draft, window="weekly", params={}, rules=[])
    assert draft.rules.count() == 5


@pytest.mark.parametrize("outsider", ["t2", "gw2"])
def test_outsiders_cannot_see_or_edit_county_rules(world, client_for, api_for, outsider) -> None:
    rules_in_force(world)
    draft = services.ruleset_create_draft(actor=world.county, area_code=world.area_county.code)
    user = getattr(world, outsider)
    assert client_for(user).get(f"/rules/{draft.pk}/").status_code == 404
    resp = client_for(user).post(f"/rules/{draft.pk}/", {**_form(draft, school_cost_limit="1"), "action": "publish"})
    assert resp.status_code in (403, 404)
    assert api_for(user).get(f"/api/v1/rules/rulesets/{draft.pk}").status_code == 404
    assert api_for(user).post(f"/api/v1/rules/rulesets/{draft.pk}/preview").status_code in (403, 404)
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.params["school_cost_limit"] == "8000"


def test_county_officer_sees_province_default_and_own(world, api_for) -> None:
    rs = rules_in_force(world)
    ids = [r["id"] for r in api_for(world.county).get("/api/v1/rules/rulesets").json()]
    assert ids == [rs.pk]
    assert api_for(world.county).post(f"/api/v1/rules/rulesets/{rs.pk}/preview").status_code in (403, 404)  # not theirs
    assert selectors.ruleset_for_village(world.v1a.code, dt.date(2019, 1, 1)) is None  # before it took effect


def test_line_resolution_county_over_province(world) -> None:
    services.monitoring_line_set(actor=None, area_code=world.province.code, year=2021, amount="6000")
    services.monitoring_line_set(actor=world.county, area_code=world.area_county.code, year=2021, amount="6500")
    assert selectors.lines_for([world.v1a.code, "520000000001"], 2021) == {world.v1a.code: 6500}
    with pytest.raises(ValidationFailed):
        services.monitoring_line_set(actor=None, area_code=world.province.code, year=2021, amount="-1")


@pytest.mark.parametrize(("who", "area"), [("auditor", "area_county"), ("t1", "area_t1"), ("v1", "v1a")])
def test_a_role_that_sees_the_area_but_may_not_configure_it_gets_403_not_404(world, who, area) -> None:
    """docs/conventions.md: inside the user's areas without the capability is Forbidden (403); only an
    area outside them is NotFound (404). The rules app used to answer 404 for both."""
    rules_in_force(world)
    code = getattr(world, area).code
    with pytest.raises(Forbidden) as refused:
        services.ruleset_create_draft(actor=getattr(world, who), area_code=code)
    assert "设置规则和参数" in refused.value.zh  # the missing right, in words
    assert not RuleSet.objects.filter(area_id=code).exists()
    draft = services.ruleset_create_draft(actor=world.county, area_code=world.area_county.code)
    with pytest.raises(Forbidden):
        services.ruleset_update_draft(actor=world.auditor, ruleset=draft, window="weekly", params={}, rules=[])
    with pytest.raises(NotFound):  # t2 does not see township 1 at all
        services.ruleset_create_draft(actor=world.t2, area_code=world.area_t1.code)
    assert not RuleSet.objects.filter(area_id=world.area_t1.code).exists()
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.rules.count() == 5
