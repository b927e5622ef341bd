"""The set-up checklist of a new county: each step says what is missing, computed from the data, and
ticks itself when the data is there; the home page's notice is gone once the county is complete."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from bangfu.accounts import services as accounts
from bangfu.accounts.domain.roles import Role
from bangfu.analytics import setup
from bangfu.areas import services as areas
from bangfu.areas.models import Area
from bangfu.casework import services as casework
from bangfu.employment import services as employment
from bangfu.employment.inputs import policy_input
from bangfu.insurance import services as insurance
from bangfu.insurance.tests.helpers import SCHEME_FIELDS, STORY_B_TERMS
from bangfu.rules import services as rules
from bangfu.testing import new_household

pytestmark = pytest.mark.django_db

POLICY = {
    "min_poor_workers": 5,
    "min_insurance_per_worker_month": "15",
    "upgrade_min_months_running": 12,
    "upgrade_min_long_contract_workers": 10,
    "upgrade_min_contract_months": 12,
    "upgrade_min_average_annual_pay": "20000",
    "upgrade_min_annual_revenue": "500000",
    "welfare_posts_per_household": 1,
    "welfare_max_age": 60,
    "working_age_min": 16,
    "working_age_max": 60,
}


def _admin():
    return accounts.first_admin_create(
        username="first_admin",
        display_name="第一管理员",
        password="Mabian-setup-2026!",
        county_code="511133000000",
        county_name="马边彝族自治县",
        province_name="四川省",
        prefecture_name="乐山市",
    )


def _missing(admin) -> dict[str, list[str]]:
    [c] = setup.checklists(admin)
    return {s.key: [zh for zh, _en in s.missing] for s in c.steps}


def test_each_step_ticks_itself_from_the_data(client_for) -> None:
    admin = _admin()
    today = timezone.localdate()
    missing = _missing(admin)
    assert list(missing) == ["areas", "grids", "accounts", "rules", "calendar", "scheme", "employment", "households"]
    assert missing["areas"] == ["还没有乡镇", "还没有村(社区)"]
    assert all(missing[k] for k in missing if k != "calendar")  # the national calendar may be loaded already
    page = client_for(admin).get(reverse("analytics:setup")).content.decode()
    assert reverse("areas:import") in page and reverse("insurance:scheme_new") in page and "还没有乡镇" in page

    areas.area_create(code="511133100000", name="雪口山乡", parent_code="511133000000", actor=admin)
    areas.area_create(code="511133200000", name="民建镇", parent_code="511133000000", actor=admin)
    areas.area_create(code="511133100201", name="羊店儿村", parent_code="511133100000", actor=admin)
    missing = _missing(admin)
    assert missing["areas"] == ["乡镇民建镇下还没有村"]
    areas.area_create(code="511133200201", name="民主村", parent_code="511133200000", actor=admin)
    assert _missing(admin)["areas"] == []

    grid = areas.grid_create(village_code="511133100201", code="M1", name="羊店儿一网格", actor=admin)
    assert _missing(admin)["grids"] == ["村民主村还没有网格", _missing(admin)["grids"][1]]
    assert "羊店儿一网格还没有网格员" in _missing(admin)["grids"][1]
    worker, _ = accounts.account_create(
        actor=admin, username="gw_m1", display_name="网格员", role=Role.GRID_WORKER, area_code="511133100201"
    )
    areas.grid_assign_worker(grid=grid, worker=worker, actor=admin)
    areas.grid_create(village_code="511133200201", code="M2", name="民主一网格", worker=worker, actor=admin)
    assert _missing(admin)["grids"] == []

    assert _missing(admin)["accounts"] == ["乡镇雪口山乡、民建镇还没有乡镇干部账号"]
    for code, name in (("511133100000", "t_xks"), ("511133200000", "t_mjz")):
        accounts.account_create(
            actor=admin, username=name, display_name=name, role=Role.TOWNSHIP_OFFICER, area_code=code
        )
    assert _missing(admin)["accounts"] == []

    assert len(_missing(admin)["rules"]) == 3
    draft = rules.ruleset_start_draft(actor=admin)
    rules.ruleset_publish(actor=admin, ruleset=draft, effective_from=today.replace(month=1, day=1))
    rules.monitoring_line_set(actor=admin, area_code="511133000000", year=today.year, amount="7000")
    assert _missing(admin)["rules"] == ["没有监测程序参数（时限、公示天数等）"]
    casework.params_set(
        actor=admin,
        area_code="511133000000",
        effective_from=today.replace(month=1, day=1),
        values=casework.ParamValues(),
    )
    assert _missing(admin)["rules"] == []

    casework.calendar_day_set(actor=admin, date=today.replace(month=10, day=1), name="国庆节", area_code="511133000000")
    assert _missing(admin)["calendar"] == []

    dates = {"period_start": dt.date(today.year, 1, 1), "period_end": dt.date(today.year, 12, 31)}
    scheme = insurance.SchemeInput(**(SCHEME_FIELDS | dates))
    s = insurance.scheme_create(actor=admin, county_code="511133000000", year=today.year, scheme=scheme)
    assert "还没有赔付标准" in _missing(admin)["scheme"][0]
    terms = insurance.TermsInput(**(STORY_B_TERMS.__dict__ | {"effective_from": dates["period_start"]}))
    insurance.terms_set(actor=admin, scheme_id=s.pk, terms=terms)
    assert _missing(admin)["scheme"] == []

    employment.policy_set(
        actor=admin, area_code="511133000000", policy=policy_input(POLICY | {"effective_from": "2020-01-01"})
    )
    assert _missing(admin)["employment"] == []

    banner = client_for(admin).get(reverse("analytics:setup_banner")).content.decode()
    assert 'id="setup-banner"' in banner and "7/8" in banner
    new_household(Area.objects.get(code="511133100201"), grid)
    [c] = setup.checklists(admin)
    assert c.complete
    assert client_for(admin).get(reverse("analytics:setup_banner")).content.decode().strip() == ""
    assert 'id="setup-complete"' in client_for(admin).get(reverse("analytics:setup")).content.decode()


def test_home_loads_the_notice_after_the_page_for_those_who_set_up(world, client_for) -> None:
    home = client_for(world.county).get("/").content.decode()
    assert reverse("analytics:setup_banner") in home
    assert reverse("analytics:setup_banner") not in client_for(world.t1).get("/").content.decode()
    banner = client_for(world.county).get(reverse("analytics:setup_banner")).content.decode()
    assert "马边彝族自治县尚未设置完成" in banner


def test_checklist_trio(world, client_for) -> None:
    # only those holding `configure` over a county have a checklist; others get 404 and an empty notice
    for user in (world.t1, world.t2, world.gw2, world.auditor):
        assert client_for(user).get(reverse("analytics:setup")).status_code == 404
        assert client_for(user).get(reverse("analytics:setup_banner")).content.decode().strip() == ""
    far = areas.area_create(code="511134000000", name="邻县", parent_code="511100000000")
    far_admin = accounts.user_create(username="far_admin", password="x-far-admin-2026", display_name="邻县管理员")
    accounts.membership_grant(user=far_admin, role=Role.COUNTY_ADMIN, area_code=far.code)
    page = client_for(far_admin).get(reverse("analytics:setup")).content.decode()
    assert "邻县" in page and "马边彝族自治县" not in page and "雪口山乡" not in page
    assert [c.county.code for c in setup.checklists(world.county) if c.county] == [world.area_county.code]
