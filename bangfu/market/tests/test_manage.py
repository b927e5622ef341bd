"""Form pages (enterprise, counterpart, household link, yearly figures, buyers and targets, parameters),
photos and Excel exports, each with the access trio: the county officer changes; the neighbouring
township's officer (t2), another grid's worker (gw2) and the rival enterprise get 404 and nothing changes."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from decimal import Decimal

import pytest
from django.test import Client
from python_calamine import CalamineWorkbook

from bangfu.core.domain.credit_code import make
from bangfu.market import services
from bangfu.market.domain.photos import MAX_PHOTO_BYTES
from bangfu.market.models import (
    Buyer,
    CounterpartLink,
    Enterprise,
    EnterpriseYear,
    HouseholdLink,
    MarketParameter,
    ProcurementTarget,
    Product,
)
from bangfu.market.tests.conftest import new_product, sector_officer
from bangfu.registry import selectors as registry

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def outsiders(market):
    return (market.world.t2, market.world.gw2, market.rival)


def test_register_enterprise_page(market, client_for):
    w = market.world
    code = make("91", "511133", "MA6XYW777")
    data = {"name": "雪口山青稞公司", "credit_code": code, "area_code": w.v1b.code, "kind": "company", "leader": "吉石"}
    for user in (w.t2, w.gw2):
        assert client_for(user).get("/market/enterprises/new/").status_code == 404
        assert client_for(user).post("/market/enterprises/new/", data).status_code in (403, 404)
    assert client_for(w.t1).post("/market/enterprises/new/", data).status_code in (403, 404)  # no officer area at all
    assert not Enterprise.objects.filter(credit_code=code).exists()
    county = client_for(w.county)
    r = county.post("/market/enterprises/new/", dict(data, credit_code=code[:-1] + "0"))
    assert r.status_code == 422 and 'id="field-credit_code"' in r.content.decode()
    assert "校验" in r.content.decode().split('id="field-credit_code"')[1].split("</label>")[0]
    r = county.post("/market/enterprises/new/", data)
    e = Enterprise.objects.get(credit_code=code)
    assert r.status_code == 302 and r["Location"] == f"/market/enterprises/{e.pk}/"
    assert e.area_id == w.v1b.code and e.leader == "吉石"


def test_edit_enterprise_page(market, client_for):
    w, e = market.world, market.enterprise
    data = {
        "name": "雪口山特产专业合作社",
        "kind": "cooperative",
        "leader": "阿说",
        "phone": "0833-1",
        "reason": "更名",
    }
    for user in outsiders(market):
        assert client_for(user).get(f"/market/enterprises/{e.pk}/edit/").status_code == 404
        assert client_for(user).post(f"/market/enterprises/{e.pk}/edit/", data).status_code in (403, 404)
    for user in (w.t1, market.owner):  # they see the enterprise, but registration is the county's
        assert client_for(user).post(f"/market/enterprises/{e.pk}/edit/", data).status_code == 403
    assert Enterprise.objects.get(pk=e.pk).name == "雪口山特产合作社"
    county = client_for(w.county)
    assert "雪口山特产合作社" in county.get(f"/market/enterprises/{e.pk}/edit/").content.decode()
    r = county.post(f"/market/enterprises/{e.pk}/edit/", dict(data, leader=" "))
    assert r.status_code == 422 and "请填写负责人" in r.content.decode()
    assert county.post(f"/market/enterprises/{e.pk}/edit/", data).status_code == 302
    assert Enterprise.objects.get(pk=e.pk).name == "雪口山特产专业合作社"


def test_counterpart_page(market, client_for):
    e = market.enterprise
    url = f"/market/enterprises/{e.pk}/counterparts/new/"
    data = {"partner": "福建省援藏工作队", "partner_province": "福建", "kind": "对口援藏", "start": "2016-07-01"}
    for user in outsiders(market):
        assert client_for(user).post(url, data).status_code in (403, 404)
    assert client_for(market.owner).post(url, data).status_code == 403
    assert not CounterpartLink.objects.exists()
    county = client_for(market.world.county)
    r = county.post(url, dict(data, end="2015-01-01"))
    assert r.status_code == 422 and "结束日期不能早于开始日期" in r.content.decode()
    assert county.post(url, data).status_code == 302
    assert "福建省援藏工作队" in county.get(f"/market/enterprises/{e.pk}/").content.decode()


def test_household_link_by_id_number(market, client_for):
    w, e = market.world, market.enterprise
    h1, h3 = w.households["h1"], w.households["h3"]
    id_in = registry.member_full_id(w.county, h1.members.first())
    id_other = registry.member_full_id(w.county, h3.members.first())  # 民主村, another township of the county
    url = f"/market/enterprises/{e.pk}/households/new/"
    data = {"id_number": id_in, "kind": "employment", "start": "2019-03-01", "note": "包装"}
    for user in outsiders(market):
        assert client_for(user).post(url, data).status_code in (403, 404)
    assert client_for(market.owner).post(url, data).status_code == 403
    assert not HouseholdLink.objects.exists()
    county = client_for(w.county)
    r = county.post(url, dict(data, id_number="511133196001010000"))
    html = r.content.decode()
    assert r.status_code == 422 and "未找到该身份证号" in html and "511133196001010000" not in html
    assert county.post(url, data).status_code == 302
    assert county.post(url, dict(data, id_number=id_other)).status_code == 302  # the county sees 民主村 too
    assert set(HouseholdLink.objects.values_list("household_id", flat=True)) == {h1.pk, h3.pk}
    r = county.post(url, data)
    assert r.status_code == 409 and "已有相同方式的有效联结" in r.content.decode()


def test_yearly_figures_page(market, client_for):
    w, e = market.world, market.enterprise
    url = f"/market/enterprises/{e.pk}/years/new/"
    data = {"year": "2019", "output_value": "6200000", "revenue": "6000000", "profit": "1600000"}
    for user in outsiders(market):
        assert client_for(user).post(url, data).status_code in (403, 404)
    assert client_for(w.t1).get(url).status_code == 403
    assert client_for(w.t1).post(url, data).status_code == 403
    assert not EnterpriseYear.objects.exists()
    owner = client_for(market.owner)
    r = owner.post(url, dict(data, output_value="六百万"))
    assert r.status_code == 422 and "产值应为数字" in r.content.decode()
    r = owner.post(url, data)
    assert r.status_code == 302 and "year=2019" in r["Location"]
    html = client_for(w.county).get(f"/market/enterprises/{e.pk}/?year=2019").content.decode()
    assert "6,200,000.00" in html and "1,600,000.00" in html


def test_buyer_and_target_pages(market, client_for):
    w = market.world
    data = {"name": "马边县总工会", "kind": "union", "area_code": w.area_county.code, "contact": "李"}
    for user in (w.t2, w.gw2, market.rival):
        assert client_for(user).post("/market/buyers/new/", data).status_code in (403, 404)
    assert not Buyer.objects.filter(name="马边县总工会").exists()
    county = client_for(w.county)
    assert county.post("/market/buyers/new/", data).status_code == 302
    b = Buyer.objects.get(name="马边县总工会")
    assert not b.has_canteen  # the box was not ticked
    url = f"/market/buyers/{market.buyer.pk}/targets/"
    target = {"year": "2020", "canteen_purchases": "800000", "share": ""}
    for user in (w.t2, w.gw2, market.rival):
        assert client_for(user).post(url, target).status_code in (403, 404)
    assert client_for(w.t1).post(url, target).status_code == 403
    assert not ProcurementTarget.objects.exists()
    r = county.post(url, dict(target, share="10"))
    assert r.status_code == 422 and "比例应在0到1之间" in r.content.decode()
    assert county.post(url, target).status_code == 302
    t = ProcurementTarget.objects.get()
    assert t.share == Decimal("0.1000") and t.canteen_purchases == Decimal("800000")  # share from the parameter
    html = county.get("/market/buyers/?year=2020").content.decode()
    assert "80,000.00" in html


def test_parameter_page(market, client_for):
    w = market.world
    data = {"area_code": w.area_t1.code, "key": "cert_validity_months", "value": "12", "effective_from": "2021-01-01"}
    before = MarketParameter.objects.count()
    for user in (w.t1, w.t2, w.gw2, market.rival):
        assert client_for(user).get("/market/parameters/").status_code == 404
        assert client_for(user).post("/market/parameters/", data).status_code in (403, 404)
    assert MarketParameter.objects.count() == before
    county = client_for(w.county)
    r = county.post("/market/parameters/", dict(data, value="1.5"))
    assert r.status_code == 422 and "正整数月数" in r.content.decode()
    assert county.post("/market/parameters/", data).status_code == 302
    html = county.get("/market/parameters/").content.decode()
    assert "认定有效期(月)" in html and "雪口山乡" in html and MarketParameter.objects.count() == before + 1


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return tmp_path


def _upload(client, pk, content, name="a.png"):
    f = io.BytesIO(content)
    f.name = name
    return client.post(f"/market/products/{pk}/photo/", {"photo": f}, follow=True)


def test_photo_upload_and_public_serving(market, client_for, media, django_capture_on_commit_callbacks):
    p = market.product
    for user in outsiders(market):
        assert _upload(client_for(user), p.pk, PNG).status_code in (403, 404)
    assert _upload(client_for(market.world.t1), p.pk, PNG).status_code == 403
    assert not Product.objects.get(pk=p.pk).photo
    owner = client_for(market.owner)
    for hostile in (b"MZ\x90\x00 not an image", b"<html><script>alert(1)</script>", b"<svg onload=alert(1)>"):
        r = _upload(owner, p.pk, hostile, "evil.png")
        assert "只能上传JPEG、PNG或WebP" in r.content.decode() and not Product.objects.get(pk=p.pk).photo
    r = _upload(owner, p.pk, PNG + b"\x00" * MAX_PHOTO_BYTES, "big.png")
    assert "超过2MB" in r.content.decode() and not Product.objects.get(pk=p.pk).photo
    assert "图片已上传" in _upload(owner, p.pk, JPEG, "photo.png").content.decode()
    stored = Product.objects.get(pk=p.pk).photo.name or ""
    assert stored.endswith(".jpg") and (media / stored).read_bytes() == JPEG  # named by content, not by upload
    r = Client().get(f"/market/photos/{p.pk}/")  # catalogue product: no login
    assert r.status_code == 200 and r["Content-Type"] == "image/jpeg" and b"".join(r.streaming_content) == JPEG  # type: ignore[attr-defined]
    assert "public" in r["Cache-Control"]  # a catalogue photo may be kept by shared caches
    assert r["X-Content-Type-Options"] == "nosniff" and r["Content-Security-Policy"].startswith("sandbox")
    assert f"/market/photos/{p.pk}/" in Client().get("/market/catalogue/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        _upload(owner, p.pk, PNG)
    assert not (media / stored).exists()  # the replaced file is gone


def test_photo_of_uncertified_product_is_not_public(market, client_for, media):
    p = new_product(market.enterprise, "花椒", "调味品", Decimal("60"), market.today)
    _upload(client_for(market.owner), p.pk, PNG)
    assert Client().get(f"/market/photos/{p.pk}/").status_code == 404
    assert client_for(market.world.t2).get(f"/market/photos/{p.pk}/").status_code == 404
    own = client_for(market.owner).get(f"/market/photos/{p.pk}/")
    assert own.status_code == 200
    assert "private" in own["Cache-Control"] and "public" not in own["Cache-Control"]  # no proxy keeps it
    assert "no-store" in own["Cache-Control"] and own["Content-Security-Policy"].startswith("sandbox")
    # the sector bureau sees the photo of a product it reviews, once the township routed it there
    agri = sector_officer("agri", market.world.area_county.code)
    c = services.certification_apply(actor=None, product=p, applied_on=market.today)
    assert client_for(agri).get(f"/market/photos/{p.pk}/").status_code == 404
    services.certification_decide(actor=market.world.t1, certification=c, decision="pass", sector="agriculture")
    assert client_for(agri).get(f"/market/photos/{p.pk}/").status_code == 200
    assert (
        client_for(sector_officer("culture", market.world.area_county.code, "文化和旅游"))
        .get(f"/market/photos/{p.pk}/")
        .status_code
        == 404
    )


def _sheets(content: bytes) -> dict[str, list[list]]:
    wb = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return {n: wb.get_sheet_by_name(n).to_python() for n in wb.sheet_names}


def _sell(market, product, day, channel, amount, **kw):
    return services.sale_record(
        actor=None,
        product=product,
        day=day,
        channel=channel,
        quantity=Decimal("1"),
        amount=Decimal(amount),
        from_stock=False,
        **kw,
    )


def test_sales_exports_are_scoped(market, client_for):
    w, e, p = market.world, market.enterprise, market.product
    year = market.today.year
    day = dt.date(year, 1, 15)
    ev = services.sales_event_create(actor=None, enterprise=e, name="年货节", start=day, end=day, places=["马边"])
    _sell(market, p, day, "fair", "300.00", event=ev, place="马边")
    _sell(market, p, day, "livestream", "120.50", platform="抖音")
    tea = services.product_create(
        actor=None, enterprise=market.other, name="绿茶", category="茶叶", unit="jin", price=Decimal(80), price_from=day
    )
    _sell(market, tea, day, "counter", "999.00")
    url = f"/market/enterprises/{e.pk}/sales.xlsx?year={year}"
    for user in outsiders(market):
        assert client_for(user).get(url).status_code == 404
    r = client_for(market.owner).get(url)
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    sheets = _sheets(r.content)
    assert sorted(sheets["按渠道"][1:]) == [["展销会", 300.0], ["直播带货", 120.5]]
    assert sheets["按活动"][1:] == [["年货节", 300.0], ["（无活动）", 120.5]]
    assert sheets["按月份"][1:] == [[f"{year}-01", 420.5]]
    assert len(sheets["销售明细"]) == 3 and "绿茶" not in str(sheets)
    county = _sheets(client_for(w.county).get(f"/market/sales.xlsx?year={year}").content)
    assert sorted(r[0] for r in county["按产品"][1:]) == ["绿茶", "苦荞茶"]
    township2 = _sheets(client_for(w.t2).get(f"/market/sales.xlsx?year={year}").content)
    assert [r[0] for r in township2["按产品"][1:]] == ["绿茶"]  # t2 sees its own township only
    assert client_for(w.gw2).get(f"/market/sales.xlsx?year={year}").status_code == 404


def test_enterprise_page_has_self_hosted_charts(market, client_for):
    e, p = market.enterprise, market.product
    _sell(market, p, market.today, "counter", "40.00")
    html = client_for(market.owner).get(f"/market/enterprises/{e.pk}/").content.decode()
    assert 'id="chart-channel"' in html and 'id="chart-month"' in html
    assert "vendor/echarts-5.6.0.min.js" in html and "market/charts.js" in html
    # nothing loaded from another host (a plain "cdn" search also hit the random CSRF token now and then)
    assert not re.search(r'(src|href)="(https?:)?//', html)
    data = json.loads(html.split('id="market-charts" type="application/json">')[1].split("</script>")[0])
    assert data["channel"] == {"names": ["专柜门店"], "values": ["40.00"]}
    assert data["month"] == {"names": [market.today.strftime("%Y-%m")], "values": ["40.00"]}
