"""Registry pages: the access trio on every page, forms with field errors, history, masking."""

from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bangfu.core.models import PiiView
from bangfu.registry.models import Household, IncomeStatement, Member
from bangfu.testing import member_fields, new_household, new_id_number

pytestmark = pytest.mark.django_db


def test_list_shows_only_the_users_households(world, client_for):
    h1, h2, h3 = (world.households[k] for k in ("h1", "h2", "h3"))
    body = client_for(world.t1).get("/registry/households/").content.decode()
    assert h1.number in body and h2.number in body and h3.number not in body
    body = client_for(world.gw1).get("/registry/households/").content.decode()
    assert h1.number in body and h2.number not in body
    assert client_for(world.dept).get("/registry/households/").status_code == 404


def test_household_page_access_trio(world, client_for):
    h1 = world.households["h1"]
    assert client_for(world.t1).get(f"/registry/households/{h1.pk}/").status_code == 200
    assert client_for(world.gw1).get(f"/registry/households/{h1.pk}/").status_code == 200
    assert client_for(world.t2).get(f"/registry/households/{h1.pk}/").status_code == 404
    assert client_for(world.gw2).get(f"/registry/households/{h1.pk}/").status_code == 404


def test_ids_are_masked_on_the_page(world, client_for):
    h1 = world.households["h1"]
    m = h1.members.first()
    from bangfu.core import crypto

    full = crypto.decrypt(m.id_enc)
    body = client_for(world.t1).get(f"/registry/households/{h1.pk}/").content.decode()
    assert full not in body and m.id_masked in body


def test_full_id_view_is_role_gated_and_logged(world, client_for):
    m = world.households["h1"].members.first()
    from bangfu.core import crypto

    url = f"/registry/members/{m.pk}/id-number/"
    # D14: revealing writes a PiiView, so GET (a cross-site link, a prefetch) reveals nothing: it shows
    # the household page the button is on (a reload never gives a blank 405)
    shown = client_for(world.t1).get(url)
    assert shown.status_code == 200 and crypto.decrypt(m.id_enc) not in shown.content.decode()
    assert not PiiView.objects.exists()
    r = client_for(world.t1).post(url)
    assert r.status_code == 200 and r.content.decode() == crypto.decrypt(m.id_enc)
    assert PiiView.objects.filter(actor=world.t1, object_id=str(m.pk)).count() == 1
    r = client_for(world.v1).post(url)  # village cadre: no full view
    assert r.status_code == 403 and crypto.decrypt(m.id_enc) not in r.content.decode()
    assert client_for(world.t2).post(url).status_code == 404
    assert PiiView.objects.count() == 1


def test_full_id_reveal_needs_the_csrf_token(world):
    from django.test import Client

    m = world.households["h1"].members.first()
    c = Client(enforce_csrf_checks=True)
    c.force_login(world.t1, backend="bangfu.accounts.sessions.AccountBackend")
    assert c.post(f"/registry/members/{m.pk}/id-number/").status_code == 403
    assert not PiiView.objects.exists()


def test_create_household_with_field_errors_then_success(world, client_for):
    c = client_for(world.t1)
    bad = {"number": "abc", "village": world.v1a.code, "name": "", "id_number": "110105194912310021"}
    r = c.post("/registry/households/new/", bad)
    assert r.status_code == 422
    body = r.content.decode()
    assert "户编号须为" in body and "校验位" in body
    assert not Household.objects.filter(number="abc").exists()
    good = {
        "number": "511133100201999",
        "village": world.v1a.code,
        "grid": world.g1.pk,
        "name": "吉石罗布",
        "id_number": new_id_number(),
        "poverty_exited": "是",
        "exit_year": "2019",
    }
    r = c.post("/registry/households/new/", good)
    assert r.status_code == 302
    h = Household.objects.get(number="511133100201999")
    assert h.head_name == "吉石罗布" and h.size == 1 and h.grid == world.g1 and h.exit_year == 2019


def test_neighbour_cannot_create_in_my_village(world, client_for):
    r = client_for(world.t2).post(
        "/registry/households/new/",
        {"number": "511133100201998", "village": world.v1a.code, "name": "某人", "id_number": new_id_number()},
    )
    assert r.status_code == 404
    assert not Household.objects.filter(number="511133100201998").exists()


def test_edit_records_history_with_reason(world, client_for):
    h1 = world.households["h1"]
    c = client_for(world.t1)
    r = c.post(
        f"/registry/households/{h1.pk}/edit/",
        {
            "address": "雪口山乡安置点3栋",
            "phone": "13800000000",
            "exit_year": "2018",
            "poverty_exited": "是",
            "dibao": "是",
            "grid": world.g1.pk,
            "reason": "入户核实",
        },
    )
    assert r.status_code == 302
    h1.refresh_from_db()
    assert h1.dibao and h1.dibao_since is not None and h1.address == "雪口山乡安置点3栋"
    page = c.get(f"/registry/households/{h1.pk}/").content.decode()
    assert "雪口山乡安置点3栋" in page and "入户核实" in page and "低保户" in page
    last = h1.history.first()
    assert last.history_user == world.t1 and last.history_change_reason == "入户核实"


def test_edit_access_trio_changes_nothing(world, client_for):
    h1 = world.households["h1"]
    for user in (world.t2, world.gw2):
        r = client_for(user).post(f"/registry/households/{h1.pk}/edit/", {"address": "X", "reason": "x"})
        assert r.status_code in (403, 404)
    r = client_for(world.gw1).post(f"/registry/households/{h1.pk}/edit/", {"address": "X", "reason": "x"})
    assert r.status_code in (403, 404)  # a grid worker sees the household but may not edit the registry
    h1.refresh_from_db()
    assert h1.address != "X"


def test_member_add_edit_remove(world, client_for):
    h1 = world.households["h1"]
    c = client_for(world.t1)
    data = member_fields("阿说子莫", "配偶")
    r = c.post(f"/registry/households/{h1.pk}/members/new/", data)
    assert r.status_code == 302
    m = Member.objects.get(household=h1, name="阿说子莫")
    h1.refresh_from_db()
    assert h1.size == 4
    r = c.post(f"/registry/households/{h1.pk}/members/new/", data)  # same ID number again
    assert r.status_code == 409 and "已登记在册" in r.content.decode()
    r = c.post(
        f"/registry/members/{m.pk}/edit/",
        {"name": "阿说子莫", "relation": "配偶", "employment": "务工", "months_worked": "13"},
    )
    assert r.status_code == 422 and "0到12" in r.content.decode()
    r = c.post(f"/registry/members/{m.pk}/remove/", {"reason": ""})
    m.refresh_from_db()
    assert m.active
    c.post(f"/registry/members/{m.pk}/remove/", {"reason": "外嫁"})
    m.refresh_from_db()
    h1.refresh_from_db()
    assert not m.active and h1.size == 3
    assert client_for(world.t2).post(f"/registry/members/{m.pk}/edit/", {"name": "X"}).status_code in (403, 404)


def test_income_lines_recompute_the_statement(world, client_for):
    h1 = world.households["h1"]  # 3 members
    c = client_for(world.t1)
    c.post(f"/registry/households/{h1.pk}/income/", {"year": "2025", "item": "wage.migrant", "amount": "36000"})
    c.post(f"/registry/households/{h1.pk}/income/", {"year": "2025", "item": "business.crops", "amount": "5000"})
    c.post(f"/registry/households/{h1.pk}/income/", {"year": "2025", "item": "cost.business", "amount": "1000.50"})
    st = IncomeStatement.objects.get(household=h1, year=2025)
    assert str(st.net_income) == "39999.50" and str(st.per_capita) == "13333.17"
    c.post(f"/registry/households/{h1.pk}/income/", {"year": "2025", "item": "wage.migrant", "amount": "-5"})
    st.refresh_from_db()
    assert str(st.net_income) == "39999.50"
    client_for(world.t2).post(
        f"/registry/households/{h1.pk}/income/", {"year": "2025", "item": "wage.migrant", "amount": "99999"}
    )
    st.refresh_from_db()
    assert str(st.net_income) == "39999.50"
    item = st.items.get(item="cost.business")
    assert client_for(world.t2).post(f"/registry/income-items/{item.pk}/delete/").status_code in (403, 404)
    client_for(world.t1).post(f"/registry/income-items/{item.pk}/delete/")
    st.refresh_from_db()
    assert str(st.net_income) == "41000.00"


def test_search_by_name_number_and_id(world, client_for):
    h1 = world.households["h1"]
    c = client_for(world.county)
    m = h1.members.first()
    from bangfu.core import crypto

    full = crypto.decrypt(m.id_enc)
    assert h1.number in c.get("/registry/households/", {"q": m.name}).content.decode()
    assert h1.number in c.get("/registry/households/", {"q": h1.number}).content.decode()
    # D10: an ID number is searched by POST and never put into a URL
    r = c.post(f"/registry/households/?village={world.v1a.code}", {"q": full, "village": world.v1a.code})
    body = r.content.decode()
    assert r.status_code == 200 and h1.number in body and world.households["h3"].number not in body
    assert f"q={full}" not in body  # no link (export, pages, sorting, chips) carries it
    r = c.post("/registry/households/", {"q": full})  # without htmx: the page itself, no redirect to a URL with it
    assert r.status_code == 200 and h1.number in r.content.decode()
    r = c.post("/registry/households/", {"q": m.name})  # other searches: redirected to a bookmarkable list
    assert r.status_code == 302 and r["Location"].endswith(f"?q={quote(m.name)}")
    r = c.get("/registry/households/", {"q": full})  # an old link with an ID number: not searched
    assert r.status_code == 302 and full not in r["Location"]
    r = client_for(world.t1).post("/registry/find/", {"id_number": full})
    assert r.status_code == 302 and r["Location"].endswith(f"/registry/households/{h1.pk}/")
    assert client_for(world.t2).post("/registry/find/", {"id_number": full}).status_code == 404
    r = client_for(world.t1).get("/registry/find/", {"id_number": full})  # GET does not search
    assert r.status_code == 302 and r["Location"] == "/registry/find/"
    assert 'method="post"' in client_for(world.t1).get("/registry/find/").content.decode()


def test_list_runs_a_fixed_number_of_queries(world, client_for):
    c = client_for(world.county)
    c.get("/registry/households/")  # warm session/user caches
    with CaptureQueriesContext(connection) as few:
        c.get("/registry/households/")
    for _ in range(40):
        new_household(world.v1a, world.g1, members=2)
    with CaptureQueriesContext(connection) as many:
        r = c.get("/registry/households/")
    assert r.status_code == 200
    assert len(many) == len(few)


def test_anonymous_is_sent_to_login(client, world):
    r = client.get("/registry/households/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_filters_by_village_prefix_and_grid_choices_follow_the_village(world, client_for):
    c = client_for(world.county)
    r = c.get("/registry/households/", {"village": world.area_t1.code[:9]})  # the dashboard's prefix: an area
    assert r.status_code == 302 and r["Location"] == f"/registry/households/?area={world.area_t1.code}"
    body = c.get(r["Location"]).content.decode()
    assert world.households["h1"].number in body and world.households["h3"].number not in body
    body = c.get("/registry/households/", {"village": world.v1a.code}).content.decode()
    grids = body.split('<select name="grid">', 1)[1].split("</select>", 1)[0]
    assert world.g1.name in grids and world.g2.name in grids and world.g3.name not in grids
    body = c.get("/registry/households/", {"village": world.v2a.code}).content.decode()
    assert '<select name="grid">' not in body  # 民主村 has one grid: nothing to choose


def test_many_villages_leave_the_place_to_the_link(world, client_for, monkeypatch):
    from bangfu.registry import views

    monkeypatch.setattr(views, "MAX_DROPDOWN", 2)
    body = client_for(world.county).get("/registry/households/").content.decode()
    assert 'name="village"' not in body  # too many to list: the place comes from the link, as a chip
    body = client_for(world.county).get("/registry/households/", {"area": world.v2a.code}).content.decode()
    assert 'class="chip"' in body and world.households["h3"].number in body
    assert world.households["h1"].number not in body


def test_a_changed_list_in_the_history_is_in_the_readers_language() -> None:
    """The household's change history shows a changed list (risk types, stored as their Chinese labels)
    item by item in the reader's language (the page crawl found 家庭刚性支出较大 on an English page)."""
    from django.utils import translation

    from bangfu.registry.selectors import _shown

    with translation.override("en"):
        shown = _shown(["因学", "家庭刚性支出较大"])
        assert shown.endswith(", Heavy unavoidable spending") and shown.isascii()
    with translation.override("zh-hans"):
        assert _shown(["因学", "家庭刚性支出较大"]) == "因学、家庭刚性支出较大"
