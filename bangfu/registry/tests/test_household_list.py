"""The household list on the list kit (issue #16, UX review P2 and journey 1 step 5): the area from the
link as a removable chip, villages under their township, grids of the chosen village only, numbered
pages, sorting, and an import's batch; a place outside the user's areas shows nothing."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from bangfu.testing import new_household

pytestmark = pytest.mark.django_db
URL = "/registry/households/"


def _rows(html: str) -> list[str]:
    return re.findall(r'<a href="/registry/households/\d+/">(\d+)</a>', html)


def test_a_drill_down_link_keeps_its_area_as_a_removable_chip(world, client_for) -> None:
    h1, h2, h3 = (world.households[k].number for k in ("h1", "h2", "h3"))
    c = client_for(world.county)
    r = c.get(f"{URL}?area={world.v1a.code}")
    html = r.content.decode()
    assert r.status_code == 200 and sorted(_rows(html)) == sorted([h1, h2])  # the village only, not the county
    assert 'class="chip"' in html and f"{world.area_t1.name} {world.v1a.name}" in html
    assert f'href="{URL}"' in html  # the chip's ×: the whole list again
    township = c.get(f"{URL}?area={world.area_t1.code}").content.decode()
    assert sorted(_rows(township)) == sorted([h1, h2]) and h3 not in township
    # the dashboard's older links: ?village= with an area-code prefix becomes ?area=
    r = c.get(f"{URL}?flag=monitored&village=511133100")
    assert r.status_code == 302 and r["Location"] == f"{URL}?flag=monitored&area=511133100000"
    assert client_for(world.t1).get(f"{URL}?area={world.v2a.code}").status_code == 404  # another township's
    assert client_for(world.gw2).get(f"{URL}?grid={world.g1.pk}").status_code == 404  # another worker's grid


def test_villages_come_under_their_township_and_grids_follow_the_village(world, client_for) -> None:
    c = client_for(world.county)
    html = c.get(URL).content.decode()
    assert f'<optgroup label="{world.area_t1.name}">' in html and f'<optgroup label="{world.area_t2.name}">' in html
    assert 'name="village" data-autosubmit' in html  # choosing a village reloads the list with its grids
    chosen = c.get(f"{URL}?village={world.v1a.code}").content.decode()
    grids = re.search(r'<select name="grid">(.*?)</select>', chosen, re.S)
    assert grids and world.g1.name in grids.group(1) and world.g3.name not in grids.group(1)
    one = c.get(f"{URL}?village={world.v1a.code}&grid={world.g1.pk}").content.decode()
    assert _rows(one) == [world.households["h1"].number]
    moved = c.get(f"{URL}?village={world.v2a.code}&grid={world.g1.pk}")  # the grid of the village before
    assert moved.status_code == 302 and "grid" not in moved["Location"]


def test_page_numbers_and_sorting(world, client_for) -> None:
    for n in range(60):
        new_household(world.v1b, members=1, number=f"511133100202{n:03d}")
    c = client_for(world.county)
    html = c.get(URL).content.decode()
    assert "共 63 条" in html and 'aria-current="page">1<' in html and f'href="{URL}?page=2"' in html
    assert len(_rows(c.get(f"{URL}?page=2").content.decode())) == 13
    by_size = _rows(c.get(f"{URL}?sort=-size").content.decode())
    assert by_size[0] == world.households["h3"].number  # four members: the largest first
    assert c.get(f"{URL}?sort=password").status_code == 200  # an unknown column: the default order


def test_an_id_number_searched_stays_out_of_the_address(world, client_for) -> None:
    from bangfu.registry import services
    from bangfu.registry.models import Member
    from bangfu.testing import member_fields

    h = new_household(world.v1a, world.g1, members=1)
    number = member_fields()["id_number"]
    services.member_add(actor=world.county, household=h, fields=member_fields("李四", "之子", id_number=number))
    assert Member.objects.filter(household=h).count() == 2
    c = client_for(world.county)
    r = c.post(f"{URL}?area={world.v1a.code}", {"q": number, "area": world.v1a.code})
    html = r.content.decode()
    assert r.status_code == 200 and _rows(html) == [h.number] and f"q={number}" not in html  # no link carries it
    named = c.post(URL, {"q": "李四", "flag": ""})
    assert named.status_code == 302 and named["Location"] == f"{URL}?q=%E6%9D%8E%E5%9B%9B"
    assert c.get(f"{URL}?q={number}").status_code == 302  # typed into the address: not searched, not kept


def test_the_export_takes_the_lists_link(world, client_for) -> None:
    import io

    import openpyxl

    r = client_for(world.county).get(f"{reverse('registry:export')}?area={world.v2a.code}")
    numbers = [row[0] for row in openpyxl.load_workbook(io.BytesIO(r.content))["农户"].iter_rows(values_only=True)]
    assert numbers[1:] == [world.households["h3"].number]
