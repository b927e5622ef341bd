"""Exactly-once payment under real concurrency (PostgreSQL: row locks; SQLite serialises anyway).

Each thread has its own database connection and commits for real, so the test runs with
TransactionTestCase semantics (transaction=True) and cleans up by flushing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from bangfu.core.errors import ApplicationError
from bangfu.insurance import services
from bangfu.insurance.models import Claim, ClaimEvent, LedgerEntry, Payment
from bangfu.insurance.tests.helpers import PAID, YEAR, scheme, submit, to_calculated
from bangfu.testing.concurrency import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def _postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL (set DATABASE_URL)")


@pytest.mark.usefixtures("_postgres")
def test_concurrent_payment_requests_pay_once(world) -> None:
    import datetime as dt

    scheme(world.county, world.area_county.code)
    claim = to_calculated(world, submit(world.gw1, world.households["h1"].pk))
    services.claim_approve(actor=world.county, claim_id=claim.pk, on=dt.date(YEAR, 3, 20))

    def pay(ref: str) -> Callable[[], Any]:
        return lambda: services.claim_pay(actor=world.insurer, claim_id=claim.pk, reference=ref, paid_on=PAID)

    results = race([pay(f"TB-{i}") for i in range(6)])
    paid = [r for r in results if isinstance(r, Payment)]
    refused = [r for r in results if isinstance(r, ApplicationError)]
    assert len(paid) == 1 and len(refused) == 5, results
    assert all(r.status == 409 for r in refused)
    assert Payment.objects.filter(claim=claim).count() == 1
    assert LedgerEntry.objects.filter(claim=claim, kind="payout").count() == 1
    assert ClaimEvent.objects.filter(claim=claim, event="pay").count() == 1


@pytest.mark.usefixtures("_postgres")
def test_concurrent_approvals_approve_once(world) -> None:
    import datetime as dt

    scheme(world.county, world.area_county.code)
    claim = to_calculated(world, submit(world.gw1, world.households["h1"].pk))

    def approve() -> Claim:
        return services.claim_approve(actor=world.county, claim_id=claim.pk, on=dt.date(YEAR, 3, 20))

    results = race([approve for _ in range(4)])
    assert sum(isinstance(r, Claim) for r in results) == 1, results
    assert ClaimEvent.objects.filter(claim=claim, event="approve").count() == 1


@pytest.mark.usefixtures("_postgres")
def test_the_same_bill_filed_twice_at_once_makes_one_claim(world) -> None:
    """The household row lock serialises filing, so the second identical claim sees the first."""
    scheme(world.county, world.area_county.code)
    h1 = world.households["h1"].pk
    results = race([lambda: submit(world.gw1, h1), lambda: submit(world.county, h1), lambda: submit(world.t1, h1)])
    made = [r for r in results if isinstance(r, Claim)]
    refused = [r for r in results if isinstance(r, ApplicationError)]
    assert len(made) == 1 and len(refused) == 2, results
    assert all(r.code == "duplicate_claim" for r in refused)
    assert Claim.objects.filter(household_id=h1).count() == 1
