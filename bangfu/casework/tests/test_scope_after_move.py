"""Scope follows the household (security review D5).

Warnings and cases keep a copy of the household's village/grid for indexed scoping; registry's
household_moved signal updates the copies in the move's transaction. After a move the old grid worker
and village cadre see and change nothing of the household's warnings, cases, notices, measures and
visits, and the new ones see all of it — pages and API alike.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from bangfu.accounts import services as accounts
from bangfu.accounts.domain.roles import Role
from bangfu.casework import selectors, services
from bangfu.casework.domain.procedure import State
from bangfu.casework.models import Case, Measure, PublicNotice, Visit
from bangfu.casework.tests.test_services import open_case, run_to
from bangfu.monitoring.models import Warning
from bangfu.monitoring.tests.helpers import rules_in_force
from bangfu.testing import PASSWORD

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _warning(world: Any, household: Any) -> Warning:
    rs = rules_in_force(world)
    return Warning.objects.create(
        household=household,
        village_code=household.village_id,
        grid_id=household.grid_id,
        rule_code="income_drop",
        rule_name="收入骤减",
        risk="income",
        ruleset=rs,
        ruleset_version=rs.version,
        as_of=TODAY,
    )


@pytest.fixture
def moved(world, params):
    """h1 (羊店儿村 V1a, grid G1 of gw1) with a warning, a publicised case, its notice, a measure and a visit."""
    h = world.households["h1"]
    warning = _warning(world, h)
    case = run_to(world, open_case(world), State.PUBLICIZED)
    measure = services.measure_add(
        actor=world.v1, case=case, category="health", title="大病救助", responsible="李四", starts_on=case.opened_on
    )
    visit = services.visit_log(actor=world.gw1, household=h, visited_on=TODAY, mode="in_person")
    cadre = accounts.user_create(username="v2", password=PASSWORD, display_name="民主村干部")
    accounts.membership_grant(user=cadre, role=Role.VILLAGE_CADRE, area_code=world.v2a.code)
    notice = PublicNotice.objects.get(case=case)
    return {"h": h, "warning": warning, "case": case, "notice": notice, "measure": measure, "visit": visit, "v2": cadre}


def _move(api_for, world, h, **place: Any) -> None:
    resp = api_for(world.county).patch(
        f"/api/v1/registry/households/{h.pk}", {**place, "reason": "搬迁"}, content_type="application/json"
    )
    assert resp.status_code == 200, resp.content


def _sees(client, moved: dict[str, Any]) -> dict[str, int]:
    """Status of every read of the household's objects: warning, case, notice (page and API)."""
    w, c, n = moved["warning"], moved["case"], moved["notice"]
    return {
        "warning api": client.get(f"/api/v1/monitoring/warnings/{w.pk}").status_code,
        "warning page": client.get(f"/monitoring/warnings/{w.pk}/").status_code,
        "case api": client.get(f"/api/v1/casework/cases/{c.pk}").status_code,
        "case page": client.get(f"/cases/{c.pk}/").status_code,
        "notice page": client.get(f"/cases/notices/{n.pk}/").status_code,
    }


def _listed(api, moved: dict[str, Any]) -> tuple[bool, bool]:
    warnings = {w["id"] for w in api.get("/api/v1/monitoring/warnings?status=all").json()}
    cases = {c["id"] for c in api.get("/api/v1/casework/cases").json()}
    return moved["warning"].pk in warnings, moved["case"].pk in cases


def test_after_a_move_to_another_township_old_officers_see_nothing_new_ones_everything(
    world, moved, client_for, api_for
) -> None:
    h = moved["h"]
    before_old = {k: v for k, v in _sees(client_for(world.v1), moved).items()}
    assert set(before_old.values()) == {200}
    assert _sees(client_for(world.t2), moved) == dict.fromkeys(before_old, 404)
    assert _listed(api_for(world.gw1), moved)[0]

    _move(api_for, world, h, village_code=world.v2a.code, grid_id=world.g3.pk)

    # the old township, village cadre and grid worker: nothing, pages and API
    for old in (world.t1, world.v1):
        assert _sees(client_for(old), moved) == dict.fromkeys(before_old, 404), old
        assert _listed(api_for(old), moved) == (False, False)
    assert client_for(world.gw1).get(f"/monitoring/warnings/{moved['warning'].pk}/").status_code == 404
    assert api_for(world.gw1).get(f"/api/v1/monitoring/warnings/{moved['warning'].pk}").status_code == 404
    assert _listed(api_for(world.gw1), moved) == (False, False)
    # ... and change nothing: no measure, no visit, no warning step, no case step
    api = api_for(world.v1)
    resp = api.post(
        f"/api/v1/casework/cases/{moved['case'].pk}/measures",
        {"category": "health", "title": "旧村加的措施", "responsible": "王五", "starts_on": str(TODAY)},
        content_type="application/json",
    )
    assert resp.status_code == 404
    resp = client_for(world.v1).post(
        f"/cases/{moved['case'].pk}/measures/{moved['measure'].pk}/status/", {"status": "done"}
    )
    assert resp.status_code == 404
    resp = api_for(world.gw1).post(
        "/api/v1/casework/visits",
        {"household_id": h.pk, "visited_on": str(TODAY), "mode": "in_person"},
        content_type="application/json",
    )
    # the old grid worker once had the household: a write (perhaps queued offline) is told it moved
    # away (409 moved_away, docs/offline.md) and not where to; reads above still answer 404
    _moved_away(resp, world)
    resp = api_for(world.gw1).post(
        f"/api/v1/monitoring/warnings/{moved['warning'].pk}/transition",
        {"event": "dismiss", "reason": "旧网格员关闭"},
        content_type="application/json",
    )
    _moved_away(resp, world)
    assert Measure.objects.filter(case=moved["case"]).count() == 1
    assert Measure.objects.get(pk=moved["measure"].pk).status == moved["measure"].status
    assert Visit.objects.filter(household=h).count() == 1
    assert Warning.objects.get(pk=moved["warning"].pk).status == moved["warning"].status

    # the new township, village cadre and grid worker: everything
    assert set(_sees(client_for(world.t2), moved).values()) == {200}
    assert set(_sees(client_for(moved["v2"]), moved).values()) == {200}
    assert _listed(api_for(world.t2), moved) == (True, True)
    assert _listed(api_for(world.gw3), moved) == (True, True)
    assert "大病救助" in client_for(world.t2).get(f"/cases/{moved['case'].pk}/").content.decode()
    assert [m.title for m in selectors.measures_visible(world.t2)] == ["大病救助"]
    assert not selectors.measures_visible(world.v1).exists() and not selectors.measures_visible(world.t1).exists()
    resp = api_for(moved["v2"]).post(
        f"/api/v1/casework/cases/{moved['case'].pk}/measures",
        {"category": "health", "title": "新村加的措施", "responsible": "赵六", "starts_on": str(TODAY)},
        content_type="application/json",
    )
    assert resp.status_code == 201, resp.content
    resp = api_for(world.gw3).post(
        "/api/v1/casework/visits",
        {"household_id": h.pk, "visited_on": str(TODAY), "mode": "phone"},
        content_type="application/json",
    )
    assert resp.status_code == 201, resp.content
    page = client_for(world.gw3).get(f"/registry/households/{h.pk}/").content.decode()
    assert page.count("走访") >= 1 and Visit.objects.filter(household=h).count() == 2
    # the copies themselves follow the household
    assert Case.objects.get(pk=moved["case"].pk).village_id == world.v2a.code
    w = Warning.objects.get(pk=moved["warning"].pk)
    assert (w.village_code, w.grid_id) == (world.v2a.code, world.g3.pk)


def test_after_a_move_to_another_grid_the_old_grid_worker_loses_the_warning_and_case(
    world, moved, client_for, api_for
) -> None:
    h, w = moved["h"], moved["warning"]
    assert api_for(world.gw2).get(f"/api/v1/monitoring/warnings/{w.pk}").status_code == 404

    _move(api_for, world, h, grid_id=world.g2.pk)  # same village, the neighbouring grid

    assert api_for(world.gw1).get(f"/api/v1/monitoring/warnings/{w.pk}").status_code == 404
    assert client_for(world.gw1).get(f"/monitoring/warnings/{w.pk}/").status_code == 404
    assert _listed(api_for(world.gw1), moved) == (False, False)
    assert api_for(world.gw2).get(f"/api/v1/monitoring/warnings/{w.pk}").status_code == 200
    assert client_for(world.gw2).get(f"/monitoring/warnings/{w.pk}/").status_code == 200
    assert _listed(api_for(world.gw2), moved) == (True, True)
    assert client_for(world.v1).get(f"/cases/{moved['case'].pk}/").status_code == 200  # same village


def test_a_move_and_its_copies_roll_back_together(world, moved) -> None:
    """The copies are updated in the move's transaction: a move that fails leaves them all in place."""
    from django.db import transaction

    from bangfu.registry import services as registry

    h = moved["h"]
    with pytest.raises(RuntimeError), transaction.atomic():
        registry.household_update(
            actor=world.county, household=h, changes={"village_code": world.v2a.code, "grid_id": world.g3.pk}
        )
        raise RuntimeError("the request fails after the move")
    assert Case.objects.get(pk=moved["case"].pk).village_id == world.v1a.code
    assert Warning.objects.get(pk=moved["warning"].pk).grid_id == world.g1.pk


def _moved_away(resp: Any, world: Any) -> None:
    assert resp.status_code == 409, resp.content
    body = resp.json()
    assert body["code"] == "moved_away"
    text = resp.content.decode()
    assert world.v2a.name not in text and world.v2a.code not in text  # where it went stays hidden
