"""The insurance demo on top of the demo base: story B pays exactly 8,120.00, once, January → April."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal as D

import pytest

from bangfu.demo import base
from bangfu.demo.context import DemoContext
from bangfu.demo.domain.story_b import story_year
from bangfu.insurance import demo, selectors
from bangfu.insurance.models import Claim, Payment
from bangfu.registry import selectors as registry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("today", "year"), [(dt.date(2026, 11, 29), 2026), (dt.date(2027, 2, 1), 2026)])
def test_story_year_is_the_last_year_whose_april_is_past(today: dt.date, year: int) -> None:
    assert story_year(today) == year


def test_demo_loads_story_b_and_synthetic_claims() -> None:
    ctx = DemoContext(today=dt.date(2026, 11, 29), rng=random.Random(20201201))
    base.load(ctx, households=120)
    demo.load(ctx)
    claim = ctx.extra["B_claim"]
    d = selectors.claim_detail(ctx.users["gannan_admin"], claim.pk)
    assert d.claim.payout == D("8120.00") and d.claim.status == "paid"
    assert d.payment is not None and d.payment.paid_on == dt.date(2026, 4, 3)
    assert d.claim.applied_on.month == 1 and d.days_to_pay == 79
    assert [e.event for e in d.events] == ["submit", "survey", "calculate", "publicise", "approve", "pay"]
    assert Payment.objects.filter(claim=claim).count() == 1
    st = registry.statement_for(ctx.users["gannan_admin"], ctx.households["B"].pk, 2026)
    assert st is not None and st.items.get(source="insurance").amount == D("8120.00")
    assert Claim.objects.count() >= 6 and Claim.objects.filter(status="paid").count() > 1
    fund = selectors.fund_figures(d.claim.scheme)
    assert fund.premiums > 0 and fund.payouts == sum(p.amount for p in Payment.objects.all())
    # The story's grid worker and the insurer see the claim; another county's admin does not.
    assert selectors.claims_visible(ctx.users["zhoujingcai"]).filter(pk=claim.pk).exists()
    assert selectors.claims_visible(ctx.users["gannan_insurer"]).filter(pk=claim.pk).exists()
    assert not selectors.claims_visible(ctx.users["mabian_admin"]).exists()
