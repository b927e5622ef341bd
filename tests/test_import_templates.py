"""Each import template on a new county's set-up path (areas, grids, accounts, households, sites)
downloads from its page, opens on its data sheet, and imports again as downloaded once filled in
(openpyxl types the rows as a person would; nothing else in the file is touched)."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from bangfu.accounts.models import User
from bangfu.areas.models import Area, Grid, GridWorkerTerm
from bangfu.core.models import AuditEvent
from bangfu.registry import services as registry
from bangfu.registry.models import Household
from bangfu.testing import fill_template, new_id_number, upload

pytestmark = pytest.mark.django_db

TOWNSHIP, VILLAGE = "511133300000", "511133300201"


def _template(client, name: str, data_sheet: str) -> bytes:
    r = client.get(reverse(name))
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert openpyxl.load_workbook(io.BytesIO(r.content)).active.title == data_sheet  # opens on its data sheet
    return r.content


def _areas(c) -> None:
    template = _template(c, "areas:import_template", "区划")
    rows = [
        {"区划代码": TOWNSHIP, "名称": "新乡", "上级区划代码": "511133000000"},
        {"区划代码": VILLAGE, "名称": "新村", "上级区划代码": TOWNSHIP},
    ]
    r = c.post(reverse("areas:import"), {"file": upload(fill_template(template, rows))})
    assert r.status_code == 302, r.content.decode()[-2000:]


def _accounts(c) -> dict[str, str]:
    template = _template(c, "accounts:people_template", "账号")
    rows = [
        {"用户名": "gw_new", "姓名": "新网格员", "角色": "网格员", "区划代码": VILLAGE},
        {"用户名": "t_new", "姓名": "新乡干部", "角色": "乡镇干部", "区划代码": TOWNSHIP},
    ]
    r = c.post(reverse("accounts:people_import"), {"file": upload(fill_template(template, rows))})
    assert r.status_code == 200 and "已创建2个账号" in r.content.decode(), r.content.decode()[-2000:]
    return dict(User.objects.filter(username__in=["gw_new", "t_new"]).values_list("username", "display_name"))


def test_the_set_up_templates_round_trip_through_their_pages(world, client_for) -> None:
    c = client_for(world.county)
    _areas(c)
    assert Area.objects.get(code=VILLAGE).parent_id == Area.objects.get(code=TOWNSHIP).pk
    assert _accounts(c) == {"gw_new": "新网格员", "t_new": "新乡干部"}

    template = _template(c, "areas:grid_import_template", "网格")
    assert VILLAGE in str(list(openpyxl.load_workbook(io.BytesIO(template))["村和网格员"].values))
    rows = [{"网格编号": "N1", "网格名称": "新村第一网格", "村代码": VILLAGE, "网格员用户名": "gw_new"}]
    r = c.post(reverse("areas:grid_import"), {"file": upload(fill_template(template, rows))})
    assert r.status_code == 302, r.content.decode()[-2000:]
    grid = Grid.objects.get(code="N1")
    assert grid.worker.username == "gw_new" and GridWorkerTerm.objects.filter(grid=grid, end__isnull=True).exists()

    template = _template(c, "registry:import_template", "农户")
    number = f"{VILLAGE}901"
    filled = fill_template(template, [{"户编号": number, "村代码": VILLAGE, "网格编号": "N1", "易地搬迁户": "是"}])
    head = {"户编号": number, "姓名": "新户主", "身份证号": new_id_number(), "与户主关系": "户主"}
    filled = fill_template(filled, [head], sheet="成员")
    r = c.post(reverse("registry:import"), {"file": upload(filled)})
    assert r.status_code == 302, r.content.decode()[-3000:]
    household = Household.objects.get(number=number)
    assert (household.grid_id, household.head_name) == (grid.pk, "新户主")

    site = registry.site_create(actor=world.county, area_code=VILLAGE, name="新村安置点", kind="village")
    template = _template(c, "registry:sites_template", "搬迁户安置")
    rows = [{"户编号": number, "安置点": f"{site.name}（{site.pk}）", "搬迁入住日期": "2024-06-01"}]
    r = c.post(reverse("registry:sites_import"), {"file": upload(fill_template(template, rows))})
    assert r.status_code == 302
    assert Household.objects.get(number=number).relocation_site_id == site.pk


def test_the_area_template_imports_as_downloaded_without_an_example_row(world, client_for) -> None:
    c = client_for(world.county)
    template = _template(c, "areas:import_template", "区划")
    assert list(openpyxl.load_workbook(io.BytesIO(template))["区划"].values)[1:] == []  # nothing to delete first
    listed = [row[0] for row in openpyxl.load_workbook(io.BytesIO(template))["已有区划"].values][1:]
    assert world.area_county.code in listed and "511134000000" not in listed


def test_grid_import_all_or_nothing_and_again_once_the_worker_exists(world, client_for) -> None:
    c = client_for(world.county)
    template = _template(c, "areas:grid_import_template", "网格")
    bad = [
        {"网格编号": "N5", "网格名称": "黎明村第一网格", "村代码": world.v1b.code},
        {"网格编号": "N5", "网格名称": "重复", "村代码": world.v1b.code},
        {"网格编号": "N6", "网格名称": "无此村", "村代码": "511133100299"},
        {"网格编号": "N7", "网格名称": "谁", "村代码": world.v1b.code, "网格员用户名": "nobody"},
    ]
    r = c.post(reverse("areas:grid_import"), {"file": upload(fill_template(template, bad))})
    text = r.content.decode()
    assert r.status_code == 422 and "与第2行重复" in text and "村代码511133100299不存在" in text
    assert "nobody不是本村的网格员账号" in text  # the page speaks the reader's language (Chinese here)
    assert not Grid.objects.filter(code__in=["N5", "N6", "N7"]).exists()
    first = [{"网格编号": "N5", "网格名称": "黎明村第一网格", "村代码": world.v1b.code}]
    assert c.post(reverse("areas:grid_import"), {"file": upload(fill_template(template, first))}).status_code == 302
    assert Grid.objects.get(code="N5").worker_id is None
    from bangfu.accounts import services as accounts
    from bangfu.accounts.domain.roles import Role

    accounts.account_create(actor=world.county, username="gw_lm", display_name="黎明网格员", role=Role.GRID_WORKER,
                            area_code=world.v1b.code)  # fmt: skip
    again = [first[0] | {"网格员用户名": "gw_lm"}]
    assert c.post(reverse("areas:grid_import"), {"file": upload(fill_template(template, again))}).status_code == 302
    assert Grid.objects.get(code="N5").worker.username == "gw_lm" and Grid.objects.count() == 4
    assert AuditEvent.objects.filter(action="grid_create", actor=world.county).count() == 1
    assert AuditEvent.objects.filter(action="grid_assign_worker", actor=world.county).count() == 1


def test_grid_import_trio(world, client_for) -> None:
    template = _template(client_for(world.county), "areas:grid_import_template", "网格")
    data = fill_template(template, [{"网格编号": "N9", "网格名称": "越权网格", "村代码": world.v1b.code}])
    for user in (world.t1, world.t2, world.gw2, world.auditor):  # none manages areas
        assert client_for(user).get(reverse("areas:grid_import")).status_code == 404
        assert client_for(user).post(reverse("areas:grid_import"), {"file": upload(data)}).status_code in (403, 404)
    from bangfu.accounts import services as accounts
    from bangfu.accounts.domain.roles import Role
    from bangfu.areas import services as areas

    far = areas.area_create(code="511134000000", name="邻县", parent_code="511100000000")
    far_admin = accounts.user_create(username="far_admin", password="x-far-2026-admin", display_name="邻县管理员")
    accounts.membership_grant(user=far_admin, role=Role.COUNTY_ADMIN, area_code=far.code)
    r = client_for(far_admin).post(reverse("areas:grid_import"), {"file": upload(data)})
    assert r.status_code == 422 and "该村不在您管理的区域内" in r.content.decode()
    assert not Grid.objects.filter(code="N9").exists()
    assert world.v1b.code not in str(
        list(
            openpyxl.load_workbook(
                io.BytesIO(client_for(far_admin).get(reverse("areas:grid_import_template")).content)
            )["网格"].values
        )
    )
