"""Area tree API and page, area import (API and page): access trio, row report, all or none."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bangfu.areas.models import Area
from bangfu.core.models import AuditEvent

pytestmark = pytest.mark.django_db
API = "/api/v1/areas"
NEW_VILLAGE = "区划代码,名称,上级区划代码\n511133100203,新华村,511133100000\n"


def codes(nodes: list[dict]) -> set[str]:
    out: set[str] = set()
    for n in nodes:
        out |= {n["code"]} | codes(n["children"])
    return out


def test_tree_is_scoped(world, api_for):
    t1 = api_for(world.t1).get(f"{API}/tree").json()
    assert [n["code"] for n in t1] == [world.area_t1.code]
    assert codes(t1) == {world.area_t1.code, world.v1a.code, world.v1b.code}
    assert codes(api_for(world.t2).get(f"{API}/tree").json()) == {world.area_t2.code, world.v2a.code}
    assert codes(api_for(world.gw2).get(f"{API}/tree").json()) == {world.v1a.code}
    county = api_for(world.county).get(f"{API}/tree", {"root": "511133100"}).json()
    assert codes(county) == {world.area_t1.code, world.v1a.code, world.v1b.code}


def test_area_get_trio(world, api_for):
    r = api_for(world.t1).get(f"{API}/{world.v1a.code}")
    assert r.status_code == 200
    body = r.json()
    assert body["parent_code"] == world.area_t1.code and body["level_label"] == "村(社区)"
    assert {g["code"] for g in body["grids"]} == {"G1", "G2"}
    assert api_for(world.t2).get(f"{API}/{world.v1a.code}").status_code == 404
    assert api_for(world.gw2).get(f"{API}/{world.v1b.code}").status_code == 404


def _upload(client, data: str, name: str = "areas.csv"):
    return client.post(f"{API}/import", {"file": SimpleUploadedFile(name, data.encode())})


def test_import_trio(world, api_for):
    for user in (world.t2, world.gw2, world.t1):  # no role of theirs manages areas
        assert _upload(api_for(user), NEW_VILLAGE).status_code in (403, 404)
    assert not Area.objects.filter(code="511133100203").exists()
    r = _upload(api_for(world.county), NEW_VILLAGE)
    assert r.status_code == 201 and r.json() == {"imported": 1}
    village = Area.objects.get(code="511133100203")
    assert (village.level, village.parent, village.name) == ("village", world.area_t1, "新华村")
    assert AuditEvent.objects.filter(action="area_import", actor=world.county).exists()


def test_import_reports_every_bad_row_and_stores_nothing(world, api_for):
    data = (
        "区划代码,名称,上级区划代码\n"
        "511133300000,新乡,511133000000\n"  # fine on its own
        "51113330020,坏码村,511133300000\n"  # 11 digits
        "511133300201,,511133300000\n"  # no name
        "511133300202,孤村,511133900000\n"  # parent nowhere
        "511133100201,重复村,511133100000\n"  # exists already
    )
    before = Area.objects.count()
    r = _upload(api_for(world.county), data)
    assert r.status_code == 422
    rows = {(e["row"], e["field"]) for e in r.json()["errors"]}
    assert rows == {(3, "区划代码"), (4, "名称"), (5, "上级区划代码"), (6, "区划代码")}
    assert all(e["message"] and e["message_en"] for e in r.json()["errors"])
    assert Area.objects.count() == before


def test_import_refuses_rows_outside_the_users_areas(world, api_for):
    data = "区划代码,名称,上级区划代码\n511132000000,邻县,511100000000\n"
    r = _upload(api_for(world.county), data)
    assert r.status_code == 422 and r.json()["errors"][0]["row"] == 2
    assert "管辖范围" in r.json()["errors"][0]["message"]
    assert not Area.objects.filter(code="511132000000").exists()


def test_import_wrong_template(world, api_for):
    r = _upload(api_for(world.county), "code,name\n511133100203,x\n")
    assert r.status_code == 400 and r.json()["code"] == "wrong_template"


def test_pages_trio(world, client_for):
    body = client_for(world.t1).get("/areas/").content.decode()
    assert world.v1a.name in body and world.v2a.name not in body
    assert world.v1a.name not in client_for(world.t2).get("/areas/").content.decode()
    for user in (world.t2, world.gw2):
        assert client_for(user).get("/areas/import/").status_code == 404
        r = client_for(user).post("/areas/import/", {"file": SimpleUploadedFile("a.csv", NEW_VILLAGE.encode())})
        assert r.status_code in (403, 404)
    assert not Area.objects.filter(code="511133100203").exists()
    assert client_for(world.county).get("/areas/import/template.xlsx").status_code == 200
    bad = client_for(world.county).post("/areas/import/", {"file": SimpleUploadedFile("a.csv", b"x,y\n1,2\n")})
    assert bad.status_code == 422 and "请下载并使用系统提供的模板" in bad.content.decode()
    ok = client_for(world.county).post("/areas/import/", {"file": SimpleUploadedFile("a.csv", NEW_VILLAGE.encode())})
    assert ok.status_code == 302 and Area.objects.filter(code="511133100203").exists()
