"""The orders list filters by the day an order was placed (from/to, the list kit's DateRange) and keeps
its area; a mistyped date is shown beside its field in the reader's language, with what was typed (#16)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.utils import timezone

from bangfu.market.models import Order

pytestmark = pytest.mark.django_db


def _orders(market, client) -> tuple[Order, Order]:
    p = market.product
    for _ in range(2):
        r = client.post(
            "/market/orders/new/", {"enterprise": market.enterprise.pk, "buyer": market.buyer.pk, f"qty_{p.pk}": "1"}
        )
        assert r.status_code == 302
    early, late = Order.objects.order_by("pk")
    tz = timezone.get_current_timezone()
    Order.objects.filter(pk=early.pk).update(placed_at=dt.datetime(2026, 3, 10, 23, 30, tzinfo=tz))  # local evening
    Order.objects.filter(pk=late.pk).update(placed_at=dt.datetime(2026, 5, 2, 9, 0, tzinfo=tz))
    return early, late


def _shown(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'href="/market/orders/(\d+)/"', html)}


def test_orders_between_two_days_keep_the_area(market, client_for) -> None:
    w = market.world
    county = client_for(w.county)
    early, late = _orders(market, county)
    area = w.v1a.code
    html = county.get(f"/market/orders/?area={area}&from=2026-03-10&to=2026-03-10").content.decode()
    assert _shown(html) == {early.pk}  # 23:30 Beijing time is still the 10th
    assert 'value="2026-03-10"' in html and f'name="area" value="{area}"' in html  # the form keeps the area
    assert f"area={area}" in html and "from=2026-03-10" in html  # sort and page links keep both
    assert _shown(county.get("/market/orders/?from=2026-04-01").content.decode()) == {late.pk}
    assert _shown(county.get("/market/orders/?to=2026-04-01").content.decode()) == {early.pk}
    for outsider in (w.t2, w.gw2, market.rival):
        assert not _shown(client_for(outsider).get("/market/orders/?from=2026-01-01").content.decode())


def test_a_mistyped_date_is_shown_beside_its_field(market, client_for) -> None:
    w = market.world
    county = client_for(w.county)
    early, late = _orders(market, county)
    r = county.get("/market/orders/?from=2026-13-45&to=2026-05-02")
    html = r.content.decode()
    assert r.status_code == 200 and _shown(html) == {early.pk, late.pk}  # that end left open
    field = re.search(r'<label class="field">[^<]*<input name="from".*?</label>', html, re.S)
    assert field is not None and 'value="2026-13-45"' in field.group(0) and "开始日期" in field.group(0)
    assert 'class="errorlist"' in field.group(0)
    backwards = county.get("/market/orders/?from=2026-05-02&to=2026-03-10").content.decode()
    to_field = re.search(r'<label class="field">[^<]*<input name="to".*?</label>', backwards, re.S)
    assert to_field is not None and "结束日期不能早于开始日期" in to_field.group(0)
    county.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = county.get("/market/orders/?from=2026-13-45").content.decode()
    field = re.search(r'<label class="field">[^<]*<input name="from".*?</label>', english, re.S)
    assert (
        field is not None
        and "start date" in field.group(0).lower()
        and not re.search(r"[\u3400-\u9fff]", field.group(0))
    )
