"""The household timeline: case steps, measures, claims, jobs, wages, training, dividends and sales
income gathered from each module's scoped selectors; the link on the registry's household page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from bangfu.analytics import selectors
from bangfu.analytics.timeline import household_timeline
from bangfu.casework import services as casework
from bangfu.core.domain.credit_code import make
from bangfu.core.errors import NotFound
from bangfu.insurance import services as insurance
from bangfu.insurance.tests.helpers import YEAR, scheme, submit, to_approved
from bangfu.market import services as market

pytestmark = pytest.mark.django_db


@pytest.fixture
def lived(county):
    """county + a measure on h2's case, a paid claim of h1 and an enterprise paying h1 a wage."""
    w = county
    today = timezone.localdate()
    casework.measure_add(
        actor=w.t1, case=w.case, category="health", title="大病救助", responsible="李四", starts_on=today, amount="3000"
    )
    scheme(w.county, w.area_county.code)
    claim = to_approved(w, submit(w.gw1, w.households["h1"].pk))
    insurance.claim_pay(actor=w.insurer, claim_id=claim.pk, reference="TB1", paid_on=dt.date(YEAR, 4, 3))
    e = market.enterprise_create(
        actor=None, name="雪口山特产合作社", kind="cooperative", credit_code=make("93", "511133", "MA6XYW001"),
        area_code=w.v1a.code, leader="阿说",
    )  # fmt: skip
    h1 = w.households["h1"]
    market.household_link_create(actor=w.county, enterprise=e, household_id=h1.pk, kind="employment", start=today)
    market.payment_record(
        actor=None, enterprise=e, household_id=h1.pk, kind="wage", amount=Decimal("900"), paid_on=today
    )
    return w


def test_case_steps_and_measures_are_on_the_timeline(lived):
    _h, events = household_timeline(lived.t1, lived.households["h2"].pk)
    kinds = {(e.kind, e.title) for e in events}
    assert ("measure", "帮扶措施：大病救助") in kinds
    assert any(k == "case" and t.startswith("监测程序：") for k, t in kinds)
    measure = next(e for e in events if e.kind == "measure")
    assert measure.amount == Decimal("3000.00")


def test_claims_and_sales_income_appear_once(lived):
    _h, events = household_timeline(lived.t1, lived.households["h1"].pk)
    sales = [e for e in events if e.kind == "sales"]
    assert [e.amount for e in sales] == [Decimal("900.00")]
    assert not any(e.kind == "income" and e.amount == Decimal("900.00") for e in events)  # not again as income
    assert [e.amount for e in events if e.title == "理赔到账"] == [Decimal("8120.00")]
    assert [e.on for e in events] == sorted((e.on for e in events), reverse=True)


def test_access_trio_on_the_timeline_events(lived, client_for):
    h1 = lived.households["h1"]
    html = client_for(lived.t1).get(f"/households/{h1.pk}/timeline/").content.decode()
    assert "雪口山特产合作社" in html and "理赔到账" in html
    for outsider in (lived.t2, lived.gw2):
        with pytest.raises(NotFound):
            household_timeline(outsider, h1.pk)
        assert client_for(outsider).get(f"/households/{h1.pk}/timeline/").status_code == 404


def test_household_page_links_to_the_timeline(lived, client_for):
    h1 = lived.households["h1"]
    section = selectors.household_section(lived.t1, h1.pk)
    assert section is not None and section["context"] == {"url": f"/households/{h1.pk}/timeline/"}
    page = client_for(lived.t1).get(f"/registry/households/{h1.pk}/").content.decode()
    assert f'href="/households/{h1.pk}/timeline/" data-timeline' in page
    assert selectors.household_section(lived.t2, h1.pk) is None
    assert selectors.household_section(lived.gw2, h1.pk) is None
    assert selectors.household_section(lived.insurer, h1.pk) is None


def test_jobs_and_wages_from_employment(world, client_for):
    from bangfu.employment import services as employment
    from bangfu.employment.tests.conftest import hire
    from bangfu.employment.tests.conftest import story as story_fixture
    from bangfu.registry import selectors as registry

    story = story_fixture.__wrapped__(world)  # type: ignore[attr-defined]
    member = registry.members_of(world.county, story.a.pk)[0]
    c = hire(world.t1, story, member, start="2025-01-01", probation_months=0)
    employment.payslip_record(
        actor=world.t1, contract=c, month=dt.date(2025, 3, 1), scheduled_days=22, days_worked=22, pieces=100
    )
    _h, events = household_timeline(world.t1, story.a.pk)
    assert ("job", "就业：雪口山乡扶贫工厂 缝纫工") in {(e.kind, e.title) for e in events}
    assert [e.amount for e in events if e.kind == "wage"] == [Decimal("1500.00")]
    assert not any(e.kind == "income" and e.amount == Decimal("1500.00") for e in events)
