"""Pages: claim queue, claim page, scheme terms form, fund page and export, the household section."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from python_calamine import CalamineWorkbook

from bangfu.insurance import selectors, services
from bangfu.insurance.inputs import scheme_input
from bangfu.insurance.models import CauseTerms, Claim, ClaimDocument, ClaimEvent, Scheme
from bangfu.insurance.tests.helpers import PAID, YEAR, scheme, submit, to_approved, to_calculated

pytestmark = pytest.mark.django_db


def test_claim_queue_and_page_access_trio(world, client_for) -> None:
    scheme(world.county, world.area_county.code)
    claim = submit(world.gw1, world.households["h1"].pk)
    t1 = client_for(world.t1)
    assert f"#{claim.pk}" in t1.get("/insurance/?status=all").content.decode()
    assert t1.get(f"/insurance/claims/{claim.pk}/").status_code == 200
    for outsider in (world.t2, world.gw2):
        c = client_for(outsider)
        assert f"#{claim.pk}" not in c.get("/insurance/?status=all").content.decode()
        assert c.get(f"/insurance/claims/{claim.pk}/").status_code == 404


def test_queue_query_count_does_not_grow_with_claims(world, client_for) -> None:
    scheme(world.county, world.area_county.code)
    c = client_for(world.county)
    submit(world.gw1, world.households["h1"].pk)
    c.get("/insurance/?status=all")  # the first request reads the user's memberships (then cached: #18)
    with CaptureQueriesContext(connection) as one:
        c.get("/insurance/?status=all")
    for i in range(5):  # five different bills (the same bill twice is refused as a repeat)
        submit(world.gw3, world.households["h3"].pk, amount=str(19400 + i))
    with CaptureQueriesContext(connection) as six:
        assert c.get("/insurance/?status=all").content.decode().count("/insurance/claims/") >= 6
    assert len(six) == len(one)


def test_claim_page_shows_band_explanation_timeline_and_days(world, client_for) -> None:
    scheme(world.county, world.area_county.code)
    claim = to_approved(world, submit(world.gw1, world.households["h1"].pk))
    services.claim_pay(actor=world.insurer, claim_id=claim.pk, reference="TB1", paid_on=PAID)
    html = client_for(world.county).get(f"/insurance/claims/{claim.pk}/").content.decode()
    assert html.count('class="band"') == 2 and "7,000.00" in html and "1,120.00" in html
    assert 'id="payout">8,120.00<' in html and 'id="days-to-pay">81<' in html
    assert "不扣减 助学贷款" in html and "县级审批" in html and "赔款支付" in html


def test_steps_through_the_page_with_access_trio(world, client_for) -> None:
    scheme(world.county, world.area_county.code)
    claim = to_calculated(world, submit(world.gw1, world.households["h1"].pk))
    url = f"/insurance/claims/{claim.pk}/approve/"
    for outsider in (world.t2, world.gw2):
        assert client_for(outsider).post(url, {"on": f"{YEAR}-03-20"}).status_code in (403, 404)
    assert client_for(world.t1).post(url, {"on": f"{YEAR}-03-20"}).status_code == 403
    assert Claim.objects.get(pk=claim.pk).status == "calculated"
    bad = client_for(world.county).post(url, {"on": "20.03.2026"})
    assert bad.status_code == 422 and "格式应为 年-月-日" in bad.content.decode()
    r = client_for(world.county).post(url, {"on": f"{YEAR}-03-20", "note": "同意"})
    assert r.status_code == 302 and Claim.objects.get(pk=claim.pk).status == "approved"
    r = client_for(world.insurer).post(f"/insurance/claims/{claim.pk}/pay/", {"reference": "", "paid_on": str(PAID)})
    assert r.status_code == 422 and "请填写银行转账或支付凭证号" in r.content.decode()
    assert ClaimEvent.objects.filter(claim=claim, event="pay").count() == 0


def test_file_a_claim_from_the_household(world, client_for) -> None:
    scheme(world.county, world.area_county.code)
    h1 = world.households["h1"].pk
    form = {
        "household": h1,
        "cause": "schooling",
        "applied_on": f"{YEAR}-01-12",
        "channel": "grid",
        "exp_desc_1": "学费",
        "exp_amount_1": "19400",
        "aid_kind_1": "student_loan",
        "aid_amount_1": "8000",
    }
    for outsider in (world.t2, world.gw2):
        assert client_for(outsider).post(f"/insurance/claims/new/?household={h1}", form).status_code in (403, 404)
    assert not Claim.objects.exists()
    bad = client_for(world.gw1).post(f"/insurance/claims/new/?household={h1}", form | {"exp_amount_1": "abc"})
    assert bad.status_code == 422 and not Claim.objects.exists()
    r = client_for(world.gw1).post(f"/insurance/claims/new/?household={h1}", form)
    assert r.status_code == 302
    claim = Claim.objects.get()
    assert claim.aid.get().kind == "student_loan" and claim.expenses.get().amount == 19400


def test_scheme_page_configures_story_b_tiers(world, client_for) -> None:
    s = services.scheme_create(
        actor=world.county,
        county_code=world.area_county.code,
        year=YEAR,
        scheme=scheme_input(
            {
                "name": "防贫保",
                "insurer": "中国太保",
                "policyholder": "县乡村振兴局",
                "period_start": f"{YEAR}-01-01",
                "period_end": f"{YEAR}-12-31",
                "basis": "groups",
                "premium_per_person": "50",
                "income_line": "8000",
            }
        ),
    )
    form = {
        "cause": "schooling",
        "effective_from": f"{YEAR}-01-01",
        "deductible": "8000",
        "band_lower_1": "8000",
        "band_upper_1": "18000",
        "band_rate_1": "70%",
        "band_lower_2": "18000",
        "band_upper_2": "",
        "band_rate_2": "0.80",
        "annual_cap": "30000",
        "annual_cap_per": "household",
        "threshold_*": "8000",
        "deducted_aid": ["grant"],
    }
    url = f"/insurance/schemes/{s.pk}/terms/"
    assert client_for(world.gw2).post(url, form).status_code in (403, 404)
    assert client_for(world.t2).post(url, form).status_code == 403
    bad = client_for(world.county).post(url, form | {"band_lower_2": "17000"})
    assert bad.status_code == 422 and "18,000.00" in bad.content.decode()
    assert not CauseTerms.objects.exists()
    assert client_for(world.county).post(url, form).status_code == 302
    t = CauseTerms.objects.get()
    assert [(b.lower, b.upper, b.rate) for b in t.bands.all()] == [
        (D("8000"), D("18000"), D("0.7")),
        (D("18000"), None, D("0.8")),
    ]
    page = client_for(world.insurer).get(f"/insurance/schemes/{s.pk}/").content.decode()
    assert "70%" in page and "terms-form" not in page  # the insurer reads the terms, cannot edit them
    assert "terms-form" in client_for(world.county).get(f"/insurance/schemes/{s.pk}/").content.decode()


def test_fund_page_premium_and_excel_export(world, client_for) -> None:
    s = scheme(world.county, world.area_county.code)
    county = client_for(world.county)
    assert (
        county.post(
            f"/insurance/schemes/{s.pk}/fund/premiums/", {"persons": "1000", "received_on": f"{YEAR}-01-05"}
        ).status_code
        == 302
    )
    claim = to_approved(world, submit(world.gw1, world.households["h1"].pk))
    services.claim_pay(actor=world.insurer, claim_id=claim.pk, reference="TB1", paid_on=PAID)
    html = county.get(f"/insurance/schemes/{s.pk}/fund/").content.decode()
    assert 'id="balance">40,662.00<' in html and 'id="loss-ratio">16.2%<' in html and 'id="avg-days">81.0<' in html
    data = county.get(f"/insurance/schemes/{s.pk}/fund/export.xlsx").content
    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert {"理赔明细", "按风险类别", "按乡镇", "按月份", "基金台账"} <= set(wb.sheet_names)
    detail = wb.get_sheet_by_name("理赔明细").to_python()
    assert detail[1][6] == 81 and detail[1][8] == 8120
    for outsider in (world.gw2,):
        assert client_for(outsider).get(f"/insurance/schemes/{s.pk}/fund/export.xlsx").status_code == 404
        assert client_for(outsider).post(
            f"/insurance/schemes/{s.pk}/fund/premiums/", {"persons": "5", "received_on": f"{YEAR}-01-05"}
        ).status_code in (403, 404)
    assert s.ledger.filter(kind="premium").count() == 1


def test_household_page_lists_its_claims(world, client_for) -> None:
    scheme(world.county, world.area_county.code)
    h1 = world.households["h1"].pk
    claim = submit(world.gw1, h1, applied_on=dt.date(YEAR, 1, 12))
    html = client_for(world.t1).get(f"/registry/households/{h1}/").content.decode()
    assert "防贫保险理赔" in html and f"/insurance/claims/{claim.pk}/" in html
    assert f"/insurance/claims/new/?household={h1}" in html


def test_county_creates_and_edits_a_scheme_through_the_form(world, client_for) -> None:
    form = {
        "county": world.area_county.code,
        "year": str(YEAR),
        "name": "防贫保",
        "insurer": "中国太保",
        "policyholder": "县乡村振兴局",
        "period_start": f"{YEAR}-01-01",
        "period_end": f"{YEAR}-12-31",
        "basis": "share",
        "basis_share": "",
        "premium_per_person": "45",
        "fee_rate": "15%",
        "income_line": "8000",
        "publicity_days": "5",
        "insured_groups": ["脱贫户"],
        "carry_over": "on",
    }
    for outsider in (world.t1, world.gw2):
        assert client_for(outsider).post("/insurance/schemes/new/", form).status_code in (403, 404)
    bad = client_for(world.county).post("/insurance/schemes/new/", form)
    assert bad.status_code == 422 and "0.10" in bad.content.decode()  # share basis needs the share
    assert client_for(world.county).post("/insurance/schemes/new/", form | {"basis_share": "0.10"}).status_code == 302
    s = Scheme.objects.get()
    assert (s.fee_rate, s.basis_share, s.deficit_topup) == (D("0.15"), D("0.10"), False)
    edit = form | {"basis_share": "0.10", "premium_per_person": "50", "reason": "省里提标"}
    assert client_for(world.t2).post(f"/insurance/schemes/{s.pk}/edit/", edit).status_code == 403
    assert client_for(world.gw2).post(f"/insurance/schemes/{s.pk}/edit/", edit).status_code in (403, 404)
    assert Scheme.objects.get().premium_per_person == D("45")
    assert client_for(world.county).post(f"/insurance/schemes/{s.pk}/edit/", edit).status_code == 302
    assert Scheme.objects.get().premium_per_person == D("50")


def test_documents_upload_and_download_only_within_scope(world, client_for, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    scheme(world.county, world.area_county.code)
    claim = submit(world.gw1, world.households["h1"].pk)
    receipt = SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 tuition receipt", content_type="application/pdf")
    r = client_for(world.gw1).post(f"/insurance/claims/{claim.pk}/documents/", {"kind": "receipt", "file": receipt})
    assert r.status_code == 302
    doc = ClaimDocument.objects.get()
    url = f"/insurance/claims/{claim.pk}/documents/{doc.pk}/"
    assert b"".join(client_for(world.insurer).get(url).streaming_content) == b"%PDF-1.4 tuition receipt"
    for outsider in (world.t2, world.gw2):
        assert client_for(outsider).get(url).status_code == 404
        other = SimpleUploadedFile("x.pdf", b"x")
        assert (
            client_for(outsider)
            .post(f"/insurance/claims/{claim.pk}/documents/", {"kind": "receipt", "file": other})
            .status_code
            == 404
        )
    assert ClaimDocument.objects.count() == 1


def test_year_end_settlement_from_the_fund_page(world, client_for) -> None:
    """Last year's claims cost more than its premiums: the county tops the fund up."""
    s = scheme(world.county, world.area_county.code, year=YEAR - 1)
    services.premium_record(actor=world.county, scheme_id=s.pk, persons=10, received_on=dt.date(YEAR - 1, 1, 5))
    claim = to_approved(world, submit(world.gw1, world.households["h1"].pk, applied_on=dt.date(YEAR - 1, 11, 2)))
    services.claim_pay(actor=world.insurer, claim_id=claim.pk, reference="TB1", paid_on=PAID)
    url = f"/insurance/schemes/{s.pk}/fund/settle/"
    assert client_for(world.gw2).post(url, {"on": f"{YEAR}-05-31"}).status_code in (403, 404)
    assert client_for(world.t2).post(url, {"on": f"{YEAR}-05-31"}).status_code == 403
    assert not s.ledger.filter(kind="topup").exists()
    assert client_for(world.county).post(url, {"on": f"{YEAR}-05-31"}).status_code == 302
    assert s.ledger.get(kind="topup").amount == D("8120") + D("1218") - D("500")
    assert selectors.fund_figures(s).balance == 0
    again = client_for(world.county).post(url, {"on": f"{YEAR}-05-31"}, follow=True)
    assert "已完成年终结算" in again.content.decode() and s.ledger.filter(kind="topup").count() == 1


def test_survey_form_suggests_the_last_complete_years_income_not_this_years(world, client_for) -> None:
    """The claim's income condition reads the statement registry's domain names for claims: the
    year before the application, never the application year's partial statement."""
    from bangfu.registry import services as registry

    scheme(world.county, world.area_county.code)
    h = world.households["h1"]  # three people
    registry.income_record(household_id=h.pk, year=YEAR - 1, item="wage.local", amount="20100", source="manual")
    registry.income_record(household_id=h.pk, year=YEAR, item="property.dividend", amount="300", source="manual")
    claim = submit(world.gw1, h.pk)
    html = client_for(world.insurer).get(f"/insurance/claims/{claim.pk}/").content.decode()
    assert 'name="per_capita_income" value="6700.00" type="text" inputmode="decimal"' in html
    assert f"收入台账{YEAR - 1}年人均 6,700.00 元" in html
