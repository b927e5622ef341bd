"""What the casework pages do, the API does (issue #13): assistance measures (list, status), the
configuration page (parameters, visit rules, working-day calendar) and the grid pages (placement,
hand-over). Same services as the pages; each with the access trio and a role without the capability."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bangfu.accounts import services as accounts
from bangfu.accounts.domain.roles import Role
from bangfu.areas import services as areas
from bangfu.casework import services
from bangfu.casework.models import CalendarDay, CaseParameters, Measure, VisitObligation
from bangfu.testing import PASSWORD, new_household

pytestmark = pytest.mark.django_db
API = "/api/v1/casework"
JSON = "application/json"
TODAY = timezone.localdate()


@pytest.fixture
def measure(world, params) -> Measure:
    case = services.case_open(actor=world.t1, household=world.households["h1"], source="hotline", summary="热线")
    return services.measure_add(
        actor=world.v1,
        case=case,
        category="employment",
        title="推荐到帮扶车间就业",
        responsible="村第一书记",
        starts_on=TODAY,
    )


def test_measures_listed_and_their_status_changed(world, measure, api_for) -> None:
    rows = api_for(world.t1).get(f"{API}/measures", {"area": world.area_t1.code}).json()
    assert [(r["id"], r["category_label"], r["status_label"]) for r in rows] == [(measure.pk, "就业帮扶", "计划中")]
    assert (
        api_for(world.county).get(f"{API}/cases/{measure.case_id}/measures").json()[0]["title"] == "推荐到帮扶车间就业"
    )
    url = f"{API}/cases/{measure.case_id}/measures/{measure.pk}/status"
    done = api_for(world.v1).post(url, {"status": "in_progress"}, content_type=JSON)
    assert done.status_code == 200 and done.json()["status_label"] == "实施中"
    assert api_for(world.v1).post(url, {"status": "finished"}, content_type=JSON).status_code == 422
    measure.refresh_from_db()
    assert measure.status == "in_progress"


@pytest.mark.parametrize(("who", "status"), [("t2", 404), ("gw2", 404), ("auditor", 403)])
def test_measures_of_others_stay_out_of_sight_and_unchanged(world, measure, api_for, who, status) -> None:
    api = api_for(getattr(world, who))
    url = f"{API}/cases/{measure.case_id}/measures/{measure.pk}/status"
    assert api.post(url, {"status": "done"}, content_type=JSON).status_code in (status, 403)  # 403: no write capability
    if who != "auditor":
        assert api.get(f"{API}/measures").json() == []
        assert api.get(f"{API}/cases/{measure.case_id}/measures").status_code == 404
    measure.refresh_from_db()
    assert measure.status == "planned"


def test_configuration_over_the_api(world, params, api_for) -> None:
    api = api_for(world.county)
    seen = api.get(f"{API}/config").json()
    assert world.area_county.code in [a["code"] for a in seen["areas"]] and len(seen["params"]) == 1
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    values = {"notice_days": 7, "exclude_no_labour": True}
    made = api.post(
        f"{API}/config/params",
        {"area": world.area_county.code, "effective_from": tomorrow, "values": values},
        content_type=JSON,
    )
    assert made.status_code == 201 and made.json()["values"]["notice_days"] == 7
    old, new = CaseParameters.objects.order_by("effective_from")
    assert old.effective_to == TODAY and new.effective_to is None
    past = api.post(
        f"{API}/config/params",
        {"area": world.area_county.code, "effective_from": "2021-01-01", "values": {}},
        content_type=JSON,
    )
    assert past.status_code == 422
    rule = {
        "area": world.area_county.code,
        "category": "monitored",
        "visits": 3,
        "period": "month",
        "effective_from": tomorrow,
    }
    assert api.post(f"{API}/config/obligations", rule, content_type=JSON).status_code == 201
    assert [r.visits for r in VisitObligation.objects.filter(category="monitored").order_by("effective_from")] == [2, 3]
    day = {"area": world.area_county.code, "date": tomorrow, "name": "县庆"}
    assert api.post(f"{API}/config/calendar", day | {"name": " "}, content_type=JSON).status_code == 422
    made_day = api.post(f"{API}/config/calendar", day, content_type=JSON)
    assert made_day.status_code == 201 and made_day.json()["removable"] is True
    national = api.post(f"{API}/config/calendar", day | {"area": ""}, content_type=JSON)
    assert national.status_code == 422  # only a system administrator sets national holidays
    assert api.delete(f"{API}/config/calendar/{made_day.json()['id']}").status_code == 204
    assert not CalendarDay.objects.filter(area__isnull=False).exists()


def _other_county_admin():
    county = areas.area_create(code="511132000000", name="峨边彝族自治县", parent_code="511100000000")
    admin = accounts.user_create(username="county_eb", password=PASSWORD, display_name="county_eb")
    accounts.membership_grant(user=admin, role=Role.COUNTY_ADMIN, area_code=county.code)
    return admin


@pytest.mark.parametrize("who", ["t2", "gw2", "t1", "auditor", "other_county"])
def test_configuration_refused_to_others(world, params, api_for, who) -> None:
    user = _other_county_admin() if who == "other_county" else getattr(world, who)
    api = api_for(user)
    day = CalendarDay.objects.create(date=TODAY + dt.timedelta(days=3), name="县庆", area=world.area_county)
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    refused = (403,) if who == "auditor" else (403, 404)  # 403 when the role holds no `configure` at all
    if who != "other_county":
        assert api.get(f"{API}/config").status_code == 404
    body = {"area": world.area_county.code, "effective_from": tomorrow, "values": {"notice_days": 9}}
    assert api.post(f"{API}/config/params", body, content_type=JSON).status_code in refused
    rule = {
        "area": world.area_county.code,
        "category": "monitored",
        "visits": 3,
        "period": "month",
        "effective_from": tomorrow,
    }
    assert api.post(f"{API}/config/obligations", rule, content_type=JSON).status_code in refused
    cal = {"area": world.area_county.code, "date": tomorrow, "name": "县庆"}
    assert api.post(f"{API}/config/calendar", cal, content_type=JSON).status_code in refused
    assert api.delete(f"{API}/config/calendar/{day.pk}").status_code in (403, 404)
    assert CaseParameters.objects.count() == 1 and VisitObligation.objects.count() == 3
    assert list(CalendarDay.objects.filter(area__isnull=False).values_list("pk", flat=True)) == [day.pk]


def test_grid_placement_and_hand_over_over_the_api(world, params, api_for) -> None:
    services.params_set(
        actor=None,
        area_code=world.v1b.code,
        effective_from=dt.date(2020, 1, 1),
        values=services.ParamValues(households_per_worker=2),
    )
    for _ in range(3):
        new_household(world.v1b)
    api = api_for(world.t1)
    listed = {v["code"]: v for v in api.get(f"{API}/grids").json()}
    assert listed[world.v1b.code]["unplaced"] == 3 and world.v2a.code not in listed
    placed = api.post(f"{API}/grids/{world.v1b.code}/place")
    assert placed.status_code == 200 and placed.json() == {"placed": 3, "new_grids": 2}
    detail = api.get(f"{API}/grids/{world.v1a.code}").json()
    assert {c["id"] for c in detail["candidates"]} >= {world.gw1.pk, world.gw2.pk}
    url = f"{API}/grids/handover/{world.g1.pk}"
    assert api.post(url, {"worker_id": world.gw2.pk, "reason": ""}, content_type=JSON).status_code == 422
    assert api.post(url, {"worker_id": world.gw3.pk, "reason": "调整"}, content_type=JSON).status_code == 422
    handed = api.post(url, {"worker_id": world.gw2.pk, "reason": "外出务工"}, content_type=JSON)
    assert handed.status_code == 200 and handed.json()["worker"] == "gw2" and handed.json()["households"] == 1
    assert list(world.g1.terms.order_by("pk").values_list("worker__username", flat=True)) == ["gw1", "gw2"]


@pytest.mark.parametrize("who", ["t2", "gw2", "auditor"])
def test_grids_refused_to_others(world, params, api_for, who) -> None:
    new_household(world.v1b)
    api = api_for(getattr(world, who))
    assert api.get(f"{API}/grids/{world.v1b.code}").status_code == 404
    assert api.post(f"{API}/grids/{world.v1b.code}/place").status_code in (403, 404)
    url = f"{API}/grids/handover/{world.g1.pk}"
    assert api.post(url, {"worker_id": world.gw2.pk, "reason": "调整"}, content_type=JSON).status_code in (403, 404)
    world.g1.refresh_from_db()
    assert world.g1.worker_id == world.gw1.pk and not world.v1b.grids.exists()
