"""Story B through the services, the workflow's refusals, and who sees which claims."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from bangfu.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from bangfu.insurance import selectors, services
from bangfu.insurance.models import Claim, ClaimEvent, LedgerEntry, Payment
from bangfu.insurance.tests.helpers import (
    APPLIED,
    PAID,
    STORY_B_TERMS,
    YEAR,
    other_insurer,
    scheme,
    submit,
    to_approved,
    to_calculated,
)
from bangfu.registry import selectors as registry

pytestmark = pytest.mark.django_db


def test_story_b_claim_is_calculated_approved_paid_once_and_becomes_transfer_income(world) -> None:
    s = scheme(world.county, world.area_county.code)
    h1 = world.households["h1"]
    claim = to_approved(world, submit(world.gw1, h1.pk))
    assert claim.payout == D("8120.00") and claim.eligible
    assert [ln["text"] for ln in claim.explanation["lines"]] == [
        "8,000.00–18,000.00：10,000.00 × 70% = 7,000.00",
        "18,000.00–以上：1,400.00 × 80% = 1,120.00",
    ]
    services.claim_pay(actor=world.insurer, claim_id=claim.pk, reference="TB2026040301", paid_on=PAID)
    with pytest.raises(Conflict):
        services.claim_pay(actor=world.insurer, claim_id=claim.pk, reference="TB2026040302", paid_on=PAID)
    assert Payment.objects.filter(claim=claim).count() == 1
    events = list(ClaimEvent.objects.filter(claim=claim).values_list("event", flat=True))
    assert events == ["submit", "survey", "calculate", "approve", "pay"]
    st = registry.statement_for(world.county, h1.pk, YEAR)
    assert st is not None and st.transfer == D("8120.00") and st.claims >= 0
    line = st.items.get(source="insurance")
    assert (line.item, line.source_ref, line.amount) == (
        "transfer.insurance_claim",
        f"claim:{claim.pk}",
        D("8120.00"),
    )
    fund = selectors.fund_figures(s)
    assert (fund.payouts, fund.fees) == (D("8120.00"), D("1218.00"))
    report = selectors.report_rows(world.county, s)
    assert [(r.applied_on, r.paid_on) for r in report] == [(APPLIED, PAID)]
    assert (PAID - APPLIED).days == 81


def test_terms_versions_apply_by_application_date(world) -> None:
    s = scheme(world.county, world.area_county.code)
    july = services.TermsInput(
        **(
            STORY_B_TERMS.__dict__
            | {
                "effective_from": dt.date(YEAR, 7, 1),
                "deductible": D("5000"),
                "bands": ((D("5000"), None, D("0.5")),),
            }
        )
    )
    services.terms_set(actor=world.county, scheme_id=s.pk, terms=july)
    first = selectors.terms_in_force(s, "schooling", APPLIED)
    assert first is not None and first.effective_to == dt.date(YEAR, 6, 30) and first.deductible == D("8000")
    claim = to_approved(world, submit(world.gw1, world.households["h1"].pk))
    assert claim.payout == D("8120.00")  # January claim: January terms
    with pytest.raises(Conflict):
        services.terms_set(actor=world.county, scheme_id=s.pk, terms=STORY_B_TERMS)  # not after the latest


def test_bad_tiers_are_refused_with_every_problem_and_nothing_written(world) -> None:
    s = scheme(world.county, world.area_county.code)
    bad = services.TermsInput(
        **(
            STORY_B_TERMS.__dict__
            | {
                "effective_from": dt.date(YEAR, 8, 1),
                "bands": ((D("9000"), None, D("1.7")),),
                "deducted_aid": ("gift",),
            }
        )
    )
    with pytest.raises(ValidationFailed) as exc:
        services.terms_set(actor=world.county, scheme_id=s.pk, terms=bad)
    fields = {p.field for p in exc.value.problems}
    assert {"bands[1].lower", "bands[1].rate", "deducted_aid"} <= fields
    assert s.terms.count() == 1


def test_rejection_paths(world) -> None:
    scheme(world.county, world.area_county.code)
    h1 = world.households["h1"]
    rich = submit(world.gw1, h1.pk)
    to_calculated(world, rich, income="12000")
    rich.refresh_from_db()
    assert rich.eligible is False and rich.payout == 0
    with pytest.raises(ValidationFailed):  # the conditions of the step are not met (not payable): 422
        services.claim_approve(actor=world.county, claim_id=rich.pk, on=dt.date(YEAR, 3, 20))
    with pytest.raises(ValidationFailed):
        services.claim_reject(actor=world.county, claim_id=rich.pk, code="income_above_line", reason=" ")
    services.claim_reject(actor=world.county, claim_id=rich.pk, code="income_above_line", reason="人均收入高于防贫线")
    with pytest.raises(Conflict):
        services.claim_pay(actor=world.insurer, claim_id=rich.pk, reference="X", paid_on=PAID)
    early = submit(world.gw1, h1.pk)
    services.claim_reject(
        actor=world.insurer, claim_id=early.pk, code="duplicate", reason="与前案重复", on=dt.date(YEAR, 1, 20)
    )
    assert Claim.objects.filter(status="rejected").count() == 2 and not Payment.objects.exists()
    assert not LedgerEntry.objects.filter(kind="payout").exists()


def test_submit_refuses_bad_input_and_writes_nothing(world) -> None:
    scheme(world.county, world.area_county.code)
    h1 = world.households["h1"]
    with pytest.raises(ValidationFailed):
        submit(world.gw1, h1.pk, amount="0")
    with pytest.raises(ValidationFailed):
        submit(world.gw1, h1.pk, applied_on=dt.date(YEAR - 1, 12, 1))  # no scheme covers last year
    with pytest.raises(ValidationFailed):
        services.claim_submit(
            actor=world.gw1,
            household_id=h1.pk,
            cause="housing",
            applied_on=APPLIED,
            expenses=[services.ExpenseInput("修房", D("30000"))],
        )
    assert not Claim.objects.exists() and not ClaimEvent.objects.exists()


def test_steps_out_of_order_and_by_the_wrong_role(world) -> None:
    scheme(world.county, world.area_county.code)
    claim = submit(world.gw1, world.households["h1"].pk)
    with pytest.raises(Conflict):
        services.claim_approve(actor=world.county, claim_id=claim.pk, on=dt.date(YEAR, 2, 1))  # not surveyed
    with pytest.raises(Forbidden):
        services.claim_survey(
            actor=world.t1,
            claim_id=claim.pk,
            surveyed_on=dt.date(YEAR, 2, 1),
            notes="x",
            per_capita_income=D("1"),
        )
    with pytest.raises(ValidationFailed):
        services.claim_survey(
            actor=world.insurer,
            claim_id=claim.pk,
            surveyed_on=dt.date(YEAR - 1, 2, 1),
            notes="x",
            per_capita_income=D("1"),
        )  # before the application
    assert Claim.objects.get(pk=claim.pk).status == "submitted"


def test_publicity_required_by_the_county(world) -> None:
    scheme(world.county, world.area_county.code, publicity_required=True, publicity_days=5)
    claim = submit(world.gw1, world.households["h1"].pk)
    to_calculated(world, claim)
    with pytest.raises(ValidationFailed):
        services.claim_approve(actor=world.county, claim_id=claim.pk, on=dt.date(YEAR, 3, 5))
    services.claim_publicise(actor=world.v1, claim_id=claim.pk, on=dt.date(YEAR, 3, 5))
    with pytest.raises(ValidationFailed):
        services.claim_approve(actor=world.county, claim_id=claim.pk, on=dt.date(YEAR, 3, 8))
    services.claim_approve(actor=world.county, claim_id=claim.pk, on=dt.date(YEAR, 3, 10))
    assert Claim.objects.get(pk=claim.pk).status == "approved"


def test_who_sees_which_claims(world) -> None:
    s = scheme(world.county, world.area_county.code)
    c1 = submit(world.gw1, world.households["h1"].pk)
    c3 = submit(world.gw3, world.households["h3"].pk)
    picc = other_insurer(world.area_county.code)
    seen = {
        u: set(selectors.claims_visible(getattr(world, u)).values_list("pk", flat=True))
        for u in ("county", "t1", "t2", "gw1", "gw2", "insurer")
    }
    assert seen == {
        "county": {c1.pk, c3.pk},
        "t1": {c1.pk},
        "t2": {c3.pk},
        "gw1": {c1.pk},
        "gw2": set(),
        "insurer": {c1.pk, c3.pk},
    }
    assert not selectors.claims_visible(picc).exists()
    with pytest.raises(NotFound):
        selectors.claim_get(picc, c1.pk)
    with pytest.raises(NotFound):
        services.claim_survey(
            actor=picc, claim_id=c1.pk, surveyed_on=dt.date(YEAR, 2, 1), notes="x", per_capita_income=D("1")
        )
    assert selectors.scheme_get(world.insurer, s.pk) == s
    with pytest.raises(NotFound):
        selectors.scheme_get(picc, s.pk)


def test_household_claims_section_selector(world) -> None:
    scheme(world.county, world.area_county.code)
    c1 = submit(world.gw1, world.households["h1"].pk)
    assert [c.pk for c in selectors.claims_for_household(world.t1, world.households["h1"].pk)] == [c1.pk]
    for outsider in (world.t2, world.gw2):
        with pytest.raises(NotFound):
            selectors.claims_for_household(outsider, world.households["h1"].pk)


def test_premiums_fees_and_year_end_carry_over(world) -> None:
    s = scheme(world.county, world.area_county.code)
    services.premium_record(actor=world.county, scheme_id=s.pk, persons=1000, received_on=dt.date(YEAR, 1, 5))
    claim = to_approved(world, submit(world.gw1, world.households["h1"].pk))
    services.claim_pay(actor=world.insurer, claim_id=claim.pk, reference="TB1", paid_on=PAID)
    fund = selectors.fund_figures(s)
    assert fund.premiums == D("50000.00") and fund.balance == D("50000") - D("8120") - D("1218")
    assert fund.loss_ratio == D("0.1624")
    with pytest.raises(ValidationFailed):  # the year has not ended
        services.fund_settle(actor=world.county, scheme_id=s.pk, on=dt.date(YEAR, 6, 30))
    last = scheme(world.county, world.area_county.code, year=YEAR - 1)
    services.premium_record(actor=world.county, scheme_id=last.pk, persons=100, received_on=dt.date(YEAR - 1, 1, 5))
    services.fund_settle(actor=world.county, scheme_id=last.pk, on=dt.date(YEAR, 1, 15))
    assert selectors.fund_figures(last).balance == 0
    assert selectors.fund_figures(s).carried_in == D("5000.00")
    assert selectors.fund_figures(s).balance == D("50000") + D("5000") - D("8120") - D("1218")
    with pytest.raises(Conflict):
        services.fund_settle(actor=world.county, scheme_id=last.pk, on=dt.date(YEAR, 1, 16))
    with pytest.raises(Forbidden):  # t1 reads the county's scheme but may not book its money
        services.premium_record(actor=world.t1, scheme_id=s.pk, persons=1, received_on=dt.date(YEAR, 1, 5))
