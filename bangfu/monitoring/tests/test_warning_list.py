"""The warnings list keeps the area of the link it was opened from (UX review P2: the village tile
"25 待处理预警" opened the county's 511), and offers search, filters, sorting, page numbers and an export
of what it shows."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from bangfu.accounts import services as accounts
from bangfu.accounts.domain.roles import Role
from bangfu.areas import services as areas
from bangfu.casework import services as casework
from bangfu.monitoring import services
from bangfu.monitoring.tests.helpers import feed_row, rules_in_force

pytestmark = pytest.mark.django_db


@pytest.fixture
def warnings(world):
    """One disaster warning for each of h1 (V1a, grid G1), h2 (V1a, G2) and h3 (V2a under T2)."""
    rules_in_force(world)
    casework.params_set(
        actor=None, area_code=world.area_county.code, effective_from=dt.date(2020, 1, 1), values=casework.ParamValues()
    )
    out = {}
    for key, loss in (("h1", "25000"), ("h2", "40000"), ("h3", "30000")):
        h = world.households[key]
        feed_row(h, "disaster", loss, timezone.localdate())
        (out[key],) = services.screen_household(household_id=h.pk, as_of=timezone.localdate())
    return out


def _numbers(client, query: str) -> set[str]:
    body = client.get(f"{reverse('monitoring:warning_list')}?{query}").content.decode()
    return {n for n in ("h1", "h2", "h3") if _NUMBERS[n] in body}


_NUMBERS: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _numbers_of(world):
    _NUMBERS.update({k: h.number for k, h in world.households.items()})


def test_the_village_tile_lists_exactly_that_villages_warnings(world, warnings, client_for) -> None:
    c = client_for(world.county)
    assert _numbers(c, "status=active") == {"h1", "h2", "h3"}
    assert _numbers(c, f"status=active&village={world.v1a.code}") == {"h1", "h2"}  # the dashboard tile's link
    assert _numbers(c, f"area={world.area_t2.code}") == {"h3"}
    assert _numbers(c, f"township={world.area_t1.code}") == {"h1", "h2"}
    assert _numbers(c, f"grid={world.g2.pk}") == {"h2"}
    page = c.get(f"{reverse('monitoring:warning_list')}?village={world.v1a.code}").content.decode()
    assert world.v1a.name in page  # the area is shown as a filter the user can remove


def test_another_countys_user_sees_nothing(world, warnings, client_for) -> None:
    far = areas.area_create(code="511134000000", name="邻县", parent_code="511100000000")
    admin = accounts.user_create(username="far_admin", password="x-far-2026-admin", display_name="邻县管理员")
    accounts.membership_grant(user=admin, role=Role.COUNTY_ADMIN, area_code=far.code)
    c = client_for(admin)
    assert _numbers(c, "status=all") == set()
    assert _numbers(c, f"status=all&village={world.v1a.code}") == set()
    assert c.get(f"{reverse('monitoring:warning_export')}?status=all&village={world.v1a.code}").status_code == 404
    export = c.get(f"{reverse('monitoring:warning_export')}?status=all")
    assert export.status_code == 200 and len(_sheet_values(export.content)) == 1  # the header only
    assert _numbers(client_for(world.t2), f"village={world.v1a.code}") == set()  # outside T2: nothing either


def _sheet_values(data: bytes) -> list[tuple[object, ...]]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return list(wb.worksheets[0].values)


def test_search_sorting_chips_and_the_export(world, warnings, client_for) -> None:
    c = client_for(world.county)
    h1, h2, h3 = (world.households[k] for k in ("h1", "h2", "h3"))
    assert _numbers(c, f"q={h2.head_name}") == {"h2"} and _numbers(c, f"q={h3.number}") == {"h3"}
    body = c.get(f"{reverse('monitoring:warning_list')}?sort=-number").content.decode()
    assert body.index(h3.number) < body.index(h2.number) < body.index(h1.number)
    village = c.get(f"{reverse('monitoring:warning_list')}?village={world.v1a.code}").content.decode()
    assert re.search(r'class="badge" href="[^"]*rule=disaster_loss[^"]*">遭受灾害损失 2<', village)  # V1a only
    export = c.get(f"{reverse('monitoring:warning_export')}?village={world.v1a.code}&sort=number")
    wb = openpyxl.load_workbook(io.BytesIO(export.content))
    assert wb.sheetnames[0] == "预警清单" and all(wb[n].sheet_state == "hidden" for n in wb.sheetnames[1:])
    rows = list(wb["预警清单"].values)
    assert rows[0][:5] == ("户编号", "户主", "乡镇", "村", "网格")
    assert [r[0] for r in rows[1:]] == [h1.number, h2.number]
    assert rows[1][2:5] == (world.area_t1.name, world.v1a.name, world.g1.name) and rows[1][8] == "待处理"
    cells = {str(v) for r in rows for v in r}
    assert not cells & {"open", warnings["h1"].rule_code, "disaster_loss"}
