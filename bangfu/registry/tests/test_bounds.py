"""Registry input bounds: amounts, text, identifiers (reliability D1, D8, D9, D10, D14; security D13)."""

from __future__ import annotations

import json

import pytest

from bangfu.registry.models import Household, IncomeItem, IncomeStatement, Member
from bangfu.testing import member_fields

pytestmark = pytest.mark.django_db
API = "/api/v1/registry"


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def _patch(client, url, body):
    return client.patch(url, data=json.dumps(body), content_type="application/json")


def _bilingual_422(r):
    assert r.status_code == 422, r.content[:300]
    body = r.json()
    assert body["message"] and body["message_en"]
    return body


@pytest.mark.parametrize("amount", ["10000000000", "1e30", "4503599627370495", "0.001", "12.345", "-5"])
def test_income_line_out_of_range_is_refused_and_the_household_stays_readable(world, api_for, amount):
    h = world.households["h1"]
    c = api_for(world.t1)
    r = _post(c, f"{API}/households/{h.pk}/statements/2025/items", {"item": "wage.local", "amount": amount})
    _bilingual_422(r)
    assert not IncomeItem.objects.filter(statement__household=h).exists()
    assert c.get(f"{API}/households/{h.pk}").status_code == 200
    assert c.get(f"{API}/households/{h.pk}/statements").status_code == 200


def test_many_large_lines_cannot_overflow_the_statement_totals(world):
    from bangfu.core.errors import ValidationFailed
    from bangfu.registry import services

    h = world.households["h1"]
    for i in range(99):
        services.income_record(
            household_id=h.pk, year=2025, item="wage.local", amount="100000000", source="t", source_ref=f"x{i}"
        )
    with pytest.raises(ValidationFailed):
        services.income_record(
            household_id=h.pk, year=2025, item="wage.local", amount="100000000", source="t", source_ref="x99"
        )
    st = IncomeStatement.objects.get(household=h, year=2025)  # still readable on SQLite
    assert st.wage == 99 * 100000000


def test_an_income_line_cannot_name_a_member_of_another_household(world, api_for):
    h1, h3 = world.households["h1"], world.households["h3"]
    foreign = Member.objects.filter(household=h3).first()
    assert foreign is not None
    r = _post(
        api_for(world.county),
        f"{API}/households/{h1.pk}/statements/2025/items",
        {"item": "wage.local", "amount": "100.00", "member_id": foreign.pk},
    )
    _bilingual_422(r)
    assert not IncomeItem.objects.filter(member=foreign).exists()


def test_the_full_width_twin_of_a_household_number_is_the_same_number(world, api_for):
    existing = world.households["h1"].number
    twin = existing.translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})
    body = {"village_code": world.v1a.code, "number": twin, "members": [member_fields("李四")]}
    r = _post(api_for(world.county), f"{API}/households", body)
    assert r.status_code in (409, 422), r.content[:300]
    assert Household.objects.filter(number__in=[existing, twin]).count() == 1


def test_a_full_width_new_number_is_stored_in_ascii(world, api_for):
    body = {"village_code": world.v1a.code, "number": "５１１１３３９９９", "members": [member_fields("李四")]}
    r = _post(api_for(world.county), f"{API}/households", body)
    assert r.status_code == 201, r.content[:300]
    assert Household.objects.filter(number="511133999").exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"address": "x" * 2000},
        {"address": "村\x00路"},
        {"phone": "abcabcabc"},
        {"phone": "1" * 25},
        {"village_code": None},
        {"address": "\u200b"},
    ],
)
def test_household_text_fields_are_bounded(world, api_for, changes):
    h = world.households["h1"]
    before = (h.address, h.phone, h.village_id)
    _bilingual_422(_patch(api_for(world.t1), f"{API}/households/{h.pk}", changes))
    h.refresh_from_db()
    assert (h.address, h.phone, h.village_id) == before


def test_phone_is_stored_as_digits(world, api_for):
    h = world.households["h1"]
    r = _patch(api_for(world.t1), f"{API}/households/{h.pk}", {"phone": "０８３３-１２３４５６７"})
    assert r.status_code == 200, r.content[:300]
    h.refresh_from_db()
    assert h.phone == "08331234567"


@pytest.mark.parametrize("name", ["\u200b", "张\u200d三", "张\u202e三", "\x01\x02", "王" * 61])
def test_member_names_with_invisible_or_control_characters_are_refused(world, api_for, name):
    h = world.households["h1"]
    n = Member.objects.count()
    r = _post(api_for(world.t1), f"{API}/households/{h.pk}/members", member_fields(name, "之子"))
    _bilingual_422(r)
    assert Member.objects.count() == n


def test_another_area_changes_nothing(world, api_for):
    h = world.households["h1"]
    r = _post(
        api_for(world.t2), f"{API}/households/{h.pk}/statements/2025/items", {"item": "wage.local", "amount": "1e30"}
    )
    assert r.status_code in (404, 422)
    assert not IncomeItem.objects.filter(statement__household=h).exists()


def test_the_database_refuses_an_amount_its_column_cannot_hold_even_past_the_services(world):
    """The CHECK constraints are the last guard: a bulk write that skips the services is refused."""
    from decimal import Decimal

    from django.db import DataError, IntegrityError, transaction

    from bangfu.registry import services

    h = world.households["h1"]
    line = services.income_record(household_id=h.pk, year=2025, item="wage.local", amount="10", source="t")
    refused = (IntegrityError, DataError)  # PostgreSQL's numeric(12, 2) itself refuses 1e10: DataError
    for bad in (Decimal("10000000000"), Decimal("-1")):
        with pytest.raises(refused), transaction.atomic():
            IncomeItem.objects.filter(pk=line.pk).update(amount=bad)
    with pytest.raises(refused), transaction.atomic():
        IncomeStatement.objects.filter(household=h).update(wage=Decimal("10000000000"))
    line.refresh_from_db()
    assert line.amount == Decimal("10.00")
