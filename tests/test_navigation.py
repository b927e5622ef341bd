"""Finding one's way (issue #16, UX review P14 and lesser findings): the top navigation per role has at
most seven entries (the rest inside menus), nothing the role cannot use, the current place marked, a
skip link, breadcrumbs below the top; the enterprise user's own company first; each role label once;
a favicon."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders

from bangfu.accounts import services as accounts
from bangfu.accounts.domain.roles import Role
from bangfu.core.domain import credit_code
from bangfu.market import services as market

pytestmark = pytest.mark.django_db

TOP = re.compile(r"nav-top\"")


def _page(client, url: str = "/") -> str:
    r = client.get(url)
    assert r.status_code == 200, (url, r.status_code)
    return r.content.decode()


def _nav(html: str) -> str:
    return html.split('id="nav"', 1)[1].split("</nav>", 1)[0]


def test_county_admin_sees_seven_entries_at_most_and_no_empty_my_households(world, client_for) -> None:
    html = _page(client_for(world.users["county"]))
    nav = _nav(html)
    assert 2 < len(TOP.findall(nav)) <= 7
    assert "/cases/grid/mine/" not in nav  # a county administrator has no grid: 我的农户 would be empty
    assert 'href="/monitoring/"' in nav and 'href="/reports/"' in nav  # the rest is inside the menus
    assert '<details class="nav-group nav-top"' in nav
    assert 'class="skip" href="#main"' in html and 'id="main"' in html
    assert 'class="crumbs"' not in html  # the home page is the top: no breadcrumbs


def test_grid_worker_has_his_households_and_no_office_pages(world, client_for) -> None:
    nav = _nav(_page(client_for(world.users["gw1"]), "/?view=dashboard"))
    assert "/cases/grid/mine/" in nav
    assert "/areas/" not in nav and "/reports/" not in nav and "/accounts/people/" not in nav


def test_the_current_place_is_marked_and_starts_the_breadcrumbs(world, client_for) -> None:
    html = _page(client_for(world.users["county"]), "/monitoring/")
    nav = _nav(html)
    assert '<a href="/monitoring/" aria-current="page">预警</a>' in nav
    assert "<summary aria-current" in nav  # its menu shows where the page is
    crumbs = html.split('class="crumbs"', 1)[1].split("</nav>", 1)[0]
    assert '<a href="/">首页</a>' in crumbs and '<span aria-current="page">预警</span>' in crumbs


def test_a_page_below_a_list_keeps_the_list_in_its_breadcrumbs(world, client_for) -> None:
    h = world.households["h1"]
    html = _page(client_for(world.users["county"]), f"/registry/households/{h.pk}/")
    crumbs = html.split('class="crumbs"', 1)[1].split("</nav>", 1)[0]
    assert '<a href="/registry/households/">农户名册</a>' in crumbs


def _tea_cooperative(world):
    """A cooperative in 雪口山乡 and the enterprise user whose membership names it."""
    code = credit_code.make("93", "511133", "MA62B0X71")
    e = market.enterprise_create(
        actor=None, name="雪口山茶叶合作社", kind="cooperative", credit_code=code,
        area_code=world.area_t1.code, leader="阿说", phone="",
    )  # fmt: skip
    user = accounts.user_create(username="tea", password="x-Long-enough-1", display_name="茶叶社")
    accounts.membership_grant(user=user, role=Role.ENTERPRISE, area_code=world.area_county.code, organisation=code)
    return e, user


def test_the_enterprise_user_sees_their_own_company_first(world, client_for) -> None:
    e, user = _tea_cooperative(world)
    nav = _nav(_page(client_for(user)))
    first = re.findall(r'class="nav-top" href="([^"]+)"[^>]*>([^<]+)<', nav)[1]
    assert first == (f"/market/enterprises/{e.pk}/", "雪口山茶叶合作社")


def test_each_role_label_once_and_apart(world, client_for) -> None:
    user = world.users["enterprise"]
    accounts.membership_grant(user=user, role=Role.ENTERPRISE, area_code=world.area_county.code, organisation="X")
    html = _page(client_for(user))
    assert html.count("企业用户 · 马边彝族自治县") == 1


def test_favicon_answers(client) -> None:
    r = client.get("/favicon.ico")
    assert r.status_code == 301 and r["Location"].endswith(".png")
    assert finders.find("bangfu/icons/icon-48.png")


def test_every_entry_a_role_is_shown_opens_for_it(world, client_for) -> None:
    """Nothing the role cannot use: each navigation entry answers 200 for the user it is shown to (a
    township officer whose county keeps account administration at the county sees no 账号管理 or
    登录锁定, which would answer 403)."""
    from bangfu.accounts.context import _groups
    from bangfu.accounts.selectors import capabilities_of

    for name in ("county", "t1", "v1", "gw1", "dept", "insurer", "enterprise", "auditor"):
        user = getattr(world, name)
        caps = {c.value for c in capabilities_of(user)}
        client = client_for(user)
        for group in _groups(user, caps):
            for entry in group.entries:
                assert client.get(entry.url).status_code == 200, (name, entry.label, entry.url)


TRAIL = re.compile(r"</a>\s*›|›\s*<a ")  # a hand-written "A › B" trail of links


def test_no_page_writes_a_second_breadcrumb_trail_of_its_own() -> None:
    """The trail is base.html's `nav.crumbs`, which pages extend through `{% block crumbs %}`; a page
    that writes its own "就业帮扶 › 车间" line shows two trails, one under the other."""
    from pathlib import Path

    import bangfu

    root = Path(bangfu.__file__).parent
    offenders = [
        str(p.relative_to(root))
        for p in root.rglob("templates/**/*.html")
        if p.name != "base.html" and TRAIL.search(re.sub(r"\{% block crumbs %\}.*?\{% endblock %\}", "", p.read_text()))
    ]
    assert not offenders, offenders


def test_a_page_two_levels_below_its_entry_names_both_in_one_trail(world, client_for) -> None:
    html = _page(client_for(world.users["county"]), "/employment/courses/")
    crumbs = html.split('class="crumbs"', 1)[1].split("</nav>", 1)[0]
    assert '<a href="/employment/">就业帮扶</a>' in crumbs and '<span aria-current="page">技能培训</span>' in crumbs
    main = html.split('id="main"', 1)[1]
    assert not TRAIL.search(main), "the page repeats the trail inside its content"


# The entries a user's roles allow are kept per process until their access changes (accounts/context.py
# `_entries`): what changes must still show on the very next page.


def test_a_role_granted_shows_its_entries_on_the_next_page(world, client_for) -> None:
    page = client_for(world.t1)
    assert "/areas/" not in _nav(_page(page))  # a township officer does not manage areas
    accounts.membership_grant(user=world.t1, role=Role.COUNTY_ADMIN, area_code=world.area_county.code)
    assert "/areas/" in _nav(_page(page))


def test_the_navigation_follows_the_readers_language(world, client_for) -> None:
    page = client_for(world.t1)
    assert "农户名册" in _nav(_page(page))
    english = _nav(page.get("/", headers={"accept-language": "en"}).content.decode())
    assert "农户名册" not in english and "Household" in english
    assert "农户名册" in _nav(_page(page))


def test_an_enterprise_renamed_is_named_so_on_the_next_page(world, client_for) -> None:
    e, user = _tea_cooperative(world)
    page = client_for(user)
    assert "雪口山茶叶合作社" in _nav(_page(page))
    type(e).objects.filter(pk=e.pk).update(name="雪口山高山茶叶合作社")
    assert "雪口山高山茶叶合作社" in _nav(_page(page))
