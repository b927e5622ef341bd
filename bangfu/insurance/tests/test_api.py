"""The JSON API: story B end to end over HTTP, and the access trio on every kind of endpoint."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal as D
from typing import Any

import pytest
from django.test import Client

from bangfu.insurance.models import CauseTerms, Claim, ClaimEvent, LedgerEntry, Payment
from bangfu.insurance.tests.helpers import APPLIED, PAID, YEAR, other_insurer, scheme, submit, to_approved

pytestmark = pytest.mark.django_db

BODY = {
    "household_id": 0,
    "cause": "schooling",
    "applied_on": str(APPLIED),
    "expenses": [{"description": "大学学费", "amount": "19400"}],
    "aid": [{"kind": "student_loan", "amount": "8000"}],
    "channel": "warning",
    "source_ref": "warning:77",
}


def post(client: Client, url: str, body: dict) -> Any:
    return client.post(url, data=json.dumps(body, default=str), content_type="application/json")


def test_story_b_over_the_api(world, api_for) -> None:
    scheme(world.county, world.area_county.code)
    h1 = world.households["h1"]
    r = post(api_for(world.gw1), "/api/v1/insurance/claims", BODY | {"household_id": h1.pk})
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    ins, county = api_for(world.insurer), api_for(world.county)
    assert (
        post(
            ins,
            f"/api/v1/insurance/claims/{pk}/survey",
            {"surveyed_on": f"{YEAR}-02-20", "notes": "属实", "per_capita_income": "6500"},
        ).status_code
        == 200
    )
    calc = post(ins, f"/api/v1/insurance/claims/{pk}/calculate?on={YEAR}-03-02", {}).json()
    assert calc["payout"] == "8120.00" and len(calc["explanation"]["lines"]) == 2
    assert post(county, f"/api/v1/insurance/claims/{pk}/approve", {"on": f"{YEAR}-03-20"}).status_code == 200
    paid = post(ins, f"/api/v1/insurance/claims/{pk}/pay", {"reference": "TB1", "paid_on": str(PAID)})
    assert paid.status_code == 200 and paid.json()["days_from_application_to_payment"] == 81
    again = post(ins, f"/api/v1/insurance/claims/{pk}/pay", {"reference": "TB2", "paid_on": str(PAID)})
    assert again.status_code == 409 and again.json()["message_en"]
    assert Payment.objects.count() == 1
    assert [e["event"] for e in county.get(f"/api/v1/insurance/claims/{pk}").json()["events"]] == [
        "submit",
        "survey",
        "calculate",
        "approve",
        "pay",
    ]


def test_submit_access_trio(world, api_for) -> None:
    scheme(world.county, world.area_county.code)
    body = BODY | {"household_id": world.households["h1"].pk}
    assert post(api_for(world.t1), "/api/v1/insurance/claims", body).status_code == 201
    for outsider in (world.t2, world.gw2):
        assert post(api_for(outsider), "/api/v1/insurance/claims", body).status_code in (403, 404)
    assert Claim.objects.count() == 1 and ClaimEvent.objects.count() == 1


def test_read_and_step_access_trio(world, api_for) -> None:
    scheme(world.county, world.area_county.code)
    claim = submit(world.gw1, world.households["h1"].pk)
    assert api_for(world.t1).get(f"/api/v1/insurance/claims/{claim.pk}").status_code == 200
    assert [c["id"] for c in api_for(world.t1).get("/api/v1/insurance/claims").json()] == [claim.pk]
    survey = {"surveyed_on": f"{YEAR}-02-20", "notes": "x", "per_capita_income": "1"}
    for outsider in (world.t2, world.gw2, other_insurer(world.area_county.code)):
        c = api_for(outsider)
        assert c.get(f"/api/v1/insurance/claims/{claim.pk}").status_code == 404
        assert c.get("/api/v1/insurance/claims").json() == []
        assert post(c, f"/api/v1/insurance/claims/{claim.pk}/survey", survey).status_code in (403, 404)
        assert post(c, f"/api/v1/insurance/claims/{claim.pk}/reject", {"code": "other", "reason": "x"}).status_code in (
            403,
            404,
        )
        assert c.get(f"/api/v1/insurance/households/{world.households['h1'].pk}/claims").status_code == 404
    assert post(api_for(world.t1), f"/api/v1/insurance/claims/{claim.pk}/survey", survey).status_code == 403
    assert Claim.objects.get(pk=claim.pk).status == "submitted" and ClaimEvent.objects.count() == 1


def test_pay_and_approve_access_trio(world, api_for) -> None:
    scheme(world.county, world.area_county.code)
    claim = to_approved(world, submit(world.gw1, world.households["h1"].pk))
    for outsider in (world.t2, world.gw2):
        r = post(
            api_for(outsider), f"/api/v1/insurance/claims/{claim.pk}/pay", {"reference": "X", "paid_on": str(PAID)}
        )
        assert r.status_code in (403, 404)
    assert not Payment.objects.exists() and not LedgerEntry.objects.exists()


def test_scheme_terms_and_fund_endpoints(world, api_for) -> None:
    s = scheme(world.county, world.area_county.code)
    terms = {
        "cause": "illness",
        "effective_from": f"{YEAR}-01-01",
        "deductible": "5000",
        "bands": [{"lower": "5000", "upper": "50000", "rate": "0.6"}, {"lower": "50000", "rate": "0.8"}],
        "per_claim_cap": "100000",
        "thresholds": {"脱贫不稳定户": "5000", "边缘易致贫户": "20000"},
        "deducted_aid": ["medical_insurance"],
    }
    assert post(api_for(world.county), f"/api/v1/insurance/schemes/{s.pk}/terms", terms).status_code == 201
    bad = terms | {"effective_from": f"{YEAR}-02-01", "bands": [{"lower": "4000", "rate": "2"}]}
    r = post(api_for(world.county), f"/api/v1/insurance/schemes/{s.pk}/terms", bad)
    assert r.status_code == 422 and {e["field"] for e in r.json()["errors"]} >= {"bands[1].lower", "bands[1].rate"}
    later = terms | {"effective_from": f"{YEAR}-03-01"}
    assert post(api_for(world.gw2), f"/api/v1/insurance/schemes/{s.pk}/terms", later).status_code in (403, 404)
    # A scheme is the whole county's: township officers (t1 and t2 alike) read it but may not change it.
    for township in (world.t1, world.t2):
        assert post(api_for(township), f"/api/v1/insurance/schemes/{s.pk}/terms", later).status_code == 403
    assert CauseTerms.objects.filter(cause="illness").count() == 1
    detail = api_for(world.insurer).get(f"/api/v1/insurance/schemes/{s.pk}").json()  # the insurer reads terms
    assert {t["cause"] for t in detail["terms"]} == {"schooling", "illness"}
    assert (
        post(
            api_for(world.county),
            f"/api/v1/insurance/schemes/{s.pk}/premiums",
            {"persons": 200, "received_on": f"{YEAR}-01-05"},
        ).json()["amount"]
        == "10000.00"
    )
    fund = api_for(world.county).get(f"/api/v1/insurance/schemes/{s.pk}/fund").json()
    assert D(fund["premiums"]) == D("10000") and D(fund["balance"]) == D("10000")
    assert api_for(world.gw2).get(f"/api/v1/insurance/schemes/{s.pk}/fund").status_code == 404
    x = api_for(world.county).get(f"/api/v1/insurance/schemes/{s.pk}/export.xlsx")
    assert x.status_code == 200 and x.content[:2] == b"PK"


def test_report_counts_days_and_groups(world, api_for) -> None:
    s = scheme(world.county, world.area_county.code)
    from bangfu.insurance import services

    c = to_approved(world, submit(world.gw1, world.households["h1"].pk))
    services.claim_pay(actor=world.insurer, claim_id=c.pk, reference="TB1", paid_on=PAID)
    submit(world.gw3, world.households["h3"].pk, applied_on=dt.date(YEAR, 2, 3))
    county = api_for(world.county).get(f"/api/v1/insurance/schemes/{s.pk}/report").json()
    assert (county["claims"], county["paid_claims"], county["avg_days_to_pay"]) == (2, 1, "81.0")
    assert {b["label"] for b in county["by_township"]} == {"雪口山乡", "民建镇"}
    assert [b["key"] for b in county["by_month"]] == [f"{YEAR}-01", f"{YEAR}-02"]
    t2 = api_for(world.t2).get(f"/api/v1/insurance/schemes/{s.pk}/report").json()
    assert (t2["claims"], t2["paid_claims"]) == (1, 0)  # a township sees its own claims only
