"""/api/v1/analytics/: indicators of an area, report downloads and the timeline, with the access trio."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from python_calamine import CalamineWorkbook

from bangfu.analytics import services
from bangfu.analytics.models import IndicatorRun, IndicatorValue
from bangfu.core.models import PiiView

pytestmark = pytest.mark.django_db
API = "/api/v1/analytics"


@pytest.fixture
def refreshed(county):
    services.indicators_refresh()
    return county


def test_indicators_of_an_area_with_its_children(refreshed, api_for):
    body = api_for(refreshed.county).get(f"{API}/indicators").json()
    assert body["place"]["code"] == refreshed.area_county.code and float(body["values"]["households"]) == 4
    assert [c["place"]["code"] for c in body["children"]] == [refreshed.area_t1.code, refreshed.area_t2.code]
    assert len(body["trend"]) == 12
    t1 = api_for(refreshed.t1).get(f"{API}/indicators?area={refreshed.area_t1.code}").json()
    assert float(t1["values"]["monitored"]) == 2


def test_access_trio_on_indicators(refreshed, api_for):
    before = (IndicatorValue.objects.count(), IndicatorRun.objects.count())
    assert api_for(refreshed.t1).get(f"{API}/indicators?area={refreshed.area_t1.code}").status_code == 200
    assert api_for(refreshed.t2).get(f"{API}/indicators?area={refreshed.area_t1.code}").status_code == 404
    assert api_for(refreshed.gw2).get(f"{API}/indicators?area={refreshed.area_t1.code}").status_code == 404
    gw2 = api_for(refreshed.gw2).get(f"{API}/indicators").json()
    assert gw2["place"]["level"] == "grid" and float(gw2["values"]["households"]) == 1
    assert (IndicatorValue.objects.count(), IndicatorRun.objects.count()) == before


def test_report_download_and_access_trio(refreshed, api_for):
    ok = api_for(refreshed.t1).get(f"{API}/reports/monitored.xlsx?area={refreshed.area_t1.code}")
    assert ok.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(ok.content)).get_sheet_by_name("监测对象花名册").to_python()
    assert rows[0] == [f"监测对象花名册（{timezone.localdate().year}年）"] + [""] * (len(rows[0]) - 1)
    rows = rows[rows.index([""] * len(rows[0])) + 1 :]  # the table, below the title lines
    assert [r[0] for r in rows[1:]] == [refreshed.households["h1"].number, refreshed.households["h4"].number]
    logged = PiiView.objects.count()
    for outsider in (refreshed.t2, refreshed.gw2):
        assert api_for(outsider).get(f"{API}/reports/monitored.xlsx?area={refreshed.area_t1.code}").status_code == 404
    assert api_for(refreshed.t1).get(f"{API}/reports/nothing.xlsx").status_code == 404
    bad = api_for(refreshed.t1).get(f"{API}/reports/measures.xlsx?year=abc")
    assert bad.status_code == 400 and "four digits" in bad.content.decode()  # core.params, as the page
    assert PiiView.objects.count() == logged


def test_timeline_and_access_trio(refreshed, api_for):
    h1 = refreshed.households["h1"]
    events = api_for(refreshed.t1).get(f"{API}/households/{h1.pk}/timeline").json()
    assert events[0]["kind"] == "warning" and any(e["title"].startswith("纳入监测") for e in events)
    for outsider in (refreshed.t2, refreshed.gw2, refreshed.insurer):
        assert api_for(outsider).get(f"{API}/households/{h1.pk}/timeline").status_code == 404
