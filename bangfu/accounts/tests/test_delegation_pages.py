"""Delegations through the page and the API: the county records and revokes; others see and change nothing."""

from __future__ import annotations

import json

import pytest

from bangfu.accounts.models import Delegation

pytestmark = pytest.mark.django_db
PAIR = "claim.calculate-approve"


def test_county_records_and_revokes_a_delegation_on_the_page(world, client_for) -> None:
    county = client_for(world.county)
    form = {
        "duty_pair": PAIR,
        "delegate": "insurer",
        "area_code": world.area_t1.code,
        "valid_from": "2026-03-01",
        "valid_to": "2026-03-31",
        "reason": "",
    }
    refused = county.post("/accounts/delegations/", form)
    assert refused.status_code == 422 and "请填写授权理由" in refused.content.decode()
    for outsider in (world.t1, world.t2, world.gw2):
        r = client_for(outsider).post("/accounts/delegations/", form | {"reason": "乡镇自行授权"})
        assert r.status_code in (403, 404)
    assert not Delegation.objects.exists()
    assert county.post("/accounts/delegations/", form | {"reason": "审批人员病休"}).status_code == 302
    d = Delegation.objects.get()
    assert (d.delegate, d.delegator, d.area_id, d.reason) == (
        world.insurer,
        world.county,
        world.area_t1.code,
        "审批人员病休",
    )
    html = county.get("/accounts/delegations/").content.decode()
    assert 'class="delegation"' in html and "审批人员病休" in html
    assert 'class="delegation"' not in client_for(world.t2).get("/accounts/delegations/").content.decode()
    assert client_for(world.t2).post(f"/accounts/delegations/{d.pk}/revoke/", {"reason": "x"}).status_code in (403, 404)
    assert county.post(f"/accounts/delegations/{d.pk}/revoke/", {"reason": "返岗"}).status_code == 302
    d.refresh_from_db()
    assert d.revoked_at is not None and d.revoke_reason == "返岗"


def test_delegations_over_the_api(world, api_for) -> None:
    body = {
        "delegate": "insurer",
        "duty_pair": PAIR,
        "area_code": world.area_county.code,
        "valid_from": "2026-03-01",
        "reason": "县防贫办仅一名审批人员",
    }

    def post(user, url, data):
        return api_for(user).post(url, json.dumps(data), content_type="application/json")

    for outsider in (world.t2, world.gw2, world.insurer):
        assert post(outsider, "/api/v1/accounts/delegations", body).status_code in (403, 404)
    assert not Delegation.objects.exists()
    bad = post(world.county, "/api/v1/accounts/delegations", body | {"delegate": "county", "reason": " "})
    assert bad.status_code == 422
    r = post(world.county, "/api/v1/accounts/delegations", body)
    assert r.status_code == 201 and r.json()["delegate"] == "insurer" and r.json()["valid_to"] is None
    pk = r.json()["id"]
    assert [d["id"] for d in api_for(world.insurer).get("/api/v1/accounts/delegations").json()] == [pk]  # their own
    assert api_for(world.t2).get("/api/v1/accounts/delegations").json() == []
    assert post(world.t2, f"/api/v1/accounts/delegations/{pk}/revoke", {"reason": "x"}).status_code in (403, 404)
    r = post(world.county, f"/api/v1/accounts/delegations/{pk}/revoke", {"reason": "已配齐审批人员"})
    assert r.status_code == 200 and r.json()["revoke_reason"] == "已配齐审批人员"
