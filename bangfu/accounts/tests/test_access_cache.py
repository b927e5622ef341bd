"""The per-process access cache (accounts.selectors.memberships, #18): a user's memberships and scope are
read once per process, and every change of what they may reach takes effect on their next request — in
this process and in any other. "Another process" is played by putting back the entry this process held
before the change (a process that never saw the change still holds it): the user's new access_version
must make that entry useless."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bangfu.accounts import services
from bangfu.accounts.domain.roles import Role
from bangfu.accounts.models import Membership, User
from bangfu.accounts.selectors import memberships as cache
from bangfu.areas import services as areas

pytestmark = pytest.mark.django_db


def _stale(user: User) -> cache._Access:
    """This process's entry for the user now (what another process may go on holding)."""
    return cache._ACCESS[user.pk]


def _as_if_another_process(user: User, entry: cache._Access) -> None:
    cache._ACCESS[user.pk] = entry


def _household(client, pk: int) -> int:
    return int(client.get(f"/api/v1/registry/households/{pk}").status_code)


def test_a_second_request_reads_no_membership(world, api_for) -> None:
    api = api_for(world.t1)
    url = f"/api/v1/registry/households/{world.households['h1'].pk}"
    api.get(url)
    with CaptureQueriesContext(connection) as q:
        assert api.get(url).status_code == 200
    assert not [x for x in q.captured_queries if "accounts_membership" in x["sql"]]


def test_an_ended_membership_takes_effect_on_the_next_request_in_every_process(world, api_for) -> None:
    api, h1 = api_for(world.t1), world.households["h1"]
    assert _household(api, h1.pk) == 200
    before = _stale(world.t1)
    m = Membership.objects.get(user=world.t1, role=Role.TOWNSHIP_OFFICER.value)
    services.membership_end(actor=world.county, membership_id=m.pk, reason="调离")
    assert _household(api, h1.pk) == 404  # this process
    _as_if_another_process(world.t1, before)
    assert _household(api, h1.pk) == 404  # a process that held the old entry


def test_a_granted_membership_takes_effect_on_the_next_request_in_every_process(world, api_for) -> None:
    api, h3 = api_for(world.t1), world.households["h3"]
    assert _household(api, h3.pk) == 404
    before = _stale(world.t1)
    services.membership_grant(user=world.t1, role=Role.TOWNSHIP_OFFICER, area_code=world.area_t2.code)
    assert _household(api, h3.pk) == 200
    _as_if_another_process(world.t1, before)
    assert _household(api, h3.pk) == 200


def test_a_membership_written_without_a_service_takes_effect_too(world, api_for) -> None:
    """The admin and scripts save rows directly: the signal, not the service, bumps the version."""
    api, h1 = api_for(world.t1), world.households["h1"]
    assert _household(api, h1.pk) == 200
    before = _stale(world.t1)
    Membership.objects.filter(user=world.t1).get().delete()
    _as_if_another_process(world.t1, before)
    assert _household(api, h1.pk) == 404


def test_a_grid_handed_to_another_worker_moves_on_the_next_request(world, api_for) -> None:
    gw1, gw2, h1 = api_for(world.gw1), api_for(world.gw2), world.households["h1"]  # h1 is in g1 (gw1's)
    assert (_household(gw1, h1.pk), _household(gw2, h1.pk)) == (200, 404)
    before = (_stale(world.gw1), _stale(world.gw2))
    areas.grid_assign_worker(grid=world.g1, worker=world.gw2, actor=None, reason="调整")
    _as_if_another_process(world.gw1, before[0])
    _as_if_another_process(world.gw2, before[1])
    assert (_household(gw1, h1.pk), _household(gw2, h1.pk)) == (404, 200)


def test_a_membership_that_ends_tomorrow_ends_with_the_day(world, api_for, monkeypatch) -> None:
    api, h1 = api_for(world.t1), world.households["h1"]
    today = timezone.localdate()
    m = Membership.objects.get(user=world.t1)
    m.end = today + dt.timedelta(days=1)
    m.save(update_fields=["end"])
    assert _household(api, h1.pk) == 200
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today + dt.timedelta(days=1))
    assert _household(api, h1.pk) == 404


def test_a_renamed_area_shows_in_the_roles_of_the_next_page(world, client_for) -> None:
    page = client_for(world.t1)
    assert "雪口山乡（511133100000）" in page.get("/accounts/me/").content.decode()
    before = _stale(world.t1)
    area = world.area_t1
    area.name = "雪口山镇"
    area.save(update_fields=["name"])
    _as_if_another_process(world.t1, before)
    assert "雪口山镇（511133100000）" in page.get("/accounts/me/").content.decode()


def test_a_request_that_changes_its_memberships_leaves_the_cache_alone(world) -> None:
    fresh = User.objects.get(pk=world.t1.pk)
    mine = cache.memberships_of(fresh)
    mine[0].area.name = "改过的名字"
    other = User.objects.get(pk=world.t1.pk)
    assert cache.memberships_of(other)[0].area.name == "雪口山乡"
