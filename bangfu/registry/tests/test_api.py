"""Registry JSON API: the access trio on every endpoint, masking, full-ID logging, errors, no half writes."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from bangfu.core import crypto
from bangfu.core.models import PiiView
from bangfu.registry.models import Household, IncomeItem, Member
from bangfu.testing import member_fields, new_id_number

pytestmark = pytest.mark.django_db
API = "/api/v1/registry"


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def _patch(client, url, body):
    return client.patch(url, data=json.dumps(body), content_type="application/json")


def _numbers(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["number"] for row in response.json()["items"]}


# --- households ---------------------------------------------------------------------------


def test_list_is_scoped_like_the_pages(world, api_for):
    h1, h2, h3 = (world.households[k].number for k in ("h1", "h2", "h3"))
    assert _numbers(api_for(world.t1).get(f"{API}/households")) == {h1, h2}
    assert _numbers(api_for(world.t2).get(f"{API}/households")) == {h3}
    assert _numbers(api_for(world.gw2).get(f"{API}/households")) == {h2}
    assert api_for(world.dept).get(f"{API}/households").json()["count"] == 0


def test_list_filters_and_pages(world, api_for):
    client = api_for(world.county)
    h1 = world.households["h1"]
    assert _numbers(client.get(f"{API}/households", {"flag": "poverty_exited"})) == {h1.number}
    assert _numbers(client.get(f"{API}/households", {"q": h1.head_name})) == {h1.number}
    body = client.get(f"{API}/households", {"per_page": 2, "page": 2}).json()
    assert (body["count"], body["pages"], body["page"], len(body["items"])) == (3, 2, 2, 1)
    assert client.get(f"{API}/households", {"per_page": 500}).status_code == 422


def test_list_filters_by_village(world, api_for):
    client = api_for(world.county)
    assert _numbers(client.get(f"{API}/households", {"village": world.v2a.code})) == {world.households["h3"].number}
    assert _numbers(client.get(f"{API}/households", {"village": world.area_t1.code[:9]})) == {
        world.households["h1"].number,
        world.households["h2"].number,
    }


def test_list_runs_a_fixed_number_of_queries(world, api_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bangfu.testing import new_household

    client = api_for(world.county)
    client.get(f"{API}/households")  # token and memberships cached as in a running process

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"{API}/households").status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for _ in range(12):
        new_household(world.v1b, members=3)
    assert queries() == few


def test_search_by_full_id_number_does_not_reach_other_areas(world, api_for):
    h3 = world.households["h3"]
    full = crypto.decrypt(h3.members.first().id_enc)
    assert _numbers(api_for(world.t2).get(f"{API}/households", {"q": full})) == {h3.number}
    assert _numbers(api_for(world.t1).get(f"{API}/households", {"q": full})) == set()


def test_get_household_trio_and_masked_ids(world, api_for):
    h1 = world.households["h1"]
    r = api_for(world.t1).get(f"{API}/households/{h1.pk}")
    assert r.status_code == 200
    body = r.json()
    assert body["number"] == h1.number and len(body["members"]) == 3
    for m in body["members"]:
        assert "**********" in m["id_number"] and m["id_full"] is False
    assert crypto.decrypt(h1.members.first().id_enc) not in r.content.decode()
    assert api_for(world.gw1).get(f"{API}/households/{h1.pk}").status_code == 200
    assert api_for(world.t2).get(f"{API}/households/{h1.pk}").status_code == 404
    assert api_for(world.gw2).get(f"{API}/households/{h1.pk}").status_code == 404


def test_full_id_only_for_allowed_roles_and_every_view_logged(world, api_for):
    h1 = world.households["h1"]
    r = api_for(world.t1).get(f"{API}/households/{h1.pk}", {"full_id": "true"})
    assert r.status_code == 200
    fulls = {crypto.decrypt(m.id_enc) for m in h1.members.all()}
    assert {m["id_number"] for m in r.json()["members"]} == fulls
    assert PiiView.objects.filter(actor=world.t1).count() == 3
    for user in (world.gw1, world.v1):  # may see the household, may not see full numbers
        assert api_for(user).get(f"{API}/households/{h1.pk}", {"full_id": "true"}).status_code == 403
    assert api_for(world.t2).get(f"{API}/households/{h1.pk}", {"full_id": "true"}).status_code == 404
    assert PiiView.objects.count() == 3


def _new_household_body(world, number: str = "511133100201999") -> dict:
    return {
        "number": number, "village_code": world.v1a.code, "grid_id": world.g1.pk, "address": "羊店儿村3组",
        "poverty_exited": True, "exit_year": 2019,
        "members": [member_fields("吉石罗布", "户主"), member_fields("阿西莫", "配偶")],
    }  # fmt: skip


def test_create_household_trio(world, api_for):
    before = Household.objects.count()
    for user in (world.t2, world.gw2, world.gw1):
        r = _post(api_for(user), f"{API}/households", _new_household_body(world))
        assert r.status_code in (403, 404), r.content
    assert Household.objects.count() == before
    r = _post(api_for(world.t1), f"{API}/households", _new_household_body(world))
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["head_name"] == "吉石罗布" and body["size"] == 2 and body["grid_id"] == world.g1.pk
    assert Household.objects.count() == before + 1


def test_gw2_and_t2_get_404_on_create_in_another_area(world, api_for):
    body = _new_household_body(world)
    assert _post(api_for(world.t2), f"{API}/households", body).status_code in (403, 404)
    assert _post(api_for(world.gw2), f"{API}/households", body).status_code in (403, 404)


def test_create_with_bad_member_reports_fields_and_stores_nothing(world, api_for):
    body = _new_household_body(world)
    body["members"][1]["id_number"] = "511133196001010010"  # wrong check digit
    before = (Household.objects.count(), Member.objects.count())
    r = _post(api_for(world.t1), f"{API}/households", body)
    assert r.status_code == 422
    problem = r.json()
    assert problem["code"] == "validation"
    assert any(e["field"] == "members[1].id_number" and "校验位" in e["message"] for e in problem["errors"])
    assert all(e["message_en"] for e in problem["errors"])
    assert (Household.objects.count(), Member.objects.count()) == before


def test_create_duplicate_id_number_is_refused(world, api_for):
    body = _new_household_body(world)
    body["members"][1]["id_number"] = crypto.decrypt(world.households["h2"].members.first().id_enc)  # t1's own
    r = _post(api_for(world.t1), f"{API}/households", body)
    assert r.status_code == 409 and r.json()["code"] == "duplicate_id"
    assert not Household.objects.filter(number=body["number"]).exists()


def test_update_household_trio_and_history(world, api_for):
    h1 = world.households["h1"]
    for user in (world.t2, world.gw2):
        assert _patch(api_for(user), f"{API}/households/{h1.pk}", {"address": "x"}).status_code in (403, 404)
    # the grid worker sees the household but may not change it (the service refuses, revealing nothing)
    assert _patch(api_for(world.gw1), f"{API}/households/{h1.pk}", {"address": "x"}).status_code in (403, 404)
    h1.refresh_from_db()
    assert h1.address == "" and h1.history.count() == 1
    r = _patch(
        api_for(world.t1), f"{API}/households/{h1.pk}", {"address": "新址8号", "dibao": True, "reason": "入户核实"}
    )
    assert r.status_code == 200, r.content
    assert r.json()["address"] == "新址8号" and r.json()["dibao_since"] is not None
    h1.refresh_from_db()
    latest = h1.history.first()
    assert h1.address == "新址8号" and latest.history_user == world.t1 and latest.history_change_reason == "入户核实"


def test_update_household_rejects_bad_exit_year(world, api_for):
    h1 = world.households["h1"]
    r = _patch(api_for(world.t1), f"{API}/households/{h1.pk}", {"exit_year": 2005})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "exit_year"
    h1.refresh_from_db()
    assert h1.exit_year == 2018


# --- members ------------------------------------------------------------------------------


def test_members_list_trio(world, api_for):
    h1 = world.households["h1"]
    r = api_for(world.t1).get(f"{API}/households/{h1.pk}/members")
    assert r.status_code == 200 and len(r.json()) == 3
    assert all("*" in m["id_number"] for m in r.json())
    for user in (world.t2, world.gw2):
        assert api_for(user).get(f"{API}/households/{h1.pk}/members").status_code == 404


def test_member_add_trio(world, api_for):
    h1 = world.households["h1"]
    body = member_fields("吉石小明", "之孙子", id_number=new_id_number())
    for user in (world.t2, world.gw2):
        assert _post(api_for(user), f"{API}/households/{h1.pk}/members", body).status_code in (403, 404)
    assert _post(api_for(world.gw1), f"{API}/households/{h1.pk}/members", body).status_code in (403, 404)
    assert Member.objects.filter(household=h1).count() == 3
    r = _post(api_for(world.t1), f"{API}/households/{h1.pk}/members", body)
    assert r.status_code == 201, r.content
    assert r.json()["id_number"] != body["id_number"]
    h1.refresh_from_db()
    assert h1.size == 4


def test_member_get_and_update_trio(world, api_for):
    m = world.households["h1"].members.filter(relation="之子").first()
    for user in (world.t2, world.gw2):
        assert api_for(user).get(f"{API}/members/{m.pk}").status_code == 404
        assert _patch(api_for(user), f"{API}/members/{m.pk}", {"employment": "务工"}).status_code in (403, 404)
    m.refresh_from_db()
    assert m.employment == "未就业"
    assert api_for(world.gw1).get(f"{API}/members/{m.pk}").json()["name"] == m.name
    r = _patch(
        api_for(world.t1), f"{API}/members/{m.pk}", {"employment": "务工", "work_place": "省外", "reason": "外出务工"}
    )
    assert r.status_code == 200 and r.json()["employment"] == "务工"
    r = _patch(api_for(world.t1), f"{API}/members/{m.pk}", {"health": "不知道"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "health"
    m.refresh_from_db()
    assert (m.employment, m.work_place, m.health) == ("务工", "省外", "健康")


def test_find_by_id_number_trio(world, api_for):
    m = world.households["h1"].members.first()
    full = crypto.decrypt(m.id_enc)
    r = _post(api_for(world.t1), f"{API}/members/find", {"id_number": full})
    assert r.status_code == 200 and r.json()["id"] == m.pk and r.json()["id_number"] == m.id_masked
    for user in (world.t2, world.gw2):
        assert _post(api_for(user), f"{API}/members/find", {"id_number": full}).status_code in (403, 404)


# --- income statements --------------------------------------------------------------------


def test_income_lines_trio_and_totals(world, api_for):
    h1 = world.households["h1"]
    url = f"{API}/households/{h1.pk}/statements/2024/items"
    line = {"item": "wage.welfare_post", "amount": "6000.00", "note": "生态护林员"}
    for user in (world.t2, world.gw2):
        assert _post(api_for(user), url, line).status_code in (403, 404)
    assert _post(api_for(world.gw1), url, line).status_code in (403, 404)
    assert not IncomeItem.objects.exists()
    r = _post(api_for(world.t1), url, line)
    assert r.status_code == 201, r.content
    r = _post(api_for(world.t1), url, {"item": "business.crops", "amount": "9000.5"})
    st = r.json()
    assert Decimal(st["net_income"]) == Decimal("15000.50") and Decimal(st["per_capita"]) == Decimal("5000.17")
    assert [i["label"] for i in st["items"]] == ["公益岗位收入", "种植业收入"]


def test_income_line_with_bad_amount_is_refused(world, api_for):
    h1 = world.households["h1"]
    r = _post(api_for(world.t1), f"{API}/households/{h1.pk}/statements/2024/items", {"item": "nope", "amount": "1"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "item"
    r = _post(
        api_for(world.t1), f"{API}/households/{h1.pk}/statements/2024/items", {"item": "wage.local", "amount": "-5"}
    )
    assert r.status_code == 422
    assert not IncomeItem.objects.exists()


def test_statements_get_trio(world, api_for):
    h1 = world.households["h1"]
    _post(api_for(world.t1), f"{API}/households/{h1.pk}/statements/2023/items", {"item": "wage.local", "amount": "100"})
    assert [s["year"] for s in api_for(world.gw1).get(f"{API}/households/{h1.pk}/statements").json()] == [2023]
    assert api_for(world.t1).get(f"{API}/households/{h1.pk}/statements/2023").json()["wage"] == "100.00"
    assert api_for(world.t1).get(f"{API}/households/{h1.pk}/statements/2022").status_code == 404
    for user in (world.t2, world.gw2):
        assert api_for(user).get(f"{API}/households/{h1.pk}/statements").status_code == 404
        assert api_for(user).get(f"{API}/households/{h1.pk}/statements/2023").status_code == 404


def test_delete_income_line_trio(world, api_for):
    h1 = world.households["h1"]
    _post(api_for(world.t1), f"{API}/households/{h1.pk}/statements/2023/items", {"item": "wage.local", "amount": "100"})
    item = IncomeItem.objects.get()
    for user in (world.t2, world.gw2):
        assert api_for(user).delete(f"{API}/income-items/{item.pk}").status_code in (403, 404)
    assert IncomeItem.objects.filter(pk=item.pk).exists()
    assert api_for(world.t1).delete(f"{API}/income-items/{item.pk}").status_code == 204
    assert not IncomeItem.objects.exists()


def test_correct_income_line_trio(world, api_for):
    h1 = world.households["h1"]  # 3 members
    _post(api_for(world.t1), f"{API}/households/{h1.pk}/statements/2023/items", {"item": "wage.local", "amount": "100"})
    item = IncomeItem.objects.get()
    url = f"{API}/income-items/{item.pk}"
    for user in (world.t2, world.gw2):
        r = api_for(user).patch(url, data={"amount": "999"}, content_type="application/json")
        assert r.status_code in (403, 404)
    item.refresh_from_db()
    assert item.amount == Decimal("100.00")
    r = api_for(world.t1).patch(url, data={"amount": "3000", "note": "更正"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["net_income"] == "3000.00" and r.json()["per_capita"] == "1000.00"
    r = api_for(world.t1).patch(url, data={"amount": "-1"}, content_type="application/json")
    assert r.status_code == 422
    item.refresh_from_db()
    assert item.amount == Decimal("3000.00") and item.note == "更正"


def test_lines_from_other_modules_cannot_be_corrected_here(world, api_for):
    from bangfu.registry import services

    h1 = world.households["h1"]
    services.income_record(
        household_id=h1.pk,
        year=2023,
        item="transfer.insurance_claim",
        amount="8120",
        source="insurance",
        source_ref="claim:1",
    )
    item = IncomeItem.objects.get()
    r = api_for(world.t1).patch(f"{API}/income-items/{item.pk}", data={"amount": "1"}, content_type="application/json")
    assert r.status_code == 400 and "其他业务" in r.json()["message"]
    item.refresh_from_db()
    assert item.amount == Decimal("8120.00")


# --- authentication and documentation -----------------------------------------------------


def test_anonymous_and_bad_token_get_401(world, client):
    assert client.get(f"{API}/households").status_code == 401
    r = client.get(f"{API}/households", HTTP_AUTHORIZATION="Bearer nope")
    assert r.status_code == 401 and r.json()["message_en"]


def test_openapi_lists_registry_paths(world, client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for p in (
        "/api/v1/registry/households",
        "/api/v1/registry/households/{pk}",
        "/api/v1/registry/import",
        "/api/v1/registry/households/{pk}/statements/{year}/items",
        "/api/v1/registry/members/find",
    ):
        assert p in paths
