"""registry.bulk (the path the demo loads its county through): same invariants, all rows or none."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bangfu.core.errors import ValidationFailed
from bangfu.registry import bulk
from bangfu.registry.models import GuaranteeCheck, Household, IncomeStatement, Member
from bangfu.testing import member_fields


def _row(world, number: str, **kw) -> bulk.HouseholdRow:
    members = kw.pop("members", None) or [member_fields("赵大", "户主"), member_fields("钱二", "配偶")]
    return bulk.HouseholdRow(
        village_code=world.v1a.code,
        grid_id=world.g1.pk,
        fields={"number": number, "poverty_exited": False},
        members=members,
        statements={
            2025: [
                bulk.IncomeLine("wage.local", Decimal("12000.00"), 0),
                bulk.IncomeLine("business.crops", Decimal("3000.00")),
                bulk.IncomeLine("cost.business", Decimal("1000.00")),
            ]
        },
        guarantee=bulk.GuaranteeRow(checked_on=dt.date(2026, 1, 5), water_safe=False),
        **kw,
    )


@pytest.mark.django_db
def test_rows_are_stored_with_head_size_totals_and_history(world) -> None:
    assert bulk.households_bulk_create(rows=[_row(world, "900001"), _row(world, "900002")], source="test") == 2
    h = Household.objects.get(number="900001")
    assert h.head_name == "赵大" and h.size == 2 and h.grid_id == world.g1.pk
    st = IncomeStatement.objects.get(household=h, year=2025)
    assert st.net_income == Decimal("14000.00") and st.per_capita == Decimal("7000.00")
    assert st.items.get(item="wage.local").member == h.members.get(relation="户主")
    assert GuaranteeCheck.objects.get(household=h).water_safe is False
    assert h.history.filter(history_type="+").count() == 1
    assert Member.history.filter(household_id=h.pk, history_type="+").count() == 2


@pytest.mark.django_db
def test_one_bad_row_stores_nothing_and_names_the_row(world) -> None:
    before = (Household.objects.count(), Member.objects.count(), IncomeStatement.objects.count())
    bad = member_fields("孙三", "户主", id_number="511133199001011235")  # wrong check digit
    rows = [_row(world, "900003"), _row(world, "900004", members=[bad]), _row(world, "900003")]
    with pytest.raises(ValidationFailed) as e:
        bulk.households_bulk_create(rows=rows, source="test")
    found = {(p.row, p.field) for p in e.value.problems}
    assert (2, "id_number") in found and (3, "number") in found
    assert (Household.objects.count(), Member.objects.count(), IncomeStatement.objects.count()) == before


@pytest.mark.django_db
def test_an_id_already_registered_is_refused(world) -> None:
    row = _row(world, "900005")
    bulk.households_bulk_create(rows=[row], source="test")
    again = _row(world, "900006", members=row.members)
    with pytest.raises(ValidationFailed) as e:
        bulk.households_bulk_create(rows=[again], source="test")
    assert {p.field for p in e.value.problems} == {"id_number"}
    assert not Household.objects.filter(number="900006").exists()
