"""Warning lifecycle through the API and the pages, with the access trio of design guide §7."""

from __future__ import annotations

import pytest
from django.utils import timezone

from bangfu.casework.models import Case
from bangfu.monitoring import services
from bangfu.monitoring.models import Warning, WarningEvent
from bangfu.monitoring.tests.helpers import feed_row, rules_in_force

pytestmark = pytest.mark.django_db


def test_lifecycle_through_api(world, warning, api_for) -> None:
    url = f"/api/v1/monitoring/warnings/{warning.pk}/transition"
    t1 = api_for(world.t1)
    assert t1.post(url, {"event": "assign"}, content_type="application/json").json()["status"] == "assigned"
    assert Warning.objects.get(pk=warning.pk).assigned_to == world.gw1
    gw1 = api_for(world.gw1)
    refused = gw1.post(url, {"event": "verify"}, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "reason"
    assert (
        gw1.post(url, {"event": "verify", "reason": "入户核实：房屋受损"}, content_type="application/json").json()[
            "status"
        ]
        == "verified"
    )
    wrong = t1.post(url, {"event": "assign"}, content_type="application/json")
    assert wrong.status_code == 409
    done = t1.post(url, {"event": "escalate", "reason": "纳入监测"}, content_type="application/json").json()
    assert done["status"] == "escalated"
    case = Case.objects.get(household=warning.household)
    assert Warning.objects.get(pk=warning.pk).case_ref == f"case:{case.pk}"
    assert case.source == "warning" and case.source_ref == f"warning:{warning.pk}" and case.state == "lead"
    assert warning.explanation in case.summary
    assert list(WarningEvent.objects.filter(warning=warning).values_list("event", flat=True)) == [
        "assign",
        "verify",
        "escalate",
    ]


def test_dismiss_needs_reason(world, warning) -> None:
    services.warning_transition(actor=world.t1, warning=warning, event="assign")
    services.warning_transition(actor=world.gw1, warning=warning, event="verify", reason="已核实")
    with pytest.raises(Exception, match="理由"):
        services.warning_transition(actor=world.t1, warning=warning, event="dismiss", reason=" ")
    assert Warning.objects.get(pk=warning.pk).status == "verified"


@pytest.mark.parametrize("outsider", ["t2", "gw2"])
def test_outsiders_see_nothing_and_change_nothing(world, warning, api_for, client_for, outsider) -> None:
    user = getattr(world, outsider)
    api = api_for(user)
    assert api.get(f"/api/v1/monitoring/warnings/{warning.pk}").status_code == 404
    assert api.get("/api/v1/monitoring/warnings").json() == []
    resp = api.post(
        f"/api/v1/monitoring/warnings/{warning.pk}/transition", {"event": "assign"}, content_type="application/json"
    )
    assert resp.status_code == 404
    page = client_for(user)
    assert page.get(f"/monitoring/warnings/{warning.pk}/").status_code == 404
    assert page.post(f"/monitoring/warnings/{warning.pk}/", {"event": "assign"}).status_code in (403, 404)
    assert warning.explanation not in page.get("/monitoring/").content.decode()
    assert Warning.objects.get(pk=warning.pk).status == "open" and not WarningEvent.objects.exists()


def test_lists_per_role(world, warning, client_for, api_for) -> None:
    for user in (world.county, world.t1, world.gw1):
        assert [w["id"] for w in api_for(user).get("/api/v1/monitoring/warnings").json()] == [warning.pk]
    body = client_for(world.gw1).get("/monitoring/").content.decode()
    assert "灾害损失 25,000 元，高于阈值 10,000 元" in body


def test_warning_page_transition(world, warning, client_for) -> None:
    c = client_for(world.t1)
    assert "指派给网格员gw1核实" in c.get(f"/monitoring/warnings/{warning.pk}/").content.decode()
    assert c.post(f"/monitoring/warnings/{warning.pk}/", {"event": "assign"}).status_code == 302
    assert Warning.objects.get(pk=warning.pk).status == "assigned"


def test_household_rescreen_endpoint_access(world, api_for) -> None:
    rules_in_force(world)
    h = world.households["h1"]
    feed_row(h, "school", "9500", timezone.localdate())
    assert api_for(world.t2).post(f"/api/v1/monitoring/households/{h.pk}/screen").status_code in (403, 404)
    assert api_for(world.gw2).post(f"/api/v1/monitoring/households/{h.pk}/screen").status_code in (403, 404)
    assert not Warning.objects.exists()
    resp = api_for(world.t1).post(f"/api/v1/monitoring/households/{h.pk}/screen")
    assert [w["rule_code"] for w in resp.json()] == ["school_cost"]
