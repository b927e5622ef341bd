"""The newer dashboard figures (insurance, relocation jobs, workshops, sales, visits): counted by the
source apps' batch selectors, rolled up, shown as tiles that lead to the lists behind them."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from bangfu.analytics import services
from bangfu.analytics.models import IndicatorValue
from bangfu.insurance import services as insurance
from bangfu.insurance.tests.helpers import YEAR, scheme, submit, to_approved

pytestmark = pytest.mark.django_db
AS_OF = dt.date(YEAR, 6, 30)


def tile(html: str, key: str) -> str:
    found = re.search(rf'data-key="{re.escape(key)}"><b>([\d.,]+)(?:<small>[^<]*</small>)?</b>', html)
    assert found, key
    return found.group(1)


@pytest.fixture
def insured(world):
    s = scheme(world.county, world.area_county.code)
    insurance.premium_record(actor=world.county, scheme_id=s.pk, persons=1000, received_on=dt.date(YEAR, 1, 5))
    claim = to_approved(world, submit(world.gw1, world.households["h1"].pk))
    insurance.claim_pay(actor=world.insurer, claim_id=claim.pk, reference="TB1", paid_on=dt.date(YEAR, 4, 3))
    services.indicators_refresh(as_of=AS_OF)
    return world


def cached(unit: str, key: str) -> Decimal | None:
    row = IndicatorValue.objects.filter(unit=unit, key=key).first()
    return row.value if row else None


def test_payouts_roll_up_and_the_fund_sits_at_the_county(insured):
    w = insured
    assert cached(w.v1a.code, "claims.paid") == Decimal("8120.00")
    assert cached(w.area_t1.code, "claims.paid") == cached("510000000000", "claims.paid") == Decimal("8120.00")
    balance = Decimal("50000") - Decimal("8120") - Decimal("1218")
    assert cached(w.area_county.code, "fund.balance") == cached("510000000000", "fund.balance") == balance
    assert cached(w.area_t1.code, "fund.balance") is None  # a fund is the county's, not a township's
    assert cached(f"grid:{w.g1.pk}", "claims.paid_count") == 1


def test_partial_refresh_keeps_the_fund_of_the_county(insured):
    services.indicators_refresh(area_code=insured.area_t2.code, as_of=AS_OF)
    assert cached(insured.area_county.code, "fund.balance") == Decimal("50000") - Decimal("8120") - Decimal("1218")
    assert cached(insured.area_county.code, "claims.paid") == Decimal("8120.00")


def test_tiles_link_to_the_lists_behind_them(insured, client_for):
    html = client_for(insured.county).get("/").content.decode()
    assert tile(html, "claims.paid") == "8,120.00" and tile(html, "claims.paid_count") == "1"
    assert "/insurance/?status=paid" in html and "/insurance/schemes/" in html
    assert 'data-key="visits.due"' in html and "/cases/grid/compliance/" in html
    # a county with no relocation site, workshop or sale is not shown cards of zeros (review, journey 1)
    assert 'data-section="relocation.with_labour"' not in html and 'data-section="sales.total"' not in html


def test_the_relocation_and_sales_cards_show_where_there_is_anything(insured, client_for):
    IndicatorValue.objects.create(
        unit=insured.area_county.code, key="workshops", period=str(YEAR), value=2, computed_at=timezone.now()
    )
    html = client_for(insured.county).get("/").content.decode()
    assert 'data-key="relocation.met"' in html and 'data-key="workers"' in html and "/employment/" in html
    assert 'data-section="sales.total"' not in html


def test_access_trio_on_the_new_figures(insured, client_for):
    before = IndicatorValue.objects.count()
    t1 = client_for(insured.t1).get(f"/?area={insured.area_t1.code}").content.decode()
    assert tile(t1, "claims.paid") == "8,120.00"
    assert client_for(insured.t2).get(f"/?area={insured.area_t1.code}").status_code == 404
    assert client_for(insured.gw2).get(f"/?area={insured.area_t1.code}").status_code == 404
    gw2 = client_for(insured.gw2).get("/?view=dashboard").content.decode()
    assert tile(gw2, "claims.paid") == "0.00"  # g1's claim is not on another grid's dashboard
    assert IndicatorValue.objects.count() == before


def test_every_figure_of_the_county_dashboard_opens_its_list(insured, client_for):
    client = client_for(insured.county)
    html = client.get("/").content.decode()
    links = set(re.findall(r'<a class="stat" href="([^"]+)"', html))
    assert len(links) >= 10
    for url in links:
        assert client.get(url.replace("&amp;", "&")).status_code == 200, url
