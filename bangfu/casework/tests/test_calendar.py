"""The national working-day calendar ships as data (chinesecalendar); local days go on top of it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from bangfu.casework import selectors, services
from bangfu.casework.models import CalendarDay
from bangfu.core.domain.workdays import add_working_days

pytestmark = pytest.mark.django_db


def test_national_day_2026_deadline_counts_the_make_up_saturday(world, params) -> None:
    """Verified on Wednesday 30 September 2026, the data comparison (5 working days) is due on
    8, 9, 10 (调休 Saturday), 12, 13 October: the 13th, not the 14th."""
    holidays, workdays = selectors.calendar_for(world.v1a.code)
    assert dt.date(2026, 10, 10) in workdays and dt.date(2026, 9, 20) in workdays
    assert add_working_days(dt.date(2026, 9, 30), 5, holidays, workdays) == dt.date(2026, 10, 13)
    h = world.households["h1"]
    case = services.case_open(actor=world.gw1, household=h, source="grid", summary="住院", on=dt.date(2026, 9, 28))
    case = services.case_step(actor=world.t1, case=case, event="accept", on=dt.date(2026, 9, 29))
    case = services.case_step(
        actor=world.v1,
        case=case,
        event="verify",
        on=dt.date(2026, 9, 30),
        data={"consent_signed_on": "2026-09-30", "survey": "入户核实"},
    )
    assert case.state == "home_verified" and case.due_on == dt.date(2026, 10, 13)


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (dt.date(2026, 2, 17), "春节"),
        (dt.date(2026, 4, 6), "清明节"),
        (dt.date(2026, 6, 19), "端午节"),
        (dt.date(2026, 9, 25), "中秋节"),
        (dt.date(2026, 10, 1), "国庆节"),
        (dt.date(2026, 1, 1), "元旦"),
    ],
)
def test_the_2026_festivals_are_national_holidays_out_of_the_box(world, day: dt.date, name: str) -> None:
    row = CalendarDay.objects.get(area__isnull=True, date=day)
    assert row.name == name and not row.working
    assert day in selectors.calendar_for(world.v1a.code)[0]


def test_loading_again_adds_nothing_and_keeps_an_administrators_correction(world) -> None:
    CalendarDay.objects.filter(area__isnull=True, date=dt.date(2026, 10, 8)).delete()
    services.calendar_day_set(actor=None, date=dt.date(2026, 10, 1), name="国庆节（更正）")
    assert services.calendar_load_national(actor=None, years=[2026]) == 0
    assert CalendarDay.objects.get(area__isnull=True, date=dt.date(2026, 10, 1)).name == "国庆节（更正）"


def test_a_local_day_goes_on_top_of_the_national_calendar(world, params) -> None:
    """A county adds its own holiday through the page (test_admin_pages); here a township-level row
    shows the most specific area decides a date, and the neighbouring township keeps the national one."""
    t1 = world.area_t1.code
    services.calendar_day_set(actor=None, date=dt.date(2026, 10, 12), name="乡庆", area_code=t1)
    services.calendar_day_set(actor=None, date=dt.date(2026, 10, 7), name="防汛值班", working=True, area_code=t1)
    holidays, workdays = selectors.calendar_for(world.v1a.code)
    assert dt.date(2026, 10, 12) in holidays and dt.date(2026, 10, 7) in workdays
    assert dt.date(2026, 10, 7) not in holidays
    elsewhere = selectors.calendar_for(world.v2a.code)
    assert add_working_days(dt.date(2026, 9, 30), 5, *elsewhere) == dt.date(2026, 10, 13)


def test_settings_page_warns_when_next_years_calendar_is_missing(world, params, client_for) -> None:
    next_year = timezone.localdate().year + 1
    page = client_for(world.county).get(reverse("casework:config")).content.decode()
    assert 'id="calendar-missing"' in page and f"尚未录入{next_year}年全国节假日安排" in page
    services.calendar_day_set(actor=None, date=dt.date(next_year, 1, 1), name="元旦")
    assert 'id="calendar-missing"' not in client_for(world.county).get(reverse("casework:config")).content.decode()


def test_only_the_administrator_loads_the_national_calendar(world) -> None:
    from bangfu.core.errors import Forbidden

    with pytest.raises(Forbidden):
        services.calendar_load_national(actor=world.county)
