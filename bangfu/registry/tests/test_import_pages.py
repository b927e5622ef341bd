"""Excel pages: template download, import page with its error report, export with masked IDs."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from python_calamine import CalamineWorkbook

from bangfu.core import crypto
from bangfu.core.models import PiiView
from bangfu.registry.models import Household
from bangfu.registry.tests.test_import import household, member, xlsx

pytestmark = pytest.mark.django_db


def sheet(data: bytes, name: str) -> list[list[Any]]:
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(name).to_python()


def upload(client, data: bytes, name: str = "农户.xlsx"):
    return client.post("/registry/households/import/", {"file": SimpleUploadedFile(name, data)})


def test_template_download_trio(world, client_for):
    r = client_for(world.t1).get("/registry/households/import/template.xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert sheet(r.content, "农户")[0][0] == "户编号"
    for user in (world.gw2, world.v1):  # roles without import: the page does not exist for them
        assert client_for(user).get("/registry/households/import/template.xlsx").status_code == 404
    places = [row[0] for row in sheet(client_for(world.t2).get("/registry/households/import/template.xlsx").content,
                                      "村和网格")[1:]]  # fmt: skip
    assert world.v1a.code not in places and world.v2a.code in places


def test_import_page_trio(world, client_for):
    data = xlsx([household("511133100201901", world.v1a.code, "G1")], [member("511133100201901", "吉石罗布")])
    assert client_for(world.gw2).get("/registry/households/import/").status_code == 404
    assert upload(client_for(world.gw2), data).status_code in (403, 404)
    r = upload(client_for(world.t2), data)  # neighbouring township: its rows are refused, nothing stored
    assert r.status_code == 422 and "不在您的管辖范围内" in r.content.decode()
    assert not Household.objects.filter(number="511133100201901").exists()
    r = upload(client_for(world.t1), data)
    assert r.status_code == 302 and r["Location"].startswith("/registry/households/?batch=")
    assert Household.objects.get(number="511133100201901").head_name == "吉石罗布"
    landed = client_for(world.t1).get(r["Location"]).content.decode()  # that batch's households, as a chip
    assert "511133100201901" in landed and world.households["h1"].number not in landed and "导入批次" in landed
    assert "511133100201901" not in client_for(world.t2).get(r["Location"]).content.decode()  # scoped still


def test_import_page_shows_the_report_and_stores_nothing(world, client_for):
    data = xlsx(
        [household("511133100201901", world.v1a.code), household("511133100201902", world.v1a.code)],
        [member("511133100201901", "甲"), member("511133100201902", "乙", id_number="511133196001010010")],
    )
    r = upload(client_for(world.t1), data)
    body = r.content.decode()
    assert r.status_code == 422
    assert '<td class="num">3</td><td>成员!身份证号</td>' in body and "校验位" in body and "check digit" not in body
    english = client_for(world.t1)
    english.cookies["django_language"] = "en"
    assert "check digit" in upload(english, data).content.decode()  # the report in the reader's language
    assert Household.objects.count() == 3
    r = upload(client_for(world.t1), b"plain text", "a.txt")
    assert r.status_code == 422 and ".xlsx" in r.content.decode()


def test_export_is_scoped_filtered_and_masked(world, client_for):
    h1, h2, h3 = (world.households[k] for k in ("h1", "h2", "h3"))
    r = client_for(world.t1).get("/registry/households/export.xlsx")
    assert r.status_code == 200
    numbers = [row[0] for row in sheet(r.content, "农户")[1:]]
    assert numbers == sorted([h1.number, h2.number])
    members = sheet(r.content, "成员")[1:]
    assert len(members) == 5 and all("**********" in row[2] for row in members)
    full = crypto.decrypt(h1.members.first().id_enc)
    assert full.encode() not in r.content
    filtered = client_for(world.t1).get("/registry/households/export.xlsx", {"flag": "poverty_exited"})
    assert [row[0] for row in sheet(filtered.content, "农户")[1:]] == [h1.number]
    assert [row[0] for row in sheet(client_for(world.gw2).get("/registry/households/export.xlsx").content,
                                    "农户")[1:]] == [h2.number]  # fmt: skip
    assert [row[0] for row in sheet(client_for(world.t2).get("/registry/households/export.xlsx").content,
                                    "农户")[1:]] == [h3.number]  # fmt: skip
    assert client_for(world.dept).get("/registry/households/export.xlsx").status_code == 404


def test_full_ids_in_export_only_for_allowed_roles_and_logged(world, client_for):
    h1 = world.households["h1"]
    r = client_for(world.t1).get("/registry/households/export.xlsx", {"full_id": "1", "flag": "poverty_exited"})
    ids = {row[2] for row in sheet(r.content, "成员")[1:]}
    assert ids == {crypto.decrypt(m.id_enc) for m in h1.members.all()}
    assert PiiView.objects.filter(actor=world.t1, purpose="export").count() == 3
    r = client_for(world.gw1).get("/registry/households/export.xlsx", {"full_id": "1"})
    assert all("**********" in row[2] for row in sheet(r.content, "成员")[1:])
    assert PiiView.objects.count() == 3
