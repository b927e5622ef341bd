"""Dashboard, reports and timeline pages, each with the access trio of design guide §7."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from python_calamine import CalamineWorkbook

from bangfu.analytics import services
from bangfu.analytics.models import IndicatorValue
from bangfu.analytics.views import list_url
from bangfu.core.models import PiiView

pytestmark = pytest.mark.django_db


@pytest.fixture
def refreshed(county):
    services.indicators_refresh()
    return county


def tile(html: str, key: str) -> str:
    """The number shown on the figure tile with data-key=key."""
    found = re.search(rf'data-key="{re.escape(key)}"><b>([\d,.]+)(?:万)?(?:<small>[^<]*</small>)?</b>', html)
    assert found, key
    return found.group(1)


def test_county_dashboard_shows_cached_figures_with_links(refreshed, client_for):
    html = client_for(refreshed.county).get("/").content.decode()
    assert "马边彝族自治县" in html and tile(html, "households") == "4"
    assert tile(html, "monitored") == "3"
    # the tiles link with the area, which every list keeps as a removable filter (issue #16)
    assert "/registry/households/?flag=monitored&amp;area=511133000000" in html
    assert "/monitoring/?status=active&amp;area=511133000000" in html
    assert "?area=511133100000" in html and "雪口山乡" in html  # drill-down to the townships
    assert "vendor/echarts-5.6.0.min.js" in html and "cdn" not in html.lower()


def test_dashboard_reads_only_the_cache(refreshed, client_for):
    client = client_for(refreshed.county)
    client.get("/")  # session and membership look-ups warm up
    with CaptureQueriesContext(connection) as q:
        assert client.get("/?area=511133100000").status_code == 200
    assert not any("registry_household" in x["sql"] for x in q.captured_queries)
    assert len(q.captured_queries) <= 12


def test_drill_down_to_a_township_and_village(refreshed, client_for):
    client = client_for(refreshed.county)
    township = client.get("/?area=511133100000").content.decode()
    assert tile(township, "households") == "3" and "羊店儿村" in township and "黎明村" in township
    village = client.get(f"/?area={refreshed.v1b.code}").content.decode()
    assert tile(village, "relocated") == "1"
    crumbs = village.split('class="crumbs"', 1)[1].split("</nav>", 1)[0]  # 首页 › 雪口山乡 › 黎明村
    assert '<a href="/">首页</a>' in crumbs and '<a href="?area=511133100000">雪口山乡</a>' in crumbs
    assert '<span aria-current="page">黎明村</span>' in crumbs


def test_access_trio_on_the_dashboard(refreshed, client_for):
    before = IndicatorValue.objects.count()
    t1 = client_for(refreshed.t1).get("/?area=511133100000")
    assert t1.status_code == 200 and tile(t1.content.decode(), "households") == "3"
    assert client_for(refreshed.t2).get("/?area=511133100000").status_code == 404
    assert client_for(refreshed.gw2).get("/?area=511133100000").status_code == 404
    assert client_for(refreshed.gw2).get(f"/?area={refreshed.v1a.code}").status_code == 404
    assert client_for(refreshed.t1).get("/?area=511133200000").status_code == 404
    assert IndicatorValue.objects.count() == before


def test_grid_worker_sees_their_grid(refreshed, client_for):
    html = client_for(refreshed.gw1).get("/?view=dashboard").content.decode()
    assert "羊店儿村第一网格" in html and tile(html, "monitored") == "1"
    assert f"grid={refreshed.g1.pk}" in html


def test_roles_without_people_data_get_their_menu(refreshed, client_for):
    html = client_for(refreshed.insurer).get("/").content.decode()
    assert "您好" in html and "data-key" not in html


def test_dashboard_before_the_first_refresh_says_how(county, client_for):
    html = client_for(county.county).get("/").content.decode()
    assert "bangfu indicators" in html


def test_list_url_is_empty_until_the_module_has_the_page():
    assert list_url("no.such.indicator", [("village", "511133")]) == ""
    assert list_url("cases.overdue", [("village", "511133")]) == "/cases/?overdue=1&village=511133"


def _sheet(content: bytes) -> list[list[Any]]:
    """The roster's table (below its title lines and a blank line)."""
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name("监测对象花名册").to_python()
    return rows[next(i for i, r in enumerate(rows) if not any(str(v).strip() for v in r)) + 1 :]


def test_roster_masks_ids_unless_the_role_may_see_them(refreshed, client_for):
    auditor = client_for(refreshed.auditor).get("/reports/monitored.xlsx?area=511133000000")
    rows = _sheet(auditor.content)
    assert auditor.status_code == 200 and len(rows) == 4  # header + h1, h3, h4
    assert all("*" in str(r[3]) for r in rows[1:]) and not PiiView.objects.exists()
    county = _sheet(client_for(refreshed.county).get("/reports/monitored.xlsx").content)
    assert all(len(str(r[3])) == 18 and "*" not in str(r[3]) for r in county[1:])
    assert PiiView.objects.filter(actor=refreshed.county).count() == 3


def test_access_trio_on_the_roster(refreshed, client_for):
    t1 = client_for(refreshed.t1).get("/reports/monitored.xlsx?area=511133100000")
    assert t1.status_code == 200 and [r[0] for r in _sheet(t1.content)[1:]] == [
        refreshed.households["h1"].number,
        refreshed.households["h4"].number,
    ]
    assert client_for(refreshed.t2).get("/reports/monitored.xlsx?area=511133100000").status_code == 404
    assert client_for(refreshed.gw2).get("/reports/monitored.xlsx?area=511133100000").status_code == 404
    assert client_for(refreshed.gw2).get("/reports/").status_code == 404
    assert not PiiView.objects.exclude(actor=refreshed.t1).exists()


def test_timeline_gathers_events_newest_first(refreshed, client_for):
    h1 = refreshed.households["h1"]
    html = client_for(refreshed.t1).get(f"/households/{h1.pk}/timeline/").content.decode()
    assert "预警" in html and "纳入监测：脱贫不稳定户" in html
    assert html.index("预警：") < html.index("纳入监测")  # today's warning above the older intake
    assert str(timezone.localdate()) in html


def test_access_trio_on_the_timeline(refreshed, client_for):
    h1 = refreshed.households["h1"]
    assert client_for(refreshed.t1).get(f"/households/{h1.pk}/timeline/").status_code == 200
    assert client_for(refreshed.t2).get(f"/households/{h1.pk}/timeline/").status_code == 404
    assert client_for(refreshed.gw2).get(f"/households/{h1.pk}/timeline/").status_code == 404
    assert client_for(refreshed.insurer).get(f"/households/{h1.pk}/timeline/").status_code == 404
    assert client_for(refreshed.auditor).get(f"/households/{h1.pk}/timeline/").status_code == 200
