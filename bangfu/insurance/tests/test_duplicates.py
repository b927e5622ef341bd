"""One bill is paid once: a repeat of an earlier claim is refused at filing, naming the earlier claim;
an adjuster of the insurer may file it anyway only with a reason, kept on the claim, its events and the audit."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bangfu.core.errors import Conflict, Forbidden
from bangfu.core.models import AuditEvent
from bangfu.insurance import services
from bangfu.insurance.models import Claim, ClaimDocument, ClaimEvent
from bangfu.insurance.tests.helpers import APPLIED, PAID, scheme, submit, to_approved

pytestmark = pytest.mark.django_db


def _paid_story_b(world) -> Claim:
    scheme(world.county, world.area_county.code)
    claim = to_approved(world, submit(world.gw1, world.households["h1"].pk))
    services.claim_pay(actor=world.insurer, claim_id=claim.pk, reference="TB1", paid_on=PAID)
    return claim


def test_the_same_receipts_again_are_refused_naming_the_paid_claim(world) -> None:
    first = _paid_story_b(world)
    with pytest.raises(Conflict) as exc:
        submit(world.gw1, world.households["h1"].pk, applied_on=dt.date(2026, 5, 6))
    assert exc.value.code == "duplicate_claim"
    assert f"理赔#{first.pk}" in exc.value.zh and "2026-01-12" in exc.value.zh and "已赔付" in exc.value.zh
    assert f"claim #{first.pk}" in exc.value.en and "paid" in exc.value.en
    assert Claim.objects.count() == 1


def test_the_same_bill_in_next_years_scheme_is_refused(world) -> None:
    """Across schemes and years: a 60,000 bill paid 30,000 (the annual cap) in 2025 is not paid again in 2026."""
    scheme(world.county, world.area_county.code, year=2025)
    scheme(world.county, world.area_county.code, year=2026)
    h = world.households["h1"]
    bill = [services.ExpenseInput("大学学费及住宿费", D("60000"), dt.date(2025, 9, 1), dt.date(2026, 1, 31))]

    def file(on: dt.date) -> Claim:
        return services.claim_submit(
            actor=world.gw1, household_id=h.pk, cause="schooling", applied_on=on, expenses=bill
        )

    first = file(dt.date(2025, 12, 1))
    services.claim_survey(
        actor=world.insurer,
        claim_id=first.pk,
        surveyed_on=dt.date(2025, 12, 5),
        notes="属实",
        per_capita_income=D("6500"),
    )
    first = services.claim_calculate(actor=world.insurer, claim_id=first.pk, on=dt.date(2025, 12, 6))
    assert first.payout == D("30000.00")
    with pytest.raises(Conflict) as exc:
        file(dt.date(2026, 1, 20))
    assert f"理赔#{first.pk}" in exc.value.zh and "已核算" in exc.value.zh
    assert Claim.objects.count() == 1


def test_an_adjuster_may_file_a_repeat_with_a_recorded_reason_an_officer_may_not(world) -> None:
    first = _paid_story_b(world)
    h1 = world.households["h1"].pk
    with pytest.raises(Forbidden):
        submit(world.county, h1, applied_on=dt.date(2026, 5, 6), duplicate_reason="县里认为不同")
    assert Claim.objects.count() == 1
    reason = "第二学期学费，票据金额恰好相同，已核对学校收费系统"
    second = submit(world.insurer, h1, applied_on=dt.date(2026, 5, 6), duplicate_reason=reason)
    assert (second.duplicate_of, second.duplicate_reason, second.duplicate_by) == ([first.pk], reason, world.insurer)
    ev = ClaimEvent.objects.get(claim=second, event="submit")
    assert ev.data["duplicate_of"] == [first.pk] and ev.data["duplicate_reason"] == reason
    audit = AuditEvent.objects.get(action="claim_submit", object_id=str(second.pk))
    assert audit.reason == reason and audit.data["duplicate_of"] == [first.pk]


def test_a_receipt_number_already_claimed_by_another_household_is_refused(world) -> None:
    scheme(world.county, world.area_county.code)
    services.claim_submit(
        actor=world.gw1,
        household_id=world.households["h1"].pk,
        cause="schooling",
        applied_on=APPLIED,
        expenses=[services.ExpenseInput("学费", D("19400"), APPLIED, receipt_no="NO. 2026-0012")],
    )
    with pytest.raises(Conflict) as exc:
        services.claim_submit(
            actor=world.gw3,
            household_id=world.households["h3"].pk,
            cause="schooling",
            applied_on=APPLIED,
            expenses=[services.ExpenseInput("学费", D("12000"), dt.date(2026, 1, 3), receipt_no="no.20260012")],
        )
    assert "票据号相同" in exc.value.zh and "receipt" in exc.value.en
    assert Claim.objects.count() == 1


def test_a_rejected_claim_does_not_block_filing_again(world) -> None:
    scheme(world.county, world.area_county.code)
    h1 = world.households["h1"].pk
    first = submit(world.gw1, h1)
    services.claim_reject(actor=world.insurer, claim_id=first.pk, code="other", reason="缺少票据原件", on=APPLIED)
    assert submit(world.gw1, h1).duplicate_of == []


def test_the_same_file_on_another_claim_is_refused_unless_an_adjuster_gives_a_reason(world) -> None:
    scheme(world.county, world.area_county.code)
    a = submit(world.gw1, world.households["h1"].pk)
    b = submit(world.gw3, world.households["h3"].pk, amount="9999")

    def pdf() -> SimpleUploadedFile:
        return SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 the same receipt scan", content_type="application/pdf")

    first = services.claim_document_add(actor=world.gw1, claim_id=a.pk, kind="receipt", file=pdf())
    assert len(first.sha256) == 64
    with pytest.raises(Conflict) as exc:
        services.claim_document_add(actor=world.gw3, claim_id=b.pk, kind="receipt", file=pdf())
    assert f"理赔#{a.pk}" in exc.value.zh and "相同的文件" in exc.value.zh
    assert ClaimDocument.objects.filter(claim=b).count() == 0
    services.claim_document_add(
        actor=world.insurer,
        claim_id=b.pk,
        kind="receipt",
        file=pdf(),
        duplicate_reason="同一张录取通知书，两户子女同校",
    )
    b.refresh_from_db()
    assert b.duplicate_of == [a.pk] and "录取通知书" in b.duplicate_reason
    assert ClaimEvent.objects.get(claim=b, event="duplicate").data["sha256"] == first.sha256
    assert AuditEvent.objects.filter(action="claim_document_add", reason__contains="录取通知书").exists()


def test_api_refuses_a_repeat_with_a_bilingual_problem_and_keeps_scope(world, api_for) -> None:
    first = _paid_story_b(world)
    h1 = world.households["h1"].pk
    body = {
        "household_id": h1,
        "cause": "schooling",
        "applied_on": "2026-05-06",
        "expenses": [{"description": "大学学费及住宿费", "amount": "19400", "incurred_on": str(APPLIED)}],
    }
    r = api_for(world.gw1).post("/api/v1/insurance/claims", json.dumps(body), content_type="application/json")
    assert r.status_code == 409 and f"理赔#{first.pk}" in r.json()["message"] and "paid" in r.json()["message_en"]
    for outsider in (world.t2, world.gw2):
        r = api_for(outsider).post("/api/v1/insurance/claims", json.dumps(body), content_type="application/json")
        assert r.status_code == 404
    ins = api_for(world.insurer)
    r = ins.post(
        "/api/v1/insurance/claims",
        json.dumps(body | {"duplicate_reason": "已核实为第二学期"}),
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["duplicate_of"] == [first.pk]
    assert Claim.objects.count() == 2


def test_claim_form_shows_the_refusal_and_the_claim_page_the_earlier_claim(world, client_for) -> None:
    first = _paid_story_b(world)
    h1 = world.households["h1"].pk
    form = {
        "household": h1,
        "cause": "schooling",
        "applied_on": "2026-05-06",
        "exp_desc_1": "大学学费及住宿费",
        "exp_amount_1": "19400",
        "exp_on_1": str(APPLIED),
        "exp_receipt_1": "",
    }
    r = client_for(world.gw1).post(f"/insurance/claims/new/?household={h1}", form)
    assert r.status_code == 409 and f"理赔#{first.pk}" in r.content.decode()  # a conflict, shown on the form
    r = client_for(world.insurer).post(
        f"/insurance/claims/new/?household={h1}", form | {"duplicate_reason": "已核实为第二学期"}
    )
    assert r.status_code == 302
    second = Claim.objects.exclude(pk=first.pk).get()
    html = client_for(world.county).get(f"/insurance/claims/{second.pk}/").content.decode()
    assert 'id="duplicate"' in html and f"理赔#{first.pk}" in html and "已核实为第二学期" in html
    assert client_for(world.t2).get(f"/insurance/claims/{second.pk}/").status_code == 404
