"""The office pages of insurance after the UX review (P2, P5, P6, P10, P11): the queue names and finds the
household and keeps the area of its link, the claim page shows words not codes, a zero payout has a way
out and impossible steps are not offered, irreversible steps ask first, forms keep what was typed, and
the claims ledger names the household."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal as D
from typing import Any

import pytest
from django.utils import timezone

from bangfu.analytics import selectors as analytics
from bangfu.analytics.reports import REPORTS
from bangfu.insurance import selectors, services
from bangfu.insurance.models import Claim, Scheme
from bangfu.insurance.tests.helpers import PAID, YEAR, scheme, submit, to_approved, to_calculated
from bangfu.registry.models import Member

pytestmark = pytest.mark.django_db


def _zero_payout(world) -> Claim:
    """7,000 yuan of schooling costs under an 8,000-yuan threshold: calculated, nothing to pay."""
    return to_calculated(world, submit(world.gw1, world.households["h1"].pk, amount="7000", aid=[]))


def _id_of(household_id: int) -> str:
    from bangfu.core import crypto

    head = Member.objects.get(household_id=household_id, relation="户主")
    return crypto.decrypt(head.id_enc)


# --- the claim page -----------------------------------------------------------------------------------


def test_claim_page_shows_labels_percentages_and_a_linked_source(world, client_for) -> None:
    scheme(world.county, world.area_county.code)
    claim = to_approved(world, submit(world.gw1, world.households["h1"].pk, source_ref="warning:7"))
    html = client_for(world.county).get(f"/insurance/claims/{claim.pk}/").content.decode()
    assert "不扣减 助学贷款 8,000.00" in html and "student_loan" not in html
    assert ">70%<" in html and ">80%<" in html and "0.7000" not in html
    assert 'href="/monitoring/warnings/7/">预警 #7</a>' in html and "warning:7" not in html


def test_a_calculation_stored_as_text_is_shown_by_label(world, client_for) -> None:
    """Claims calculated before the structured deductions keep "扣减 medical_insurance 1,000.00" as text."""
    scheme(world.county, world.area_county.code)
    claim = to_calculated(world, submit(world.gw1, world.households["h1"].pk))
    old = {k: v for k, v in claim.explanation.items() if k != "deductions"}
    Claim.objects.filter(pk=claim.pk).update(explanation=old | {"notes": ["扣减 medical_insurance 1,000.00"]})
    html = client_for(world.county).get(f"/insurance/claims/{claim.pk}/").content.decode()
    assert "扣减 医保报销" in html and "medical_insurance" not in html


def test_zero_payout_is_closed_by_the_adjuster_and_the_county_is_not_offered_steps_that_fail(world, client_for) -> None:
    scheme(world.county, world.area_county.code, publicity_required=True)
    claim = _zero_payout(world)
    assert claim.payout == 0
    county = client_for(world.county).get(f"/insurance/claims/{claim.pk}/").content.decode()
    assert f"/insurance/claims/{claim.pk}/publicise/" not in county
    assert f"/insurance/claims/{claim.pk}/approve/" not in county
    assert 'id="blocked-approve"' in county  # says why instead
    adjuster = client_for(world.insurer).get(f"/insurance/claims/{claim.pk}/").content.decode()
    assert f"/insurance/claims/{claim.pk}/decline/" in adjuster and "data-confirm=" in adjuster
    url = f"/insurance/claims/{claim.pk}/decline/"
    for outsider in (world.t2, world.gw2):
        assert client_for(outsider).post(url, {}).status_code in (403, 404)
    assert client_for(world.county).post(url, {}).status_code == 403  # the adjuster's step
    assert Claim.objects.get(pk=claim.pk).status == "calculated"
    assert client_for(world.insurer).post(url, {"note": "已电话告知农户"}).status_code == 302
    closed = Claim.objects.get(pk=claim.pk)
    assert (closed.status, closed.reject_code) == ("rejected", "expense_below_threshold")
    assert "7,000.00" in closed.reject_reason and "已电话告知农户" in closed.reject_reason


def test_a_payable_claim_cannot_be_closed_as_not_payable(world, client_for) -> None:
    scheme(world.county, world.area_county.code)
    claim = to_calculated(world, submit(world.gw1, world.households["h1"].pk))
    page = client_for(world.insurer).get(f"/insurance/claims/{claim.pk}/").content.decode()
    assert "/decline/" not in page
    r = client_for(world.insurer).post(f"/insurance/claims/{claim.pk}/decline/", {})
    assert r.status_code == 422 and Claim.objects.get(pk=claim.pk).status == "calculated"


def test_approval_during_publicity_is_not_offered_and_says_why(world, client_for) -> None:
    scheme(world.county, world.area_county.code, publicity_required=True)
    claim = to_calculated(world, submit(world.gw1, world.households["h1"].pk))
    services.claim_publicise(actor=world.t1, claim_id=claim.pk, on=timezone.localdate())
    html = client_for(world.county).get(f"/insurance/claims/{claim.pk}/").content.decode()
    assert f"/insurance/claims/{claim.pk}/approve/" not in html and "公示期未满" in html
    assert f"/insurance/claims/{claim.pk}/reject/" in html


def test_irreversible_steps_ask_first_with_what_will_happen(world, client_for) -> None:
    scheme(world.county, world.area_county.code)
    claim = to_calculated(world, submit(world.gw1, world.households["h1"].pk))
    name = claim.household.head_name
    county = client_for(world.county).get(f"/insurance/claims/{claim.pk}/").content.decode()
    approve = re.search(r'<form[^>]*id="step-approve"[^>]*>', county)
    assert approve and "8,120.00" in approve.group(0) and name in approve.group(0) and "data-confirm" in approve[0]
    reject = re.search(r'<form[^>]*id="step-reject"[^>]*>', county)
    assert reject and "data-confirm" in reject.group(0)
    services.claim_approve(actor=world.county, claim_id=claim.pk, on=dt.date(YEAR, 3, 20))
    insurer = client_for(world.insurer).get(f"/insurance/claims/{claim.pk}/").content.decode()
    pay = re.search(r'<form[^>]*id="step-pay"[^>]*>', insurer)
    assert pay and "8,120.00" in pay.group(0) and "data-confirm" in pay.group(0)


def test_a_failed_step_keeps_what_was_typed_beside_its_field(world, client_for) -> None:
    scheme(world.county, world.area_county.code)
    claim = submit(world.gw1, world.households["h1"].pk)
    url = f"/insurance/claims/{claim.pk}/survey/"
    r = client_for(world.insurer).post(
        url, {"surveyed_on": f"{YEAR}-02-20", "per_capita_income": "abc", "notes": "长女就读大学"}
    )
    html = r.content.decode()
    assert r.status_code == 422 and 'value="长女就读大学"' in html
    field = re.search(r'<label class="field">核实人均纯收入（元）.*?</label>', html, re.S)
    assert field and "errorlist" in field.group(0)
    assert Claim.objects.get(pk=claim.pk).status == "submitted"


def test_the_claim_form_shows_a_line_problem_beside_its_box_and_keeps_the_rest(world, client_for) -> None:
    scheme(world.county, world.area_county.code)
    h1 = world.households["h1"].pk
    form = {"household": h1, "cause": "schooling", "applied_on": f"{YEAR}-01-12", "channel": "grid",
            "exp_desc_1": "", "exp_amount_1": "19400", "note": "长女大学学费"}  # fmt: skip
    r = client_for(world.gw1).post(f"/insurance/claims/new/?household={h1}", form)
    html = r.content.decode()
    assert r.status_code == 422 and not Claim.objects.exists()
    assert "长女大学学费" in html and 'value="19400"' in html
    box = re.search(r'<label class="field">费用项目.*?</label>', html, re.S)
    assert box and "errorlist" in box.group(0)


# --- the queue ----------------------------------------------------------------------------------------


def test_queue_defaults_to_the_work_to_do_with_counts_on_the_tabs(world, client_for) -> None:
    scheme(world.county, world.area_county.code)
    waiting = submit(world.gw1, world.households["h1"].pk, amount="19401")  # another bill of the same household
    paid = to_approved(world, submit(world.gw1, world.households["h1"].pk))
    services.claim_pay(actor=world.insurer, claim_id=paid.pk, reference="TB1", paid_on=PAID)
    html = client_for(world.insurer).get("/insurance/").content.decode()
    assert f"/insurance/claims/{waiting.pk}/" in html and f"/insurance/claims/{paid.pk}/" not in html
    assert re.search(r'data-status="todo">待办 <span class="count">1</span>', html)
    assert re.search(r'data-status="paid">已赔付 <span class="count">1</span>', html)
    assert re.search(r'data-status="all">全部 <span class="count">2</span>', html)
    days = (timezone.localdate() - waiting.applied_on).days
    assert '<span class="age badge warn"' in html and f"{days:,}" in html
    everything = client_for(world.insurer).get("/insurance/?status=all").content.decode()
    assert f"/insurance/claims/{paid.pk}/" in everything
    assert client_for(world.insurer).get("/insurance/?status=nonsense").status_code == 400


def test_queue_keeps_the_village_of_the_dashboard_tile(world, client_for) -> None:
    scheme(world.county, world.area_county.code)
    here = submit(world.gw1, world.households["h1"].pk)
    elsewhere = submit(world.gw3, world.households["h3"].pk)
    html = client_for(world.county).get(f"/insurance/?status=all&village={world.v1a.code}").content.decode()
    assert f"/insurance/claims/{here.pk}/" in html and f"/insurance/claims/{elsewhere.pk}/" not in html
    assert world.v1a.name in html and 'class="chip"' in html  # the area is a removable filter
    assert client_for(world.t2).get(f"/insurance/?village={world.v1a.code}").status_code == 404


def test_queue_finds_a_household_by_name_or_by_id_number_without_the_number_in_a_url(world, client_for) -> None:
    scheme(world.county, world.area_county.code)
    h1 = world.households["h1"]
    mine = submit(world.gw1, h1.pk)
    other = submit(world.gw3, world.households["h3"].pk)
    insurer = client_for(world.insurer)
    by_name = insurer.post("/insurance/?status=all", {"q": h1.head_name}).content.decode()
    assert f"/insurance/claims/{mine.pk}/" in by_name and f"/insurance/claims/{other.pk}/" not in by_name
    number = _id_of(h1.pk)
    by_id = insurer.post("/insurance/?status=all", {"q": number}).content.decode()
    assert f"/insurance/claims/{mine.pk}/" in by_id and f"/insurance/claims/{other.pk}/" not in by_id
    assert not re.search(rf'href="[^"]*{number}', by_id)  # never in a link
    assert (
        f"/insurance/claims/{mine.pk}/"
        not in client_for(world.t2).post("/insurance/?status=all", {"q": number}).content.decode()
    )


def test_work_counts_for_a_home_page(world) -> None:
    scheme(world.county, world.area_county.code)
    submit(world.gw1, world.households["h1"].pk)
    to_calculated(world, submit(world.gw3, world.households["h3"].pk))
    insurer = {s: n for s, _label, n in selectors.work_counts(world.insurer)}
    assert insurer == {"submitted": 1, "surveyed": 0, "calculated": 1, "approved": 0}
    county = {s: n for s, _label, n in selectors.work_counts(world.county)}
    assert county == {"calculated": 1, "publicised": 0}
    assert selectors.work_counts(world.gw2) == []  # files claims, has no step of its own


# --- the claims ledger --------------------------------------------------------------------------------


def test_claims_ledger_names_the_household_and_shows_labels(world) -> None:
    scheme(world.county, world.area_county.code)
    claim = to_approved(world, submit(world.gw1, world.households["h1"].pk))
    services.claim_pay(actor=world.insurer, claim_id=claim.pk, reference="TB1", paid_on=PAID)
    submit(world.gw3, world.households["h3"].pk)
    report = REPORTS["claims"]
    h1 = world.households["h1"]
    county_rows = report.build(world.county, analytics.report_place(world.county, ""), YEAR)
    row = next(r for r in county_rows if r[0] == claim.pk)
    columns = dict(zip(report.columns, row, strict=True))
    assert columns["户主"] == h1.head_name and columns["户编号"] == h1.number
    assert columns["户主身份证号"] == _id_of(h1.pk)  # the county sees full numbers, as in the roster
    assert columns["村"] == world.v1a.name and columns["乡镇"] == world.area_t1.name
    assert (columns["致贫风险"], columns["状态"]) == ("因学", "已赔付")
    assert not {"schooling", "paid", "submitted"} & {str(v) for r in county_rows for v in r}
    village = report.build(world.v1, analytics.report_place(world.v1, ""), YEAR)
    assert [r[0] for r in village] == [claim.pk]  # the other township's claim stays out
    masked = dict(zip(report.columns, village[0], strict=True))["户主身份证号"]  # no full IDs for this role
    assert masked == Member.objects.get(household=h1, relation="户主").masked != _id_of(h1.pk)


def test_claims_ledger_keeps_to_the_village_asked_for(world) -> None:
    scheme(world.county, world.area_county.code)
    here = submit(world.gw1, world.households["h1"].pk)
    submit(world.gw3, world.households["h3"].pk)
    rows = REPORTS["claims"].build(world.county, analytics.report_place(world.county, world.v1a.code), YEAR)
    assert [r[0] for r in rows] == [here.pk]


# --- typed services -----------------------------------------------------------------------------------


def test_scheme_api_parses_at_the_edge(world, api_for) -> None:
    from bangfu.insurance.tests.helpers import SCHEME_FIELDS

    body = SCHEME_FIELDS | {"county_code": world.area_county.code, "year": YEAR}
    api = api_for(world.county)

    def post(b: dict) -> Any:
        return api.post("/api/v1/insurance/schemes", data=json.dumps(b, default=str), content_type="application/json")

    bad = post(body | {"premium_per_person": "-5"})
    assert bad.status_code == 422 and not Scheme.objects.exists()
    bad = post(body | {"insured_groups": ["外星人"]})
    assert bad.status_code == 422 and not Scheme.objects.exists()
    ok = post(body)
    assert ok.status_code == 201 and Scheme.objects.get().premium_per_person == D("50")
