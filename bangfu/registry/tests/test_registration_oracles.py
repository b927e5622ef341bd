"""No "already registered elsewhere" oracle (security review D9).

An ID number or household number registered outside the actor's areas gets one neutral, bilingual
answer ("cannot be registered here, contact the county") that does not say whether it exists, and the
attempt is in the audit log; inside the actor's areas the precise message stays. Every other rule is
checked first, so no cheaper error tells a registered number from an unknown one.
"""

from __future__ import annotations

import json

import pytest

from bangfu.core import crypto
from bangfu.core.models import AuditEvent
from bangfu.registry.models import Household, Member
from bangfu.testing import member_fields, new_id_number

pytestmark = pytest.mark.django_db

API = "/api/v1/registry"


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def _id_of(world, key: str) -> str:
    return crypto.decrypt(world.households[key].members.first().id_enc)


def _household_body(world, number: str, *members: dict) -> dict:
    return {"number": number, "village_code": world.v1a.code, "grid_id": world.g1.pk, "address": "羊店儿村3组",
            "members": list(members) or [member_fields("吉石罗布", "户主")]}  # fmt: skip


def test_an_id_registered_in_another_township_gets_the_neutral_answer_and_is_audited(world, api_for) -> None:
    h1 = world.households["h1"]
    api, before = api_for(world.t1), Member.objects.count()
    elsewhere = _post(
        api, f"{API}/households/{h1.pk}/members", member_fields("甲", "之子", id_number=_id_of(world, "h3"))
    )
    assert elsewhere.status_code == 409
    problem = elsewhere.json()
    assert problem["code"] == "not_registrable"
    assert "无法在此登记，请联系县级管理员" in json.dumps(problem, ensure_ascii=False)
    assert "cannot be registered here" in json.dumps(problem)
    assert "已登记" not in json.dumps(problem, ensure_ascii=False)
    refused = AuditEvent.objects.get(action="registration_refused")
    assert (refused.actor, refused.area_code, refused.data) == (world.t1, h1.village_id, {"field": "id_number"})
    assert refused.object_id == str(h1.pk)  # the household asked about, never the one elsewhere
    # inside t1's own township the precise message stays
    inside = _post(api, f"{API}/households/{h1.pk}/members", member_fields("乙", "之子", id_number=_id_of(world, "h2")))
    assert inside.status_code == 409 and inside.json()["code"] == "duplicate_id"
    assert "已登记在册" in json.dumps(inside.json(), ensure_ascii=False)
    assert Member.objects.count() == before
    # the neighbouring township's officer cannot even reach h1
    other = _post(api_for(world.t2), f"{API}/households/{h1.pk}/members", member_fields("丙", "之子"))
    assert other.status_code == 404 and Member.objects.count() == before


def test_no_earlier_error_tells_a_registered_number_from_an_unknown_one(world, api_for) -> None:
    """The reviewer's probe: as head of a household that has one, unknown → duplicate_head, registered →
    duplicate_id. Now both meet the head rule first and get the same answer."""
    h1, api = world.households["h1"], api_for(world.t1)
    registered = _post(
        api, f"{API}/households/{h1.pk}/members", member_fields("甲", "户主", id_number=_id_of(world, "h3"))
    )
    unknown = _post(api, f"{API}/households/{h1.pk}/members", member_fields("甲", "户主", id_number=new_id_number()))
    assert registered.status_code == unknown.status_code == 409
    assert registered.json()["code"] == unknown.json()["code"] == "duplicate_head"
    # household creation: a second head is refused before any number is looked at
    two_heads = [member_fields("甲", "户主", id_number=_id_of(world, "h3")), member_fields("乙", "户主")]
    r = _post(api, f"{API}/households", _household_body(world, "511133100201998", *two_heads))
    assert r.status_code == 422 and not AuditEvent.objects.filter(action="registration_refused").exists()


def test_household_numbers_outside_the_area_get_the_neutral_answer(world, api_for, client_for) -> None:
    api, before = api_for(world.t1), Household.objects.count()
    h3 = world.households["h3"]  # 民主村, the neighbouring township
    r = _post(api, f"{API}/households", _household_body(world, h3.number))
    assert r.status_code == 409 and r.json()["code"] == "not_registrable"
    assert h3.number not in json.dumps(r.json(), ensure_ascii=False)
    refused = AuditEvent.objects.get(action="registration_refused")
    assert refused.data == {"field": "number"} and refused.area_code == world.v1a.code
    inside = _post(api, f"{API}/households", _household_body(world, world.households["h2"].number))
    assert inside.status_code == 409 and inside.json()["code"] == "duplicate"
    # the page says the same neutral thing, in the reader's language
    form = {"number": h3.number, "village": world.v1a.code, "address": "x", **member_fields("甲", "户主")}
    page = client_for(world.t1).post("/registry/households/new/", form)
    assert page.status_code in (409, 422) and "无法在此登记" in page.content.decode()
    english = client_for(world.t1)
    english.cookies["django_language"] = "en"
    assert "cannot be registered here" in english.post("/registry/households/new/", form).content.decode()
    assert Household.objects.count() == before


def test_an_id_elsewhere_in_a_new_household_gets_the_neutral_answer(world, api_for) -> None:
    body = _household_body(world, "511133100201997", member_fields("甲", "户主", id_number=_id_of(world, "h3")))
    r = _post(api_for(world.t1), f"{API}/households", body)
    assert r.status_code == 409 and r.json()["code"] == "not_registrable"
    assert not Household.objects.filter(number="511133100201997").exists()


def test_the_import_gives_the_neutral_answer_for_numbers_of_other_areas(world) -> None:
    from bangfu.core.errors import ValidationFailed
    from bangfu.registry.importer import household_import
    from bangfu.registry.tests.test_import import household, member, xlsx

    h2, h3 = world.households["h2"], world.households["h3"]
    data = xlsx(
        [household("511133100201951", world.v1a.code), household(h3.number, world.v1a.code),
         household(h2.number, world.v1a.code)],
        [member("511133100201951", "甲", id_number=_id_of(world, "h3")), member(h3.number, "乙"),
         member(h2.number, "丙", id_number=_id_of(world, "h2"))],
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as err:
        household_import(actor=world.t1, data=data, filename="x.xlsx")
    by_row = {(p.field.split("!")[0], p.row): p.zh for p in err.value.problems}
    assert by_row[("成员", 2)] == "该身份证号无法在此登记，请联系县级管理员核实"  # h3's head: another township
    assert by_row[("农户", 3)] == "该户编号无法在此登记，请联系县级管理员核实"
    assert "已登记在册" in by_row[("成员", 4)] and "已登记在册" in by_row[("农户", 4)]  # t1's own h2: precise
    assert all(h3.number not in zh for zh in by_row.values())
    refused = AuditEvent.objects.get(action="registration_refused")
    assert refused.actor == world.t1 and refused.data == {"field": "import", "rows": 2}
