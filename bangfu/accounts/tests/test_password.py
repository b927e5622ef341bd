"""Users change their own password (security review D17): page and API."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client

from bangfu.core.models import AuditEvent
from bangfu.testing import PASSWORD

pytestmark = pytest.mark.django_db
NEW = "Xuekou-shan-2027"


def _login(user, password: str = PASSWORD) -> Client:
    c = Client()
    r = c.post("/accounts/login/", {"username": user.username, "password": password})
    assert r.status_code == 302, r.status_code
    return c


def _form(old: str = PASSWORD, new: str = NEW, again: str | None = None) -> dict[str, str]:
    return {"old_password": old, "new_password": new, "new_password_again": new if again is None else again}


def test_profile_links_to_the_page_and_the_password_changes_keeping_the_session(world):
    c = _login(world.gw1)
    assert "/accounts/me/password/" in c.get("/accounts/me/").content.decode()
    assert c.get("/accounts/me/password/").status_code == 200
    r = c.post("/accounts/me/password/", _form())
    assert r.status_code == 302 and r["Location"] == "/accounts/me/"
    world.gw1.refresh_from_db()
    assert world.gw1.check_password(NEW)
    assert c.get("/accounts/me/").status_code == 200  # still logged in (update_session_auth_hash)
    event = AuditEvent.objects.get(action="password_change")
    assert event.actor == world.gw1 and event.object_id == str(world.gw1.pk)
    assert PASSWORD not in json.dumps(event.data) and NEW not in json.dumps(event.data)
    _login(world.gw1, NEW)


def test_another_session_of_the_user_ends(world):
    other = _login(world.gw1)
    _login(world.gw1).post("/accounts/me/password/", _form())
    r = other.get("/accounts/me/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


@pytest.mark.parametrize(
    ("form", "field", "zh", "en"),
    [
        (_form(old="wrong-password"), "old_password", "原密码不正确", "current password is not correct"),
        (_form(new="short7x"), "new_password", "密码太短", "too short"),
        (_form(new="password123"), "new_password", "太常见", "too common"),
        (_form(again="Xuekou-shan-2028"), "new_password_again", "不一致", "differ"),
        (_form(new=PASSWORD), "new_password", "不能与原密码相同", "must differ"),
    ],
)
def test_bad_input_is_refused_in_both_languages_and_nothing_changes(world, form, field, zh, en):
    c = _login(world.v1)
    r = c.post("/accounts/me/password/", form)
    assert r.status_code == 422
    body = r.content.decode()
    assert zh in body and en not in body  # one language at a time, beside its field
    assert f'name="{field}"' in body.split(zh)[0].rsplit("<label", 1)[-1]
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = c.post("/accounts/me/password/", form).content.decode()
    assert en in english and zh not in english
    world.v1.refresh_from_db()
    assert world.v1.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="password_change").exists()
    api = _login(world.v1).post("/api/v1/accounts/me/password", json.dumps(form), content_type="application/json")
    assert api.status_code == 422
    problems = {e["field"]: e for e in api.json()["errors"]}
    assert zh in problems[field]["message"] and en in problems[field]["message_en"]


def test_the_api_changes_only_the_callers_password(world, api_for):
    t2 = api_for(world.t2)
    r = t2.post("/api/v1/accounts/me/password", json.dumps(_form()), content_type="application/json")
    assert r.status_code == 204
    world.t2.refresh_from_db()
    world.t1.refresh_from_db()
    assert world.t2.check_password(NEW) and world.t1.check_password(PASSWORD)
    # there is no way to name another user: t2's old password does not open t1's account either
    r = t2.post(
        "/api/v1/accounts/me/password",
        json.dumps(_form(old=PASSWORD, new="Another-pass-2027")),
        content_type="application/json",
    )
    assert r.status_code == 422
    world.t1.refresh_from_db()
    assert world.t1.check_password(PASSWORD)
    assert (
        Client().post("/api/v1/accounts/me/password", json.dumps(_form()), content_type="application/json").status_code
        == 401
    )
    assert Client().post("/accounts/me/password/", _form()).status_code == 302  # to the login page
    world.t1.refresh_from_db()
    assert world.t1.check_password(PASSWORD)


def test_the_page_needs_the_csrf_token(world):
    c = Client(enforce_csrf_checks=True)
    c.force_login(world.gw2, backend="bangfu.accounts.sessions.AccountBackend")
    assert c.post("/accounts/me/password/", _form()).status_code == 403
    world.gw2.refresh_from_db()
    assert world.gw2.check_password(PASSWORD)
