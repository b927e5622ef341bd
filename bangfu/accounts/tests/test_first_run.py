"""An empty install: the login page leads to the first-run page, which creates the county and its first
administrator, exists only while no account exists, and `bangfu setup` does the same from a terminal."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from bangfu.accounts.domain.roles import Role
from bangfu.accounts.models import Membership, User
from bangfu.areas.models import Area
from bangfu.core.models import AuditEvent

pytestmark = pytest.mark.django_db

GOOD = {
    "province_name": "四川省",
    "prefecture_name": "乐山市",
    "county_name": "马边彝族自治县",
    "county_code": "511133000000",
    "username": "mabian_admin",
    "display_name": "马边管理员",
    "password": "Mabian-setup-2026!",
    "password2": "Mabian-setup-2026!",
}


def test_first_run_page_creates_the_county_and_its_administrator() -> None:
    c = Client()
    login = c.get(reverse("accounts:login"))
    assert login.status_code == 302 and login["Location"] == reverse("accounts:first_run")
    assert c.get(reverse("accounts:first_run")).status_code == 200
    bad = c.post(
        reverse("accounts:first_run"),
        GOOD | {"county_code": "511133100000", "password2": "other", "username": "a"},
    )
    text = bad.content.decode()
    assert bad.status_code == 422
    assert "两次输入的密码不一致" in text and "The two passwords differ" not in text
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = c.post(reverse("accounts:first_run"), GOOD | {"password2": "other"}).content.decode()
    assert "The two passwords differ" in english and "两次输入的密码不一致" not in english
    assert 'value="511133000000"' in english  # what was typed is kept
    assert not User.objects.exists() and not Area.objects.exists()
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    bad = c.post(reverse("accounts:first_run"), GOOD | {"county_code": "511133100000"})
    text = bad.content.decode()
    assert bad.status_code == 422 and "县级区划代码为12位数字" in text
    weak = c.post(reverse("accounts:first_run"), GOOD | {"password": "password", "password2": "password"})
    assert weak.status_code == 422 and not User.objects.exists()  # the password policy applies to the first one too
    done = c.post(reverse("accounts:first_run"), GOOD)
    assert done.status_code == 302 and done["Location"] == reverse("analytics:setup")
    admin = User.objects.get()
    assert admin.username == "mabian_admin" and not admin.is_superuser and admin.check_password(GOOD["password"])
    assert list(Area.objects.values_list("code", "level")) == [
        ("510000000000", "province"),
        ("511100000000", "prefecture"),
        ("511133000000", "county"),
    ]
    assert Membership.objects.get(user=admin).role == Role.COUNTY_ADMIN
    assert AuditEvent.objects.filter(action="first_admin_create", actor=admin, area_code="511133000000").exists()
    checklist = c.get(reverse("analytics:setup"))  # signed in by the first-run page
    assert checklist.status_code == 200 and "马边彝族自治县" in checklist.content.decode()


def test_first_run_page_is_gone_once_an_account_exists(world) -> None:
    c = Client()
    assert c.get(reverse("accounts:first_run")).status_code == 404
    assert c.post(reverse("accounts:first_run"), GOOD | {"username": "intruder"}).status_code == 404
    assert not User.objects.filter(username="intruder").exists()
    assert c.get(reverse("accounts:login")).status_code == 200  # the login page, as usual
    logged_in = Client()
    logged_in.force_login(world.county)
    assert logged_in.post(reverse("accounts:first_run"), GOOD | {"username": "intruder"}).status_code == 404
    assert not User.objects.filter(username="intruder").exists()


def test_bangfu_setup_command(monkeypatch, capsys) -> None:
    from bangfu.accounts.management.commands import setup

    monkeypatch.setenv("BANGFU_ADMIN_PASSWORD", GOOD["password"])
    migrated: list[str] = []  # the test database is migrated already; inside a test transaction SQLite
    monkeypatch.setattr(setup, "call_command", lambda name, **kw: migrated.append(name))  # cannot migrate
    options = {
        "province_name": "四川省",
        "prefecture_name": "乐山市",
        "county_name": "马边彝族自治县",
        "county_code": "511133000000",
        "username": "mabian_admin",
        "display_name": "马边管理员",
    }
    with pytest.raises(Exception, match="county-code"):
        call_command("setup", no_input=True, **(options | {"county_code": ""}))
    assert not User.objects.exists()
    call_command("setup", no_input=True, **options)
    assert migrated == ["migrate", "migrate"]  # the command migrates first, every time
    admin = User.objects.get()
    assert admin.check_password(GOOD["password"]) and admin.memberships.get().area_id == "511133000000"
    assert "/setup/" in capsys.readouterr().out
    call_command("setup", no_input=True, **(options | {"username": "second"}))
    assert User.objects.count() == 1 and "已有账号" in capsys.readouterr().out
