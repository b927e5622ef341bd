"""Account administration through the pages and the API: the access trio, batch import round-trip,
reset → change at next sign-in, hand-over on leaving, who-can-do-what, own sign-in history."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bangfu.accounts import services
from bangfu.accounts.domain.roles import Role
from bangfu.accounts.models import Membership, User
from bangfu.areas import services as areas
from bangfu.areas.models import Grid
from bangfu.core.models import AuditEvent
from bangfu.testing import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def other(world):
    c = areas.area_create(code="511132000000", name="峨边彝族自治县", parent_code=world.province.code)
    admin = services.user_create(username="eb_admin", password=PASSWORD)
    services.membership_grant(user=admin, role=Role.COUNTY_ADMIN, area_code=c.code)
    return admin


def test_people_pages_for_the_county_and_nothing_for_others(world, other, client_for) -> None:
    county = client_for(world.county)
    page = county.get(reverse("accounts:people"))
    assert page.status_code == 200 and "gw1" in page.content.decode() and "eb_admin" not in page.content.decode()
    assert county.get(reverse("accounts:person", args=[world.gw1.pk])).status_code == 200
    for outsider in (world.t2, world.gw2, other):  # t2: county has not allowed townships; other county
        c = client_for(outsider)
        assert c.get(reverse("accounts:person", args=[world.gw1.pk])).status_code in (403, 404)
        r = c.post(reverse("accounts:person_edit", args=[world.gw1.pk]), {"display_name": "改名"})
        assert r.status_code in (403, 404)
        r = c.post(reverse("accounts:person_reset", args=[world.gw1.pk]))
        assert r.status_code in (403, 404)
    gw1 = User.objects.get(pk=world.gw1.pk)
    assert gw1.display_name == "gw1" and not gw1.must_change_password
    assert client_for(other).get(reverse("accounts:person", args=[world.gw1.pk])).status_code == 404


def test_create_on_the_page_shows_the_first_password_once(world, client_for) -> None:
    c = client_for(world.county)
    r = c.post(
        reverse("accounts:person_new"),
        {"username": "cadre_new", "display_name": "赵村干", "role": "village_cadre", "area_code": world.v1b.code},
    )
    user = User.objects.get(username="cadre_new")
    assert r.status_code == 302 and r["Location"] == reverse("accounts:person", args=[user.pk])
    shown = c.get(r["Location"]).content.decode()
    assert 'id="shown-password"' in shown
    assert 'id="shown-password"' not in c.get(r["Location"]).content.decode()
    bad = c.post(
        reverse("accounts:person_new"),
        {"username": "x", "display_name": "甲", "role": "county_admin", "area_code": world.v1b.code},
    )
    assert bad.status_code == 422 and not User.objects.filter(username="x").exists()


def test_reset_then_the_user_must_change_the_password_at_next_sign_in(world, client_for) -> None:
    r = client_for(world.county).post(reverse("accounts:person_reset", args=[world.gw1.pk]))
    assert r.status_code == 302
    gw1 = User.objects.get(pk=world.gw1.pk)
    assert gw1.must_change_password
    # the API gives the temporary password to an integrator administrator
    from bangfu.core.testing_api import ContractClient

    token = services.token_create(user=world.county, name="t")
    api = ContractClient(HTTP_AUTHORIZATION=f"Bearer {token}")
    temp = api.post(f"/api/v1/accounts/users/{world.gw1.pk}/password-reset").json()["password"]
    c = Client()
    assert c.post("/accounts/login/", {"username": "gw1", "password": temp}).status_code == 302
    assert c.get("/api/v1/accounts/me").status_code == 403  # the session API waits for the change too
    change = reverse("accounts:password_change")
    home = c.get("/")
    assert home.status_code == 302 and home["Location"] == change
    assert c.get(change).status_code == 200
    new = "a-new-long-passphrase-7"
    r = c.post(change, {"old_password": temp, "new_password": new, "new_password_again": new})
    assert r.status_code == 302 and not User.objects.get(pk=world.gw1.pk).must_change_password
    assert c.get("/").status_code in (200, 302) and c.get("/").get("Location") != change
    assert c.get("/api/v1/accounts/me").status_code == 200
    assert AuditEvent.objects.filter(action="user_password_reset", object_id=str(world.gw1.pk)).count() == 2


def test_deactivate_on_the_page_asks_to_whom_the_grids_go(world, client_for) -> None:
    c = client_for(world.county)
    url = reverse("accounts:person_deactivate", args=[world.gw1.pk])
    page = c.get(reverse("accounts:person", args=[world.gw1.pk])).content.decode()
    assert f'name="handover_{world.g1.pk}"' in page
    r = c.post(url, {"reason": "离职"})
    assert r.status_code == 422 and User.objects.get(pk=world.gw1.pk).is_active
    r = c.post(url, {"reason": "离职", f"handover_{world.g1.pk}": str(world.gw2.pk)})
    assert r.status_code == 302
    assert Grid.objects.get(pk=world.g1.pk).worker_id == world.gw2.pk
    assert not User.objects.get(pk=world.gw1.pk).is_active


def _filled_template(client: Client, rows: list[list[str]]) -> bytes:
    r = client.get(reverse("accounts:people_template"))
    assert r.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert wb.active.title == "账号"  # opens on its data sheet
    ws = wb["账号"]
    header = [c.value for c in ws[1]]
    for row in rows:
        ws.append([dict(zip(header[: len(row)], row, strict=False)).get(h) for h in header])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_batch_import_round_trip_all_or_nothing(world, client_for) -> None:
    c = client_for(world.county)
    good = [
        ["gw_b001", "网格员一", "13800000001", "网格员", world.v1a.code],
        ["cadre_b002", "村干部二", "", "村干部", world.v1b.code],
        ["dept_b003", "医保专员", "", "部门数据专员", world.area_county.code, "医保"],
    ]
    bad = [
        *good,
        ["gw_b001", "重复", "", "网格员", world.v1a.code],
        ["gw_b005", "越权", "", "县级管理员", world.v1a.code],
    ]
    data = _filled_template(c, bad)
    upload = io.BytesIO(data)
    upload.name = "accounts.xlsx"
    r = c.post(reverse("accounts:people_import"), {"file": upload})
    assert r.status_code == 422
    text = r.content.decode()
    assert "第" in text or "行" in text
    assert "gw_b001" not in set(User.objects.values_list("username", flat=True))  # nothing created
    upload = io.BytesIO(_filled_template(c, good))
    upload.name = "accounts.xlsx"
    r = c.post(reverse("accounts:people_import"), {"file": upload})
    assert r.status_code == 200 and 'id="import-created"' in r.content.decode()
    made = {u.username: u for u in User.objects.filter(username__in=["gw_b001", "cadre_b002", "dept_b003"])}
    assert len(made) == 3 and all(u.must_change_password for u in made.values())
    assert Membership.objects.get(user=made["dept_b003"]).organisation == "医保"
    assert AuditEvent.objects.filter(action="user_bulk_create", actor=world.county).count() == 1
    assert AuditEvent.objects.filter(action="user_create", actor=world.county).count() == 3


def test_batch_import_report_by_row_through_the_api(world, client_for, api_for) -> None:
    data = _filled_template(
        client_for(world.county),
        [["ok_001", "甲", "", "网格员", world.v1a.code], ["bad 002", "乙", "", "网格员", "999999999999"]],
    )
    r = api_for(world.county).post("/api/v1/accounts/users/import", {"file": _named(data)})
    assert r.status_code == 422
    rows = {(e["row"], e["field"]) for e in r.json()["errors"]}
    assert (3, "用户名") in rows and not User.objects.filter(username="ok_001").exists()
    r = api_for(world.t1).post("/api/v1/accounts/users/import", {"file": _named(data)})
    assert r.status_code == 403 and not User.objects.filter(username="ok_001").exists()


def _named(data: bytes) -> io.BytesIO:
    f = io.BytesIO(data)
    f.name = "accounts.xlsx"
    return f


def test_api_create_grant_end_and_scope(world, other, api_for) -> None:
    county = api_for(world.county)
    r = county.post(
        "/api/v1/accounts/users",
        {"username": "api_gw", "display_name": "接口网格员", "role": "grid_worker", "area_code": world.v1a.code},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["account"]["must_change_password"] and r.json()["password"]
    uid = r.json()["account"]["id"]
    r = county.post(
        f"/api/v1/accounts/users/{uid}/memberships",
        {"role": "county_admin", "area_code": "511132000000"},
        content_type="application/json",
    )
    assert r.status_code == 404  # another county
    mid = county.get(f"/api/v1/accounts/users/{uid}").json()["memberships"][0]["id"]
    r = county.post(f"/api/v1/accounts/memberships/{mid}/end", {"reason": "调岗"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["end"] == timezone.localdate().isoformat()
    assert api_for(other).get(f"/api/v1/accounts/users/{uid}").status_code == 404
    assert api_for(world.gw2).get(f"/api/v1/accounts/users/{uid}").status_code in (403, 404)
    r = api_for(other).patch(f"/api/v1/accounts/users/{uid}", {"display_name": "改"}, content_type="application/json")
    assert r.status_code == 404 and User.objects.get(pk=uid).display_name == "接口网格员"
    listed = {u["username"] for u in county.get("/api/v1/accounts/users").json()["items"]}
    assert "api_gw" in listed and "eb_admin" not in listed


def test_township_pages_follow_the_county_policy(world, client_for) -> None:
    t1 = client_for(world.t1)
    assert t1.get(reverse("accounts:people")).status_code == 403
    r = client_for(world.county).post(
        reverse("accounts:policy"),
        {
            "area_code": world.area_county.code,
            "effective_from": timezone.localdate().isoformat(),
            "township_administers": "on",
            "password_min_length": "10",
            "password_block_common": "on",
        },
    )
    assert r.status_code == 302
    page = t1.get(reverse("accounts:people")).content.decode()
    assert "gw1" in page and "gw3" not in page
    assert t1.get(reverse("accounts:person", args=[world.gw3.pk])).status_code == 404
    assert client_for(world.t1).get(reverse("accounts:policy")).status_code == 404


def test_who_can_do_what_here_for_the_auditor(world, client_for, api_for) -> None:
    page = client_for(world.auditor).get(reverse("accounts:area_people", args=[world.v1a.code]))
    text = page.content.decode()
    assert page.status_code == 200 and "gw1" in text and "记录走访" in text and "gw3" not in text
    data = api_for(world.auditor).get(f"/api/v1/accounts/areas/{world.v1a.code}/people").json()
    held = {(p["username"], p["held"]) for p in data["people"]}
    assert ("gw1", "here") in held and ("county", "above") in held and ("t1", "above") in held
    assert "查看审计日志" in data["roles"]["只读审计员"]
    assert client_for(world.gw1).get(reverse("accounts:area_people", args=[world.v1a.code])).status_code == 404
    assert api_for(world.t2).get(f"/api/v1/accounts/areas/{world.v1a.code}/people").status_code == 404


def test_own_sign_in_history(world) -> None:
    c = Client(REMOTE_ADDR="198.51.100.7")
    c.post("/accounts/login/", {"username": "gw1", "password": "wrong-password"})
    assert c.post("/accounts/login/", {"username": "gw1", "password": PASSWORD}).status_code == 302
    page = c.get(reverse("accounts:profile")).content.decode()
    assert page.count("198.51.100.7") >= 2 and "密码错误" in page
    rows = c.get("/api/v1/accounts/me/sign-ins").json()
    assert [r["ok"] for r in rows] == [True, False]
    other = Client()
    other.force_login(world.gw2, backend="bangfu.accounts.sessions.AccountBackend")
    theirs = other.get("/api/v1/accounts/me/sign-ins").json()
    assert len(theirs) == 1 and theirs[0]["ok"] and "198.51.100.7" not in {r["address"] for r in theirs}


def test_batch_import_refuses_more_rows_than_one_request_can_hash(world, client_for) -> None:
    from bangfu.accounts.batch import MAX_ROWS

    rows = [[f"gw_x{i:04d}", "甲", "", "网格员", world.v1a.code] for i in range(MAX_ROWS + 1)]
    r = client_for(world.county).post(
        reverse("accounts:people_import"), {"file": _named(_filled_template(client_for(world.county), rows))}
    )
    assert r.status_code == 413 and "分批" in r.content.decode()
    assert not User.objects.filter(username__startswith="gw_x").exists()
