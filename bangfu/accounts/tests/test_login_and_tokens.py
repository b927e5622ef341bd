"""Login with lockout, argon2 in production settings, API tokens from the page and the CLI."""

import io

import pytest
from django.conf import settings as dj_settings
from django.core.management import call_command
from django.test import Client

from bangfu.accounts.models import ApiToken
from bangfu.testing import PASSWORD

pytestmark = pytest.mark.django_db


def test_production_hasher_is_argon2():
    # The suite swaps in a fast hasher per test; the configured default must stay argon2.
    from importlib import reload

    import bangfu.settings as s

    reload(s)
    assert s.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert dj_settings.AUTH_USER_MODEL == "accounts.User"


def test_login_then_home(world):
    c = Client()
    r = c.post("/accounts/login/", {"username": "t1", "password": PASSWORD})
    assert r.status_code == 302
    assert "雪口山乡" in c.get("/").content.decode()


def test_wrong_password_message_is_in_the_readers_language(world):
    r = Client().post("/accounts/login/", {"username": "t1", "password": "nope"})
    body = r.content.decode()
    assert r.status_code == 200 and "用户名或密码不正确" in body and "Wrong username" not in body
    r = Client(headers={"accept-language": "en"}).post("/accounts/login/", {"username": "t1", "password": "nope"})
    assert "Wrong username or password" in r.content.decode()


def test_lockout_after_repeated_failures(world):
    c = Client()
    for _ in range(dj_settings.AXES_FAILURE_LIMIT):
        c.post("/accounts/login/", {"username": "t2", "password": "wrong"})
    r = c.post("/accounts/login/", {"username": "t2", "password": PASSWORD})
    assert r.status_code == 429 and "锁定" in r.content.decode()
    # Another user at the same office address is not locked out.
    assert Client().post("/accounts/login/", {"username": "t1", "password": PASSWORD}).status_code == 302


def test_token_from_page_authenticates_the_api_and_can_be_revoked(world, client_for):
    c = client_for(world.t1)
    c.post("/accounts/me/tokens/", {"name": "excel-sync"})
    page = c.get("/accounts/me/").content.decode()
    token = page.split('id="new-token">')[1].split("<")[0]
    assert token.startswith("bf_")
    assert ApiToken.objects.get(user=world.t1).digest != token  # only the digest is stored
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/v1/accounts/me").status_code == 200
    tid = ApiToken.objects.get(user=world.t1).pk
    assert client_for(world.t2).post(f"/accounts/me/tokens/{tid}/revoke/").status_code in (403, 404)
    c.post(f"/accounts/me/tokens/{tid}/revoke/")
    assert api.get("/api/v1/accounts/me").status_code == 401


def test_token_cli(world):
    out = io.StringIO()
    call_command("token", "create", "county", stdout=out)
    token = out.getvalue().strip()
    assert Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/accounts/me").status_code == 200


def test_bad_token_is_refused_with_a_clear_message(world):
    r = Client(HTTP_AUTHORIZATION="Bearer bf_nonsense").get("/api/v1/accounts/me")
    assert r.status_code == 401 and "令牌" in r.json()["message"]


def test_openapi_and_docs_are_served_by_the_product(world, client_for):
    c = client_for(world.t1)
    spec = c.get("/api/v1/openapi.json").json()
    assert spec["info"]["title"].startswith("Bangfu")
    docs = c.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()
    me = c.get("/api/v1/accounts/me").json()
    assert me["memberships"][0]["area_name"] == "雪口山乡" and "view_full_id" in me["capabilities"]


@pytest.mark.django_db
def test_logout_clears_the_phones_storage(world, client_for) -> None:
    """docs/offline.md §2: signing out drops the offline households and queue kept by the browser."""
    c = client_for(world.gw1)
    r = c.post("/accounts/logout/")
    assert r.status_code == 302 and r["Clear-Site-Data"] == '"cache", "storage"'
    assert c.get("/").status_code == 302  # signed out


def test_the_token_read_by_hand_is_the_querysets_token_and_user(world):
    """accounts.selectors.token_by_raw reads token and user in one hand-written statement (core/rows.py):
    field for field what select_related("user") reads; revoked tokens and inactive users find nothing."""
    from bangfu.accounts import selectors
    from bangfu.accounts import services as accounts

    raw = accounts.token_create(user=world.t1, name="sync")
    found = selectors.token_by_raw(raw)
    assert found is not None
    ref = ApiToken.objects.select_related("user").get(pk=found.pk)
    for a, b in ((found, ref), (found.user, ref.user)):
        assert {f.attname: getattr(a, f.attname) for f in a._meta.concrete_fields} == {
            f.attname: getattr(b, f.attname) for f in b._meta.concrete_fields
        }
    assert selectors.token_by_raw(raw + "x") is None
    world.t1.is_active = False
    world.t1.save(update_fields=["is_active"])
    assert selectors.token_by_raw(raw) is None
    world.t1.is_active = True
    world.t1.save(update_fields=["is_active"])
    ApiToken.objects.filter(pk=found.pk).update(revoked=ref.created)
    assert selectors.token_by_raw(raw) is None
