"""Registry features that were page-only or had no way in at all (issue #13): 三保障 checks,
resettlement sites and placing households on them. Same services as the pages; access trio."""

from __future__ import annotations

import pytest
from django.utils import timezone

from bangfu.core.errors import Forbidden, NotFound
from bangfu.registry import services
from bangfu.registry.models import GuaranteeCheck, Household, ResettlementSite

pytestmark = pytest.mark.django_db
API = "/api/v1/registry"
JSON = "application/json"


def _check(on: str | None = None, **flags: bool) -> dict:
    body = {"checked_on": on or timezone.localdate().isoformat(), "note": "入户核查"}
    return body | {k: flags.get(k, True) for k in ("housing_safe", "schooling_ok", "medical_ok", "water_safe")}


def test_guarantee_checks_recorded_and_listed(world, api_for) -> None:
    h1 = world.households["h1"]
    made = api_for(world.gw1).post(
        f"{API}/households/{h1.pk}/guarantees", _check(housing_safe=False), content_type=JSON
    )
    assert made.status_code == 201 and made.json()["all_secure"] is False and made.json()["checked_by"] == "gw1"
    assert (
        api_for(world.t1).post(f"{API}/households/{h1.pk}/guarantees", _check(), content_type=JSON).status_code == 201
    )
    listed = api_for(world.county).get(f"{API}/households/{h1.pk}/guarantees").json()
    assert [c["all_secure"] for c in listed] == [True, False]  # newest first
    future = api_for(world.t1).post(f"{API}/households/{h1.pk}/guarantees", _check("2999-01-01"), content_type=JSON)
    assert future.status_code == 422


@pytest.mark.parametrize(("who", "status"), [("t2", 404), ("gw2", 404), ("auditor", 403), ("insurer", 404)])
def test_guarantee_checks_refused_outside_and_without_the_capability(world, api_for, who, status) -> None:
    h1 = world.households["h1"]
    api = api_for(getattr(world, who))
    assert api.post(f"{API}/households/{h1.pk}/guarantees", _check(), content_type=JSON).status_code in (status, 403)
    if who != "auditor":  # the auditor may read what it may see
        assert api.get(f"{API}/households/{h1.pk}/guarantees").status_code == 404
    assert not GuaranteeCheck.objects.filter(household=h1).exists()


def _site(world, **extra) -> dict:
    return {
        "area": world.v1a.code,
        "name": "羊店儿村安置点",
        "kind": "town",
        "planned_households": 40,
        "planned_people": 160,
    } | extra


def test_county_creates_edits_sites_and_officers_place_households(world, api_for) -> None:
    county = api_for(world.county)
    made = county.post(f"{API}/sites", _site(world), content_type=JSON)
    assert made.status_code == 201
    site = made.json()
    assert (site["area_name"], site["households"]) == ("羊店儿村", 0)
    other = county.post(
        f"{API}/sites", _site(world, area=world.v1b.code, name="黎明村安置点"), content_type=JSON
    ).json()
    edited = county.patch(
        f"{API}/sites/{site['id']}", {"planned_people": 170, "completed_year": 2019}, content_type=JSON
    )
    assert edited.status_code == 200 and (edited.json()["planned_people"], edited.json()["completed_year"]) == (
        170,
        2019,
    )
    assert county.patch(f"{API}/sites/{site['id']}", {"name": " "}, content_type=JSON).status_code == 422
    h1 = world.households["h1"]
    body = {"site_id": site["id"], "moved_on": "2019-06-01", "from_village": world.v1b.code}
    placed = api_for(world.t1).put(f"{API}/households/{h1.pk}/relocation", body, content_type=JSON)
    assert placed.status_code == 200 and placed.json()["relocated"] is True
    moved = api_for(world.t1).put(
        f"{API}/households/{h1.pk}/relocation", body | {"site_id": other["id"]}, content_type=JSON
    )
    assert moved.status_code == 200 and moved.json()["site_id"] == other["id"]
    assert [s["households"] for s in county.get(f"{API}/sites").json()] == [0, 1]
    bad = api_for(world.t1).put(
        f"{API}/households/{h1.pk}/relocation", body | {"from_village": "999999999999"}, content_type=JSON
    )
    assert bad.status_code == 422
    cleared = api_for(world.t1).put(f"{API}/households/{h1.pk}/relocation", {"site_id": None}, content_type=JSON)
    assert cleared.json() == {
        "household_id": h1.pk,
        "relocated": False,
        "site_id": None,
        "moved_on": None,
        "from_village": None,
    }


@pytest.mark.parametrize("who", ["t2", "gw2", "t1", "auditor"])
def test_sites_refused_outside_and_without_the_capability(world, api_for, who) -> None:
    """t2/gw2 see no site of T1; t1 and the auditor lack `configure` (t1 may still place households)."""
    site = services.site_create(actor=world.county, area_code=world.v1a.code, name="羊店儿村安置点", kind="town")
    api = api_for(getattr(world, who))
    # none of them holds `configure`: refused (403) before the body is read, or 404 outside
    assert api.post(f"{API}/sites", _site(world, name="另建"), content_type=JSON).status_code in (403, 404)
    patched = api.patch(f"{API}/sites/{site.pk}", {"name": "改名"}, content_type=JSON)
    assert patched.status_code in (403, 404)
    if who in ("t2", "gw2"):
        assert api.get(f"{API}/sites/{site.pk}").status_code == 404
        assert site.pk not in [s["id"] for s in api.get(f"{API}/sites").json()]
    h1 = world.households["h1"]
    placed = api.put(f"{API}/households/{h1.pk}/relocation", {"site_id": site.pk}, content_type=JSON)
    assert placed.status_code == 200 if who == "t1" else placed.status_code in (403, 404)
    site.refresh_from_db()
    assert site.name == "羊店儿村安置点" and ResettlementSite.objects.count() == 1
    if who != "t1":
        assert not Household.objects.get(pk=h1.pk).relocated


def test_a_site_out_of_sight_cannot_be_used(world, api_for) -> None:
    """T2's officer cannot put a T2 household on a T1 site they cannot see."""
    site = services.site_create(actor=world.county, area_code=world.v1a.code, name="羊店儿村安置点", kind="town")
    h3 = world.households["h3"]
    r = api_for(world.t2).put(f"{API}/households/{h3.pk}/relocation", {"site_id": site.pk}, content_type=JSON)
    assert r.status_code == 404 and not Household.objects.get(pk=h3.pk).relocated


def test_a_site_in_an_area_the_user_sees_without_configure_is_refused_with_403(world) -> None:
    """docs/conventions.md: inside scope without the capability is 403; site_create answered 404."""
    with pytest.raises(Forbidden):
        services.site_create(actor=world.t1, area_code=world.v1a.code, name="另建")
    with pytest.raises(NotFound):
        services.site_create(actor=world.t2, area_code=world.v1a.code, name="另建")
    assert not ResettlementSite.objects.filter(name="另建").exists()
