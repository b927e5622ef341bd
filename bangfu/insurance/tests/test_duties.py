"""Claims duties apart: who surveyed or calculated a claim does not approve it without a delegation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from bangfu.accounts import services as accounts
from bangfu.accounts.domain.roles import Role
from bangfu.core.errors import Forbidden
from bangfu.core.models import AuditEvent
from bangfu.insurance import services
from bangfu.insurance.models import Claim, ClaimEvent
from bangfu.insurance.tests.helpers import YEAR, scheme, submit
from bangfu.testing import PASSWORD

pytestmark = pytest.mark.django_db


def _two_hats(world):
    """A user who is both the insurer's adjuster and a county approver (a small county's reality)."""
    u = accounts.user_create(username="both", password=PASSWORD, display_name="兼任人员")
    accounts.membership_grant(user=u, role=Role.INSURER, area_code=world.area_county.code, organisation="中国太保")
    accounts.membership_grant(user=u, role=Role.COUNTY_ADMIN, area_code=world.area_county.code)
    return u


def _calculated_by(world, user) -> Claim:
    scheme(world.county, world.area_county.code)
    claim = submit(world.gw1, world.households["h1"].pk)
    services.claim_survey(
        actor=user, claim_id=claim.pk, surveyed_on=dt.date(YEAR, 2, 20), notes="入户核实", per_capita_income=D("6500")
    )
    return services.claim_calculate(actor=user, claim_id=claim.pk, on=dt.date(YEAR, 3, 2))


def test_the_calculator_may_not_approve_the_same_claim(world) -> None:
    both = _two_hats(world)
    claim = _calculated_by(world, both)
    with pytest.raises(Forbidden) as exc:
        services.claim_approve(actor=both, claim_id=claim.pk, on=dt.date(YEAR, 3, 20))
    assert "核算" in exc.value.zh and "calculated" in exc.value.en
    claim.refresh_from_db()
    assert claim.status == "calculated" and claim.approved_on is None
    services.claim_approve(actor=world.county, claim_id=claim.pk, on=dt.date(YEAR, 3, 20))  # someone else may
    assert Claim.objects.get(pk=claim.pk).status == "approved"


def test_county_delegation_lets_the_calculator_approve_and_is_recorded(world) -> None:
    both = _two_hats(world)
    claim = _calculated_by(world, both)
    d = accounts.delegation_grant(
        actor=world.county,
        delegate_id=both.pk,
        duty_pair="claim.calculate-approve",
        area_code=world.area_county.code,
        valid_from=dt.date(YEAR, 3, 1),
        valid_to=dt.date(YEAR, 3, 31),
        reason="县防贫办仅一名审批人员，经局务会同意",
    )
    services.claim_approve(actor=both, claim_id=claim.pk, on=dt.date(YEAR, 3, 20))
    ev = ClaimEvent.objects.get(claim=claim, event="approve")
    assert ev.actor == both and ev.data["delegation"] == d.pk
    audit = AuditEvent.objects.get(action="claim_approve", object_id=str(claim.pk))
    assert audit.data["delegation"] == d.pk


def test_a_delegation_out_of_its_dates_does_not_count(world) -> None:
    both = _two_hats(world)
    claim = _calculated_by(world, both)
    accounts.delegation_grant(
        actor=world.county,
        delegate_id=both.pk,
        duty_pair="claim.calculate-approve",
        area_code=world.area_county.code,
        valid_from=dt.date(YEAR, 1, 1),
        valid_to=dt.date(YEAR, 2, 28),
        reason="一季度临时安排",
    )
    with pytest.raises(Forbidden):
        services.claim_approve(actor=both, claim_id=claim.pk, on=dt.date(YEAR, 3, 20))
    assert Claim.objects.get(pk=claim.pk).status == "calculated"
