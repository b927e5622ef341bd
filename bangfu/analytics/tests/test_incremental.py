"""The incremental indicator refresh (issue #18): only the villages whose figures may have moved are
counted again — a write marked them (every kind of write that feeds an indicator, listed below), their
figures are of another month, or a dated fact of theirs crossed the days between — and the areas
above them are re-summed from the cache; the result equals a full refresh."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from bangfu.analytics import counts, services
from bangfu.analytics.models import IndicatorValue, UnitMark
from bangfu.analytics.tests.test_services import cached
from bangfu.casework import services as casework
from bangfu.core.services import audit_record
from bangfu.monitoring import services as monitoring
from bangfu.monitoring.models import Warning
from bangfu.registry import bulk
from bangfu.registry import services as registry
from bangfu.registry.importer import household_import
from bangfu.registry.models import Household
from bangfu.registry.tests.test_import import household as import_row
from bangfu.registry.tests.test_import import member as import_member
from bangfu.registry.tests.test_import import xlsx
from bangfu.testing import member_fields, new_household

pytestmark = pytest.mark.django_db


def cache() -> set[tuple[str, str, str, str]]:
    """Every cached cell, without the time it was computed."""
    return {(u, k, p, str(v)) for u, k, p, v in IndicatorValue.objects.values_list("unit", "key", "period", "value")}


def marked() -> set[str]:
    return set(UnitMark.objects.filter(changes__gt=0).values_list("code", flat=True))


def settled(county) -> None:
    services.indicators_refresh(trigger="nightly")  # everything counted, every mark cleared
    assert marked() == set()


def test_a_change_in_one_village_recounts_only_that_village(county):
    settled(county)
    assert services.indicators_refresh(incremental=True).villages == 0  # nothing moved: nothing counted
    h1 = Household.objects.get(pk=county.households["h1"].pk)
    registry.household_update(actor=None, household=h1, changes={"dibao": True}, reason="核实")
    assert marked() == {county.v1a.code}
    run = services.indicators_refresh(incremental=True)
    assert run.villages == 1 and marked() == set()
    assert cached(county.v1a.code, "dibao") == 1
    assert cached(county.area_t1.code, "dibao") == 1 and cached(county.province.code, "dibao") == 1
    assert cached(county.area_t1.code, "households") == 3  # the untouched village's cache still counts


def test_incremental_totals_equal_a_full_refresh(county):
    settled(county)
    h1 = Household.objects.get(pk=county.households["h1"].pk)
    registry.household_update(actor=None, household=h1, changes={"tekun": True, "no_labour": True}, reason="核实")
    new_household(county.v2a, county.g3, members=4, relocated=True)
    h2 = Household.objects.get(pk=county.households["h2"].pk)
    registry.household_update(
        actor=None, household=h2, changes={"village_code": county.v2a.code, "grid_id": county.g3.pk}, reason="迁居"
    )
    run = services.indicators_refresh(incremental=True)
    assert run.villages == 2  # V1a (h1, and h2 moved out) and V2a (a new household, h2 moved in); V1b untouched
    incremental = cache()
    services.indicators_refresh()  # forced full
    assert cache() == incremental


def test_a_county_part_of_the_nightly_refresh_leaves_the_province_to_the_roll_up(county):
    settled(county)
    new_household(county.v1b, None)
    province_before = cached(county.province.code, "households")
    services.indicators_refresh(area_code=county.area_county.code, incremental=True, above_county=False)
    assert cached(county.area_county.code, "households") == 5 and cached(county.v1b.code, "households") == 2
    assert cached(county.province.code, "households") == province_before  # summed once, after the last county
    services.indicators_roll_up()
    assert cached(county.province.code, "households") == 5


def test_a_dated_fact_recounts_its_village_without_a_write(county):
    """A case step falls due between two nights: its village is counted again, the others are not
    (unless a dated fact of theirs moved too), and the figures equal a full refresh."""
    due = county.case.due_on
    services.indicators_refresh(as_of=due)
    assert cached(county.v1a.code, "cases.overdue", f"{due:%Y-%m}") in (None, 0)
    nxt = due + dt.timedelta(days=1)
    run = services.indicators_refresh(as_of=nxt, incremental=True)
    assert cached(county.area_t1.code, "cases.overdue", f"{nxt:%Y-%m}") == 1
    if (nxt.year, nxt.month) == (due.year, due.month):
        assert run.villages < 3  # not every village: only those with a dated fact in the two days
    incremental = cache()
    services.indicators_refresh(as_of=nxt)
    assert cache() == incremental


def test_another_month_recounts_every_village(county):
    settled(county)
    today = timezone.localdate()
    first_next = dt.date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    assert services.indicators_refresh(as_of=first_next, incremental=True).villages == 3


def test_the_dated_sources_are_listed():
    """A new indicator source with a date in its window must add its `villages_dated` here."""
    assert {f.__module__.split(".")[1] for f in counts.DATED} == {
        "registry", "monitoring", "casework", "insurance", "employment", "market",
    }  # fmt: skip
    assert len(counts.COUNTERS) == 6


# --- every kind of write that changes an indicator marks its village --------------------------------


def test_audited_writes_mark_their_area_at_any_level(county):
    """Every write service records an AuditEvent with the area it changed (registry, monitoring's
    warning decisions, casework, insurance, employment, market: docs/conventions.md); that marks it.
    A county's mark makes each of its villages count again."""
    settled(county)
    audit_record(actor=None, action="workshop_update", obj=county.v1a, area_code=county.v1a.code)
    assert marked() == {county.v1a.code}
    services.indicators_refresh(incremental=True)
    audit_record(actor=None, action="policy_set", obj=county.area_county, area_code=county.area_county.code)
    assert marked() == {county.v1a.code, county.v1b.code, county.v2a.code}  # each village under the county
    assert services.indicators_refresh(incremental=True).villages == 3 and marked() == set()
    audit_record(actor=None, action="calendar_day_set", obj=county.area_county, area_code=county.area_county.code)
    assert marked() == set()  # writes that change no figure (analytics.apps.QUIET)


def test_household_writes_mark_their_villages(county):
    settled(county)
    new_household(county.v1b, None)
    assert marked() == {county.v1b.code}
    settled(county)
    h1 = Household.objects.get(pk=county.households["h1"].pk)
    registry.household_update(
        actor=None, household=h1, changes={"village_code": county.v2a.code, "grid_id": county.g3.pk}, reason="迁居"
    )
    assert marked() == {county.v1a.code, county.v2a.code}  # the village it left, too


def test_an_import_marks_its_villages_not_the_whole_area(county):
    settled(county)
    data = xlsx(
        [import_row("511133100202911", county.v1b.code)],
        [import_member("511133100202911", "沙马拉且")],
    )
    household_import(actor=county.t1, data=data, filename="户.xlsx")
    assert marked() == {county.v1b.code}
    assert services.indicators_refresh(incremental=True).villages == 1


def test_a_bulk_create_marks_its_villages(county):
    settled(county)
    row = bulk.HouseholdRow(
        village_code=county.v2a.code,
        fields={"number": "511133200201999"},
        members=[member_fields("阿牛", "户主")],
    )
    bulk.households_bulk_create(rows=[row], source="test")
    assert marked() == {county.v2a.code}


def test_screening_set_wise_marks_the_villages_of_its_new_warnings(county):
    settled(county)
    Warning.objects.all().delete()
    UnitMark.objects.update(changes=0)
    run = monitoring.screen(area_code="", as_of=timezone.localdate(), trigger="test")
    assert run.new_warnings >= 1
    assert marked() == set(Warning.objects.values_list("village_code", flat=True))


def test_casework_writes_mark_the_village_or_every_village_under_a_county(county):
    settled(county)
    casework.case_open(
        actor=county.t1, household=county.households["h1"], source="grid", summary="突发疾病", on=timezone.localdate()
    )
    assert marked() == {county.v1a.code}
    settled(county)
    casework.obligation_set(
        actor=None, area_code=county.area_county.code, category="monitored", visits=2, period="month",
        phone_counts=True, effective_from=dt.date(2020, 1, 1),
    )  # fmt: skip
    assert marked() == {county.v1a.code, county.v1b.code, county.v2a.code}
    assert services.indicators_refresh(incremental=True).villages == 3


def test_a_mark_added_while_the_refresh_counts_is_kept(county):
    """The refresh clears only the marks it read; a write committing meanwhile keeps its own."""
    settled(county)
    services.mark_changed([county.v1a.code])
    seen = services._marks("")
    services.mark_changed([county.v1a.code])  # a write lands between the read and the clearing
    services._settle(seen, {county.v1a.code}, "", timezone.localdate())
    assert marked() == {county.v1a.code}


def test_a_mark_above_the_counties_is_cleared_by_the_county_parts(county):
    """A province-level write marks every village; the nightly county parts (which never cover the
    province) then clear them all, so the next night recounts nothing."""
    settled(county)
    audit_record(actor=None, action="policy_set", obj=county.province, area_code=county.province.code)
    run = services.indicators_refresh(area_code=county.area_county.code, incremental=True, above_county=False)
    assert run.villages == 3 and marked() == set()
    assert services.indicators_refresh(area_code=county.area_county.code, incremental=True).villages == 0


def test_the_command_is_incremental_unless_full(county):
    settled(county)
    out = io.StringIO()
    call_command("indicators", stdout=out)
    assert "0 villages" in out.getvalue()
    call_command("indicators", "--full", stdout=out)
    assert "3 villages" in out.getvalue()
