"""The cases-and-visits card on the registry's household page."""

import datetime as dt

import pytest

from bangfu.casework import services
from bangfu.casework.models import Case, Visit

pytestmark = pytest.mark.django_db


def _visit(world, h, note):
    return Visit.objects.create(
        household=h, grid=h.grid, worker=world.gw1, visited_on=dt.date(2026, 3, 2), mode="in_person", note=note
    )


def test_household_page_shows_cases_and_visits(world, params, client_for):
    h1 = world.households["h1"]
    _visit(world, h1, "询问新农合报销情况")
    case = services.case_open(actor=world.t1, household=h1, source="grid", summary="大病支出", on=dt.date(2026, 3, 2))
    body = client_for(world.t1).get(f"/registry/households/{h1.pk}/").content.decode()
    assert "监测案件与走访" in body and "询问新农合报销情况" in body and f"/cases/{case.pk}/" in body
    assert f"/cases/open/?q={h1.number}" in body  # the township officer may open cases
    gw_page = client_for(world.gw1).get(f"/registry/households/{h1.pk}/").content.decode()
    assert f"/cases/grid/visit/{h1.pk}/" in gw_page and "/cases/open/" not in gw_page


def test_other_areas_see_no_card(world, client_for):
    h1 = world.households["h1"]
    _visit(world, h1, "仅本辖区可见")
    for user in (world.t2, world.gw2):
        assert client_for(user).get(f"/registry/households/{h1.pk}/").status_code == 404
    assert Case.objects.count() == 0 and Visit.objects.count() == 1
