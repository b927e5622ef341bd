"""The session store and the authentication backend read their rows by hand (accounts/sessions.py):
what they return is what Django's database sessions and ModelBackend return, for live, expired,
unknown and inactive cases, and a page sees the same logged-in user either way."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from bangfu.accounts.sessions import AccountBackend, SessionStore

pytestmark = pytest.mark.django_db


def test_a_session_loads_as_djangos_database_store_loads_it() -> None:
    s = SessionStore()
    s["_auth_user_id"] = "7"
    s["when"] = "2026-12-05"
    s.create()
    key = s.session_key
    assert (
        dict(SessionStore(key).load())
        == dict(db.SessionStore(key).load())
        == {
            "_auth_user_id": "7",
            "when": "2026-12-05",
        }
    )
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    expired = SessionStore(key)
    assert expired.load() == {} == db.SessionStore(key).load()
    assert expired.session_key is None  # a new key on the next save: an expired key is never reused
    assert SessionStore("x" * 32).load() == {}


def test_the_backend_finds_the_user_modelbackend_finds(world) -> None:
    ours, django = AccountBackend(), ModelBackend()
    for user in (world.t1, world.gw1, world.county):
        found, ref = ours.get_user(user.pk), django.get_user(user.pk)
        assert found is not None and ref is not None
        assert {f.attname: getattr(found, f.attname) for f in found._meta.concrete_fields} == {
            f.attname: getattr(ref, f.attname) for f in ref._meta.concrete_fields
        }
    assert ours.get_user(10**9) is None and django.get_user(10**9) is None
    assert ours.get_user("not a number") is None
    world.t1.is_active = False
    world.t1.save(update_fields=["is_active"])
    assert ours.get_user(world.t1.pk) is None and django.get_user(world.t1.pk) is None


def test_a_logged_in_page_knows_its_user_and_a_logged_out_one_does_not(world, client_for) -> None:
    c = client_for(world.t1)
    assert c.get("/").status_code == 200
    assert c.get("/").wsgi_request.user == world.t1
    c.logout()
    assert c.get("/").status_code == 302
