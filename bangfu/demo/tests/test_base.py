"""The demo base on the database: counts, story numbers, logins and their scope, ID numbers."""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory

from bangfu.accounts.models import User
from bangfu.areas.models import Grid
from bangfu.core import crypto
from bangfu.core.domain.idnumber import parse
from bangfu.core.errors import Conflict
from bangfu.demo import base
from bangfu.demo.context import DemoContext
from bangfu.registry import selectors as registry
from bangfu.registry.models import Household, IncomeStatement, Member

SMALL = 90  # 3 households in each of 甘南's 30 villages keeps the test fast


@pytest.fixture
def ctx(db) -> DemoContext:
    c = DemoContext(today=dt.date(2026, 11, 30), rng=random.Random(20201201))
    base.load(c, households=SMALL)
    return c


def test_context_keys_and_counts(ctx: DemoContext) -> None:
    for key in (
        "gannan",
        "yongli",
        "mabian",
        "xuekoushan",
        "yangdianer",
        "liming",
        "site_village",
        "luolong",
        "luolong_town",
    ):
        assert ctx.areas[key].code.isdigit()
    assert {"A", "B", "C_sangding"} <= set(ctx.households)
    assert len(ctx.extra["A_workers"]) == 120 and ctx.extra["A_workers"][0] == ctx.households["A"]
    assert len(ctx.extra["A_worker_members"]) == 121  # 吉石罗布, his wife and one worker per other household
    assert len(ctx.extra["C_linked"]) == 35 and ctx.households["C_sangding"] in ctx.extra["C_linked"]
    assert len(ctx.extra["liming_relocated"]) == 24
    assert all(h.relocation_site_id == ctx.extra["A_site"].pk for h in ctx.extra["liming_relocated"])
    assert Household.objects.filter(village__code__startswith="230225").count() == SMALL
    assert Household.objects.filter(village__code__startswith="511133").count() == 1 + 119 + 60
    assert Household.objects.filter(village__code__startswith="540329").count() == 1 + 100
    # every household has a head and its denormalised size matches its members
    for h in Household.objects.all():
        assert h.size == h.members.count() and h.head_name == h.members.get(relation="户主").name
    for st in IncomeStatement.objects.all()[:200]:
        assert st.net_income == st.wage + st.business_income - st.business_cost + st.property + st.transfer


def test_story_b_numbers(ctx: DemoContext) -> None:
    b = ctx.households["B"]
    assert b.grid_id == ctx.extra["B_grid"].pk and ctx.extra["B_grid"].worker.username == "zhoujingcai"
    assert b.poverty_exited and b.exit_year == 2018 and b.village_id == ctx.areas["yongli"].code
    members = {m.name: m for m in b.members.all()}
    assert members["颜世龙"].relation == "户主" and members["颜世龙"].health == "患有大病"
    assert members["王淑芬"].employment == "公益岗位"
    assert members["颜丽娜"].in_school == "本科" and members["颜丽雪"].in_school == "普通高中"
    st = IncomeStatement.objects.get(household=b, year=2025)
    assert st.wage == Decimal("5800.00") and st.items.get(item="wage.welfare_post").member == members["王淑芬"]
    assert st.net_income == Decimal("26800.00") and st.per_capita == Decimal("6700.00")
    assert Decimal(20000) <= st.net_income <= Decimal(30000)
    assert IncomeStatement.objects.get(household=b, year=2024).net_income == Decimal("24900.00")
    grid_households = Household.objects.filter(grid=ctx.extra["B_grid"]).count()
    assert 25 <= grid_households <= 31 or SMALL < 900  # about 30 at full size; the small county has fewer


def test_story_a_and_c(ctx: DemoContext) -> None:
    a = ctx.households["A"]
    head = a.members.get(relation="户主")
    assert head.name == "吉石罗布" and head.ethnicity == "彝族" and parse(crypto.decrypt(head.id_enc)).value
    assert (dt.date(2026, 11, 30) - head.birth_date).days // 365 == 25
    assert a.relocated and a.relocation_site == ctx.extra["A_site"] and a.village_id == ctx.areas["yangdianer"].code
    assert ctx.extra["A_site"].area_id == ctx.areas["site_village"].code
    assert [m.name for m in ctx.extra["A_worker_members"][:2]] == ["吉石罗布", "阿约阿呷"]
    c = ctx.households["C_sangding"]
    assert c.head_name == "桑丁" and c.village_id.startswith(ctx.areas["luolong_town"].code[:9])
    assert all(h.poverty_exited for h in ctx.extra["C_linked"])


def test_every_login_authenticates_with_the_right_scope(ctx: DemoContext) -> None:
    logins = base.demo_logins()
    assert [u for u, _, _ in logins] == [u.username for u in base.DEMO_USERS]
    for username, _, _ in logins:
        assert (
            authenticate(
                RequestFactory().post("/accounts/login/"), username=username, password=settings.BANGFU_DEMO_PASSWORD
            )
            is not None
        ), username
    b, a = ctx.households["B"], ctx.households["A"]

    def sees(username: str) -> set[int]:
        return set(registry.households_visible(User.objects.get(username=username)).values_list("pk", flat=True))

    grid = set(Household.objects.filter(grid=ctx.extra["B_grid"]).values_list("pk", flat=True))
    assert sees("zhoujingcai") == grid and b.pk in grid
    assert b.pk in sees("gannan_admin") and a.pk not in sees("gannan_admin")
    assert sees("gannan_township") == set(
        Household.objects.filter(village__code__startswith="230225102").values_list("pk", flat=True)
    )
    assert a.pk in sees("mabian_admin") and b.pk not in sees("mabian_admin")
    assert ctx.households["C_sangding"].pk in sees("luolong_admin") and not sees("gannan_insurer")
    assert len(sees("admin")) == Household.objects.count()
    # the other grid workers log in too, and each sees only their own grid
    other = Grid.objects.exclude(pk=ctx.extra["B_grid"].pk).select_related("worker").first()
    assert other is not None and other.worker is not None
    name = other.worker.username
    assert authenticate(
        RequestFactory().post("/accounts/login/"), username=name, password=settings.BANGFU_DEMO_PASSWORD
    )
    assert sees(name) == set(other.households.values_list("pk", flat=True))


def test_id_numbers_valid_unique_and_from_the_county(ctx: DemoContext) -> None:
    rows: list[tuple[str, str]] = list(Member.objects.values_list("id_enc", "household__village__code"))
    values = [(crypto.decrypt(enc), village) for enc, village in rows]
    assert len({v for v, _ in values}) == len(values) == Member.objects.count()
    for value, village in values:
        idn = parse(value)
        assert value[:6] == village[:6]
        assert idn.masked == Member.objects.get(id_hash=crypto.lookup_hash(value)).id_masked


def test_loading_twice_is_refused(ctx: DemoContext) -> None:
    before = Household.objects.count()
    with pytest.raises(Conflict):
        base.load(DemoContext(today=ctx.today, rng=random.Random(1)), households=SMALL)
    assert Household.objects.count() == before


@pytest.mark.django_db
def test_demo_command_is_idempotent_and_prints_logins(monkeypatch: pytest.MonkeyPatch) -> None:
    from bangfu.demo.management.commands import demo

    monkeypatch.setattr(demo, "APP_ORDER", [])  # the other apps' steps are tested in their own apps
    first, second = io.StringIO(), io.StringIO()
    call_command("demo", households=60, stdout=first)
    counts = (Household.objects.count(), Member.objects.count(), User.objects.count())
    call_command("demo", households=60, stdout=second)
    assert (Household.objects.count(), Member.objects.count(), User.objects.count()) == counts
    assert "已加载" in second.getvalue()
    for out in (first.getvalue(), second.getvalue()):
        assert "zhoujingcai" in out and "gannan_med" in out and settings.BANGFU_DEMO_PASSWORD in out


def test_every_county_has_grid_workers_for_its_synthetic_households(ctx: DemoContext) -> None:
    """Without grids in 马边 and 洛隆 nobody visits their households, and their dashboards showed 0% visits."""
    story = {h.pk for h in ctx.households.values()}
    for county in ("511133", "540329"):
        synthetic = Household.objects.filter(village__code__startswith=county).exclude(pk__in=story)
        assert synthetic.exists() and not synthetic.filter(grid__isnull=True).exists()
        for h in synthetic:
            assert h.grid is not None and h.grid.worker is not None and h.grid.village_id == h.village_id
    usernames = list(get_user_model().objects.filter(username__startswith="gw").values_list("username", flat=True))
    assert len(usernames) == len(set(usernames)) == ctx.extra["grid_workers"]
