"""Opening a case by hand, the lead queue, grids and configuration pages, each with the access trio:
the area's officer acts; the neighbouring township's officer (t2) and a grid worker of another grid
(gw2) get 404 and the database is unchanged afterwards."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from bangfu.accounts import services as accounts
from bangfu.accounts.domain.roles import Role
from bangfu.areas import services as areas
from bangfu.casework import services
from bangfu.casework.models import CalendarDay, Case, CaseParameters, VisitObligation
from bangfu.core.models import AuditEvent
from bangfu.testing import PASSWORD, new_household

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_open_a_case_by_hand_with_field_errors_and_the_trio(world, params, client_for) -> None:
    h = world.households["h1"]
    url = reverse("casework:case_open")
    found = client_for(world.t1).get(url, {"q": h.head_name})
    assert found.status_code == 200 and f'value="{h.pk}"' in found.content.decode()
    bad = client_for(world.t1).post(url, {"source": "", "household_id": "", "summary": ""})
    page = bad.content.decode()
    assert bad.status_code == 422 and "请选择线索来源" in page and "choose where the report came from" not in page
    post = {"source": "hotline", "household_id": h.pk, "summary": "12317热线反映：住院费用高"}
    for who in (world.t2, world.gw2):
        assert client_for(who).post(url, post).status_code in (403, 404)
    assert client_for(world.t2).post(url, post).status_code in (403, 404)  # the household is outside t2's areas
    assert not Case.objects.exists()
    ok = client_for(world.t1).post(url, post)
    case = Case.objects.get()
    assert ok.status_code == 302 and case.source == "hotline" and case.state == "lead" and case.due_on
    missing = client_for(world.t1).post(url, {**post, "household_id": world.households["h2"].pk, "summary": " "})
    assert missing.status_code == 422 and "请简要说明风险情况" in missing.content.decode()


def test_grid_worker_cannot_use_the_intake_page(world, params, client_for) -> None:
    assert client_for(world.gw2).get(reverse("casework:case_open")).status_code == 403
    assert client_for(world.gw2).get(reverse("casework:lead_queue")).status_code == 403


def test_lead_queue_groups_by_township_and_highlights_deadlines(world, params, client_for) -> None:
    old = services.case_open(
        actor=world.t1,
        household=world.households["h1"],
        source="hotline",
        summary="热线",
        on=TODAY - dt.timedelta(days=20),
    )
    fresh = services.case_open(actor=world.t1, household=world.households["h2"], source="supervision", summary="督查")
    other = services.case_open(actor=world.t2, household=world.households["h3"], source="hotline", summary="热线")
    page = client_for(world.t1).get(reverse("casework:lead_queue")).content.decode()
    assert "雪口山乡" in page and f"#{old.pk}" in page and f"#{fresh.pk}" in page and f"#{other.pk}" not in page
    assert "已逾期" in page and page.index(f"#{old.pk}") < page.index(f"#{fresh.pk}")
    county = client_for(world.county).get(reverse("casework:lead_queue")).content.decode()
    assert "雪口山乡" in county and "民建镇" in county
    t2 = client_for(world.t2).get(reverse("casework:lead_queue")).content.decode()
    assert f"#{old.pk}" not in t2 and f"#{other.pk}" in t2


def test_grid_pages_place_and_hand_over_with_the_trio(world, params, client_for) -> None:
    services.params_set(
        actor=None,
        area_code=world.v1b.code,
        effective_from=dt.date(2020, 1, 1),
        values=services.ParamValues(households_per_worker=2),
    )
    for _ in range(3):
        new_household(world.v1b)
    village = reverse("casework:grid_village", args=[world.v1b.code])
    place = reverse("casework:grid_place", args=[world.v1b.code])
    handover = reverse("casework:grid_handover", args=[world.g1.pk])
    for who in (world.t2, world.gw2):
        c = client_for(who)
        assert c.get(village).status_code == 404
        assert c.post(place).status_code in (403, 404)
        assert c.post(handover, {"worker": world.gw2.pk, "reason": "调整"}).status_code in (403, 404)
    world.g1.refresh_from_db()
    assert world.g1.worker_id == world.gw1.pk and not world.v1b.grids.exists()
    assert client_for(world.t1).get(village).status_code == 200
    assert client_for(world.t1).post(place).status_code == 302
    assert sorted(g.households.count() for g in world.v1b.grids.all()) == [1, 2]
    listing = client_for(world.t1).get(reverse("casework:grid_villages")).content.decode()
    assert "黎明村" in listing and "民主村" not in listing
    no_reason = client_for(world.t1).post(handover, {"worker": world.gw2.pk, "reason": ""})
    assert no_reason.status_code == 422 and "请填写调整原因" in no_reason.content.decode()
    stranger = client_for(world.t1).post(handover, {"worker": world.gw3.pk, "reason": "调整"})
    assert stranger.status_code == 422 and "本村网格员" in stranger.content.decode()
    assert client_for(world.t1).post(handover, {"worker": world.gw2.pk, "reason": "外出务工"}).status_code == 302
    world.g1.refresh_from_db()
    assert world.g1.worker_id == world.gw2.pk
    assert list(world.g1.terms.order_by("pk").values_list("worker__username", flat=True)) == ["gw1", "gw2"]
    page = client_for(world.t1).get(reverse("casework:grid_village", args=[world.v1a.code])).content.decode()
    assert "外出务工" in page  # the closed term is shown with its reason


def test_parameters_get_new_versions_without_rewriting_the_past(world, params, client_for) -> None:
    url = reverse("casework:params_add")
    form = {f: str(getattr(params, f)) for f in params.limits()} | {
        "notice_days": "7",
        "min_months_monitored": "6",
        "min_measures_done": "1",
        "stable_income_months": "6",
        "households_per_worker": "30",
        "report_window_hours": "24",
        "reports_per_address": "5",
        "reports_per_id": "2",
        "exclude_no_labour": "1",
        "require_guarantees": "1",
        "area": world.area_county.code,
        "effective_from": (TODAY + dt.timedelta(days=1)).isoformat(),
    }
    case = services.case_open(actor=world.t1, household=world.households["h1"], source="hotline", summary="热线")
    due = case.due_on
    for who in (world.t2, world.gw2):
        assert client_for(who).get(reverse("casework:config")).status_code == 404
        assert client_for(who).post(url, form).status_code in (403, 404)
    assert CaseParameters.objects.count() == 1
    past = client_for(world.county).post(url, {**form, "effective_from": "2021-01-01"})
    assert past.status_code == 422 and "不能早于今天" in past.content.decode()
    typo = client_for(world.county).post(url, {**form, "accept_days": "两"})
    assert typo.status_code == 422 and "须为整数" in typo.content.decode()
    assert CaseParameters.objects.count() == 1
    assert client_for(world.county).post(url, form).status_code == 302
    old, new = CaseParameters.objects.order_by("effective_from")
    assert old.effective_to == TODAY and new.notice_days == 7 and new.effective_to is None
    case.refresh_from_db()
    assert case.due_on == due  # the recorded deadline stays as it was decided
    assert "2020-01-01" in client_for(world.county).get(reverse("casework:config")).content.decode()


def test_visit_rules_and_calendar_days_from_the_config_page(world, params, client_for) -> None:
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    rule = {
        "area": world.area_county.code,
        "category": "monitored",
        "visits": "3",
        "period": "month",
        "effective_from": tomorrow,
    }
    day = {"area": world.area_county.code, "date": tomorrow, "name": "县庆", "working": ""}
    for who in (world.t2, world.gw2):
        assert client_for(who).post(reverse("casework:obligation_add"), rule).status_code in (403, 404)
        assert client_for(who).post(reverse("casework:calendar_add"), day).status_code in (403, 404)
    assert VisitObligation.objects.count() == 3 and not CalendarDay.objects.filter(area__isnull=False).exists()
    assert client_for(world.county).post(reverse("casework:obligation_add"), rule).status_code == 302
    current = VisitObligation.objects.filter(category="monitored").order_by("effective_from")
    assert [r.visits for r in current] == [2, 3] and current[0].effective_to == TODAY
    nameless = client_for(world.county).post(reverse("casework:calendar_add"), {**day, "name": ""})
    assert nameless.status_code == 422 and "请填写名称" in nameless.content.decode()
    assert client_for(world.county).post(reverse("casework:calendar_add"), day).status_code == 302
    assert CalendarDay.objects.get(area__isnull=False).area_id == world.area_county.code


def _other_county_admin():
    """The administrator of a neighbouring county (峨边) of the same prefecture."""
    county = areas.area_create(code="511132000000", name="峨边彝族自治县", parent_code="511100000000")
    admin = accounts.user_create(username="county_eb", password=PASSWORD, display_name="county_eb")
    accounts.membership_grant(user=admin, role=Role.COUNTY_ADMIN, area_code=county.code)
    return admin


def _accept_due(world, household: str, on: dt.date) -> dt.date | None:
    case = services.case_open(
        actor=None, household=world.households[household], source="hotline", summary="热线", on=on
    )
    return case.due_on


def test_a_calendar_day_entered_by_mistake_is_removed_from_the_config_page(world, params, client_for) -> None:
    friday, monday = dt.date(2024, 3, 1), dt.date(2024, 3, 4)  # a fixed past week: deadlines need past dates
    county = world.area_county.code
    wrong = services.calendar_day_set(actor=world.county, date=monday, name="误录假日", area_code=county)
    later = services.calendar_day_set(
        actor=world.county, date=TODAY + dt.timedelta(days=20), name="县庆", area_code=county
    )
    national = services.calendar_day_set(actor=None, date=TODAY + dt.timedelta(days=40), name="全国假日")
    url = reverse("casework:calendar_delete", kwargs={"pk": wrong.pk})
    assert _accept_due(world, "h1", friday) == friday + dt.timedelta(days=5)  # Monday skipped: due Wednesday
    page = client_for(world.county).get(reverse("casework:config")).content.decode()
    assert reverse("casework:calendar_delete", kwargs={"pk": later.pk}) in page and "确定删除" in page
    assert reverse("casework:calendar_delete", kwargs={"pk": national.pk}) not in page  # national: administrator's
    other = _other_county_admin()
    assert "县庆" not in client_for(other).get(reverse("casework:config")).content.decode()
    for who in (other, world.t2, world.gw2, world.gw1):
        assert client_for(who).post(url).status_code in (403, 404)
    assert CalendarDay.objects.filter(pk=wrong.pk).exists()
    refused = client_for(world.county).post(reverse("casework:calendar_delete", kwargs={"pk": national.pk}))
    assert refused.status_code == 403 and "只能由系统管理员删除" in refused.content.decode()
    assert CalendarDay.objects.filter(pk__in=[wrong.pk, later.pk, national.pk]).count() == 3
    assert not AuditEvent.objects.filter(action="calendar_day_delete").exists()
    done = client_for(world.county).post(url, follow=True)
    assert done.redirect_chain[-1][0] == reverse("casework:config") and "已删除日历" in done.content.decode()
    assert not CalendarDay.objects.filter(pk=wrong.pk).exists()
    audit = AuditEvent.objects.get(action="calendar_day_delete")
    assert audit.actor == world.county and audit.area_code == county and audit.data["date"] == monday.isoformat()
    assert _accept_due(world, "h3", friday) == friday + dt.timedelta(days=4)  # Monday counts again: due Tuesday
    assert Case.objects.get(household=world.households["h1"]).due_on == friday + dt.timedelta(days=5)  # as decided
    assert client_for(world.county).post(url).status_code in (403, 404)  # already gone
