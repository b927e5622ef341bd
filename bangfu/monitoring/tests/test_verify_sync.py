"""Verifying a warning from a phone's offline queue (docs/offline.md): exactly once, `already_decided`,
`moved_away`, the access trio; the grid worker verifies an open warning without assigning it first."""

from __future__ import annotations

import uuid

import pytest

from bangfu.monitoring import services
from bangfu.monitoring.models import Warning, WarningEvent
from bangfu.registry import services as registry

pytestmark = pytest.mark.django_db


def _verify(client, w, key=None, reason="入户核实：房屋受损"):
    headers = {"HTTP_ACCEPT": "application/json"}
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = str(key)
    return client.post(f"/monitoring/warnings/{w.pk}/", {"event": "verify", "reason": reason}, **headers)


def test_grid_worker_verifies_an_open_warning_once(world, warning, client_for) -> None:
    c = client_for(world.gw1)
    key = uuid.uuid4()
    r = _verify(c, warning, key)
    assert r.status_code == 200, r.content
    assert r.json()["outcome"] == {
        "warning_id": warning.pk,
        "status": "verified",
        "status_zh": "已核实",
        "household_id": warning.household_id,
    }
    w = Warning.objects.get(pk=warning.pk)
    assert w.status == "verified" and w.assigned_to == world.gw1
    again = _verify(c, warning, key)
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true" and again.json() == r.json()
    assert WarningEvent.objects.filter(warning=warning).count() == 1


def test_already_decided_when_verified_meanwhile(world, warning, client_for) -> None:
    services.warning_transition(actor=world.v1, warning=warning, event="verify", reason="村里已核实")
    r = _verify(client_for(world.gw1), warning, uuid.uuid4())
    assert r.status_code == 409 and r.json()["code"] == "already_decided"
    assert world.v1.get_full_name() in r.json()["message"] or str(world.v1) in r.json()["message"]
    services.warning_transition(actor=world.t1, warning=warning, event="dismiss", reason="已解决")
    late = _verify(client_for(world.gw1), warning, uuid.uuid4())
    assert late.json()["code"] == "already_decided" and "已排除" in late.json()["message"]
    assert WarningEvent.objects.filter(warning=warning, actor=world.gw1).count() == 0


def test_a_wrong_step_is_still_invalid_step(world, warning, api_for) -> None:
    url = f"/api/v1/monitoring/warnings/{warning.pk}/transition"
    r = api_for(world.t1).post(url, {"event": "dismiss", "reason": "x"}, content_type="application/json")
    assert r.status_code == 409 and r.json()["code"] == "invalid_step"  # open: not yet verified


def test_moved_away_when_the_household_left_the_grid(world, warning, client_for) -> None:
    registry.household_update(
        actor=world.county, household=warning.household, changes={"grid_id": world.g2.pk}, reason="调整网格"
    )
    r = _verify(client_for(world.gw1), warning, uuid.uuid4())
    assert r.status_code == 409 and r.json()["code"] == "moved_away"
    assert Warning.objects.get(pk=warning.pk).status == "open"
    assert _verify(client_for(world.gw3), warning, uuid.uuid4()).status_code == 404  # never his


def test_access_trio(world, warning, client_for, api_for) -> None:
    for user in (world.t2, world.gw2):
        assert _verify(client_for(user), warning, uuid.uuid4()).status_code in (403, 404)
    assert Warning.objects.get(pk=warning.pk).status == "open"
    url = f"/api/v1/monitoring/warnings/{warning.pk}/transition"
    key = str(uuid.uuid4())
    body = {"event": "verify", "reason": "电话核实"}
    first = api_for(world.t1).post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == 200 and first.json()["status"] == "verified"
    again = api_for(world.t1).post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert WarningEvent.objects.filter(warning=warning).count() == 1
