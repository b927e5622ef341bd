"""Lockout that cannot lock a real user out (security review D8, ADR 0003).

Failures count per (username, client address); the lock doubles with every further failure of the
pair; a county administrator lists and lifts the locks of their county's users, nobody else can.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client

from bangfu.accounts import lockout
from bangfu.accounts import services as accounts
from bangfu.accounts.domain.roles import Role
from bangfu.areas import services as areas
from bangfu.core.models import AuditEvent
from bangfu.testing import PASSWORD

pytestmark = pytest.mark.django_db

A, B = "198.51.100.4", "203.0.113.9"


def _login(address: str, username: str, password: str) -> int:
    return (
        Client(REMOTE_ADDR=address).post("/accounts/login/", {"username": username, "password": password}).status_code
    )


def _lock(username: str, address: str = A) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(address, username, "wrong-password")
    assert _login(address, username, PASSWORD) == 429


def test_five_wrong_passwords_from_one_address_do_not_lock_the_user_out_elsewhere(world) -> None:
    _lock("t1", A)
    assert _login(B, "t1", PASSWORD) == 302  # the real user, at their own address
    assert _login(A, "t1", PASSWORD) == 429  # the guesser's address stays locked


def test_each_further_lock_of_the_pair_lasts_twice_as_long(world) -> None:
    _lock("t1", A)
    [first] = lockout.lockouts_visible(world.county)
    assert first.until - first.last_failure == dt.timedelta(minutes=settings.BANGFU_LOCKOUT_MINUTES)
    # the first lock has run out: the next five wrong passwords lock the pair again, twice as long
    AccessAttempt.objects.filter(username="t1").update(attempt_time=first.last_failure - lockout.lock_for(1))
    assert _login(A, "t1", PASSWORD) == 302  # the lock ran out; a success starts afresh
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(A, "t1", "wrong-password")
    [second] = lockout.lockouts_visible(world.county)
    assert second.until - second.last_failure == 2 * lockout.lock_for(1)
    assert _login(A, "t1", PASSWORD) == 429 and _login(B, "t1", PASSWORD) == 302
    assert lockout.lock_for(100) == dt.timedelta(hours=24)  # capped


def test_the_county_admin_lifts_a_lock_page_and_api(world, client_for, api_for) -> None:
    _lock("t1", A)
    page = client_for(world.county).get("/accounts/lockouts/").content.decode()
    assert "t1" in page and A in page
    assert client_for(world.county).post(f"/accounts/lockouts/{world.t1.pk}/lift/").status_code == 302
    assert _login(A, "t1", PASSWORD) == 302
    lifted = AuditEvent.objects.get(action="lockout_lift")
    assert lifted.actor == world.county and lifted.object_id == str(world.t1.pk)
    # API: list, then unlock
    _lock("t2", A)
    api = api_for(world.county)
    listed = api.get("/api/v1/accounts/lockouts").json()
    assert [(r["username"], r["address"]) for r in listed] == [("t2", A)]
    r = api.post(f"/api/v1/accounts/users/{world.t2.pk}/unlock", json.dumps({"reason": "本人来电"}),
                 content_type="application/json")  # fmt: skip
    assert r.status_code == 200 and r.json()["cleared"] == 1
    assert _login(A, "t2", PASSWORD) == 302


def test_another_countys_admin_and_other_roles_cannot_lift_it(world, client_for, api_for) -> None:
    other = areas.area_create(code="511132000000", name="峨边彝族自治县", parent_code="511100000000")
    admin = accounts.user_create(username="ebian_admin", password=PASSWORD, display_name="峨边管理员")
    accounts.membership_grant(user=admin, role=Role.COUNTY_ADMIN, area_code=other.code)
    _lock("t1", A)
    assert client_for(admin).post(f"/accounts/lockouts/{world.t1.pk}/lift/").status_code == 404
    assert api_for(admin).post(f"/api/v1/accounts/users/{world.t1.pk}/unlock", "{}",
                               content_type="application/json").status_code == 404  # fmt: skip
    assert api_for(admin).get("/api/v1/accounts/lockouts").json() == []
    assert A not in client_for(admin).get("/accounts/lockouts/").content.decode()
    # the access trio: the neighbouring township's officer administers no accounts while the county's
    # policy does not let townships do it (403), and never t1's (404 with it); a grid worker: no right (403)
    for user in (world.t2, world.gw2):
        assert client_for(user).post(f"/accounts/lockouts/{world.t1.pk}/lift/").status_code in (403, 404)
        assert api_for(user).post(f"/api/v1/accounts/users/{world.t1.pk}/unlock", "{}",
                                  content_type="application/json").status_code in (403, 404)  # fmt: skip
    assert _login(A, "t1", PASSWORD) == 429  # still locked
    assert not AuditEvent.objects.filter(action="lockout_lift").exists()
