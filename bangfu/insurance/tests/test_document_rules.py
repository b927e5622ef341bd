"""Documents required before survey, approval and payment: a scheme setting with effective dates; a claim
without them cannot move on, and the refusal names the missing kinds in Chinese and English."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal as D
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bangfu.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from bangfu.insurance import services
from bangfu.insurance.domain.documents import missing, required_before
from bangfu.insurance.models import Claim, DocumentRule
from bangfu.insurance.tests.helpers import YEAR, other_insurer, scheme, submit

RULE = {"survey": ["receipt"], "approve": ["survey_form"], "pay": []}


def test_requirements_accumulate_along_the_workflow() -> None:
    assert required_before("survey", RULE) == ["receipt"]
    assert required_before("pay", RULE) == ["receipt", "survey_form"]
    assert missing("approve", RULE, {"receipt"}) == ["survey_form"]
    assert missing("survey", RULE, {"receipt", "photo"}) == [] and required_before("calculate", RULE) == []


def _pdf(name: str = "r.pdf", body: bytes = b"receipt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 " + body, content_type="application/pdf")


def _survey(world: Any, claim: Claim) -> Claim:
    return services.claim_survey(
        actor=world.insurer,
        claim_id=claim.pk,
        surveyed_on=dt.date(YEAR, 2, 20),
        notes="属实",
        per_capita_income=D("6500"),
    )


def _rules(world: Any, s: Any, **steps: list[str]) -> DocumentRule:
    return services.document_rule_set(
        actor=world.county,
        scheme_id=s.pk,
        cause="*",
        effective_from=dt.date(YEAR, 1, 1),
        survey=steps.get("survey", []),
        approve=steps.get("approve", []),
        pay=steps.get("pay", []),
    )


@pytest.mark.django_db
def test_a_claim_without_the_required_receipt_is_not_surveyed(world) -> None:
    s = scheme(world.county, world.area_county.code)
    _rules(world, s, survey=["receipt", "admission"], approve=["survey_form"])
    claim = submit(world.gw1, world.households["h1"].pk)
    with pytest.raises(Conflict) as exc:
        _survey(world, claim)
    assert exc.value.code == "documents_missing"
    assert "费用票据" in exc.value.zh and "录取通知书" in exc.value.zh and "receipts" in exc.value.en
    assert Claim.objects.get(pk=claim.pk).status == "submitted"
    services.claim_document_add(actor=world.gw1, claim_id=claim.pk, kind="receipt", file=_pdf())
    services.claim_document_add(actor=world.gw1, claim_id=claim.pk, kind="admission", file=_pdf("a.pdf", b"notice"))
    _survey(world, claim)
    services.claim_calculate(actor=world.insurer, claim_id=claim.pk, on=dt.date(YEAR, 3, 2))
    with pytest.raises(Conflict) as exc:
        services.claim_approve(actor=world.county, claim_id=claim.pk, on=dt.date(YEAR, 3, 20))
    assert "勘查表" in exc.value.zh and "survey form" in exc.value.en and "录取" not in exc.value.zh
    services.claim_document_add(actor=world.insurer, claim_id=claim.pk, kind="survey_form", file=_pdf("s.pdf", b"f"))
    assert services.claim_approve(actor=world.county, claim_id=claim.pk, on=dt.date(YEAR, 3, 20)).status == "approved"


@pytest.mark.django_db
def test_versions_apply_by_application_date_and_a_cause_rule_wins(world) -> None:
    s = scheme(world.county, world.area_county.code)
    services.document_rule_set(
        actor=world.county, scheme_id=s.pk, cause="*", effective_from=dt.date(YEAR, 3, 1), survey=["photo"]
    )
    early = submit(world.gw1, world.households["h1"].pk)  # applied 12 January: no rule in force then
    _survey(world, early)
    services.document_rule_set(
        actor=world.county, scheme_id=s.pk, cause="schooling", effective_from=dt.date(YEAR, 3, 1), survey=["receipt"]
    )
    late = submit(world.gw3, world.households["h3"].pk, applied_on=dt.date(YEAR, 3, 5))
    with pytest.raises(Conflict) as exc:
        _survey(world, late)
    assert "费用票据" in exc.value.zh and "现场照片" not in exc.value.zh
    with pytest.raises(Conflict):  # not after the latest version of that cause
        services.document_rule_set(
            actor=world.county, scheme_id=s.pk, cause="*", effective_from=dt.date(YEAR, 2, 1), survey=["photo"]
        )
    older = services.document_rule_set(
        actor=world.county, scheme_id=s.pk, cause="*", effective_from=dt.date(YEAR, 6, 1), pay=["other"]
    )
    assert DocumentRule.objects.get(cause="*", effective_from=dt.date(YEAR, 3, 1)).effective_to == dt.date(YEAR, 5, 31)
    assert older.effective_to is None


@pytest.mark.django_db
def test_only_the_county_configures_and_bad_kinds_are_refused(world) -> None:
    s = scheme(world.county, world.area_county.code)
    with pytest.raises(ValidationFailed) as exc:
        services.document_rule_set(
            actor=world.county, scheme_id=s.pk, cause="lottery", effective_from=dt.date(YEAR + 1, 1, 1), pay=["selfie"]
        )
    assert {p.field for p in exc.value.problems} == {"cause", "pay", "effective_from"}
    for outsider in (world.t1, world.insurer, world.t2):
        with pytest.raises((NotFound, Forbidden)):
            services.document_rule_set(
                actor=outsider, scheme_id=s.pk, cause="*", effective_from=dt.date(YEAR, 1, 1), survey=["receipt"]
            )
    assert not DocumentRule.objects.exists()


@pytest.mark.django_db
def test_scheme_page_and_api_set_and_show_the_requirements(world, client_for, api_for) -> None:
    s = scheme(world.county, world.area_county.code)
    body = {"cause": "*", "effective_from": f"{YEAR}-01-01", "before_survey": ["receipt"], "before_pay": ["other"]}
    url = f"/api/v1/insurance/schemes/{s.pk}/document-rules"
    for outsider in (world.t2, world.gw2, world.insurer):
        r = api_for(outsider).post(url, json.dumps(body), content_type="application/json")
        assert r.status_code in (403, 404)
    for stranger in (world.gw2, other_insurer(world.area_county.code)):  # not the county's officers or insurer
        assert api_for(stranger).get(url).status_code == 404
    assert not DocumentRule.objects.exists()
    r = api_for(world.county).post(url, json.dumps(body), content_type="application/json")
    assert r.status_code == 201 and r.json()["before_survey"] == ["receipt"]
    assert api_for(world.insurer).get(url).json()[0]["before_pay"] == ["other"]
    page = client_for(world.county).post(
        f"/insurance/schemes/{s.pk}/documents/",
        {"doc_cause": "illness", "effective_from": f"{YEAR}-01-01", "before_approve": ["survey_form"]},
    )
    assert page.status_code == 302
    html = client_for(world.county).get(f"/insurance/schemes/{s.pk}/").content.decode()
    assert html.count('class="document-rule"') == 2 and "勘查表" in html
    claim = submit(world.gw1, world.households["h1"].pk)
    claim_html = client_for(world.insurer).get(f"/insurance/claims/{claim.pk}/").content.decode()
    assert "missing-docs" in claim_html and "费用票据" in claim_html
