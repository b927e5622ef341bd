"""The casework lists keep the area of the link (UX review P2): cases, leads and visit compliance take
?area= of any level and the older ?village=/?grid=, show it as a removable chip, search, filter, sort
and number their pages; a place outside the user's areas is 404."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bangfu.casework import services
from bangfu.testing import new_household

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _rows(page: str) -> list[str]:
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    return re.findall(r"<tr[ >]", body)


def test_compliance_keeps_the_village_of_the_link(world, params, client_for) -> None:
    """The review: 249 rows with or without ?village=; the village tile must open its own rows."""
    url = reverse("casework:compliance")
    client = client_for(world.county)
    everything = client.get(url).content.decode()
    assert "羊店儿村" in everything and "民主村" in everything
    for query in ({"village": world.v2a.code}, {"area": world.v2a.code}, {"grid": world.g3.pk}):
        page = client.get(url, query).content.decode()
        assert "民主村" in page and "羊店儿村" not in page, query
        assert 'class="chip"' in page and "民主村" in page[page.index('class="chips"') :]
    township = client.get(url, {"area": world.area_t1.code, "level": "worker"}).content.decode()
    assert "gw1" in township and "gw3" not in township
    assert client_for(world.t1).get(url, {"village": world.v2a.code}).status_code == 404  # not t1's village


def test_compliance_reads_in_a_fixed_number_of_queries(world, params, client_for) -> None:
    client = client_for(world.county)
    url = reverse("casework:compliance")

    def count() -> int:
        with CaptureQueriesContext(connection) as q:
            assert client.get(url, {"level": "township"}).status_code == 200
        return len(q)

    small = count()
    for i in range(12):
        h = new_household(world.v2a if i % 2 else world.v1b)
        services.visit_log(actor=world.county, household=h, visited_on=TODAY, mode="in_person")
    assert count() == small


def test_case_list_keeps_the_area_searches_sorts_and_numbers_pages(world, params, client_for) -> None:
    h1, h3 = world.households["h1"], world.households["h3"]
    a = services.case_open(actor=world.gw1, household=h1, source="grid", summary="因病")
    b = services.case_open(actor=world.gw3, household=h3, source="grid", summary="因灾")
    url = reverse("casework:case_list")
    client = client_for(world.county)
    both = client.get(url).content.decode()
    assert f"#{a.pk}<" in both and f"#{b.pk}<" in both
    old = client.get(url, {"village": world.v1a.code}).content.decode()  # the dashboard tile's link
    assert f"#{a.pk}<" in old and f"#{b.pk}<" not in old and 'class="chip"' in old
    removed = re.search(r'<li class="chip">[^<]*<a href="([^"]+)"', old)
    assert removed is not None and "village=" not in removed.group(1)
    assert f"#{b.pk}<" in client.get(url, {"area": world.area_t2.code}).content.decode()
    found = client.get(url, {"q": h3.head_name}).content.decode()
    assert f"#{b.pk}<" in found and f"#{a.pk}<" not in found
    assert f"#{a.pk}<" in client.get(url, {"q": f"#{a.pk}"}).content.decode()
    by_village = client.get(url, {"sort": "village"}).content.decode()
    assert by_village.index(f"#{b.pk}<") < by_village.index(f"#{a.pk}<")  # 民主村 before 羊店儿村
    reverse_order = client.get(url, {"sort": "-village"}).content.decode()
    assert reverse_order.index(f"#{a.pk}<") < reverse_order.index(f"#{b.pk}<")
    assert client.get(url, {"state": "nonsense"}).status_code == 400
    assert client_for(world.t1).get(url, {"area": world.area_t2.code}).status_code == 404


def test_lead_queue_keeps_the_area_and_searches(world, params, client_for) -> None:
    a = services.case_open(
        actor=world.t1,
        household=world.households["h1"],
        source="hotline",
        summary="热线",
        on=TODAY - dt.timedelta(days=20),
    )
    b = services.case_open(actor=world.t2, household=world.households["h3"], source="hotline", summary="热线")
    url = reverse("casework:lead_queue")
    county = client_for(world.county)
    page = county.get(url).content.decode()
    assert f"#{a.pk}<" in page and f"#{b.pk}<" in page and "已逾期" in page
    assert page.index(f"#{a.pk}<") < page.index(f"#{b.pk}<")  # the earliest deadline first
    narrowed = county.get(url, {"area": world.area_t2.code}).content.decode()
    assert f"#{b.pk}<" in narrowed and f"#{a.pk}<" not in narrowed and 'class="chip"' in narrowed
    assert f"#{a.pk}<" not in client_for(world.t2).get(url).content.decode()
    assert client_for(world.t2).get(url, {"village": world.v1a.code}).status_code == 404
