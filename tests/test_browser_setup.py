"""A county sets itself up from an empty database, as new users would, in the browser (#14):
the first administrator (first-run page) imports the areas, a township cadre and a grid worker, a grid
by Excel, enters the 防贫保 scheme and a holiday, imports three households; the grid worker signs in,
must change the first password, and sees exactly those households. Then a relocated household placed
on a new site changes the site's employment KPI."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from bangfu.testing import fill_template, new_id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COUNTY, TOWNSHIP, VILLAGE = "511133000000", "511133100000", "511133100201"


def _download(page: Any, link: str) -> bytes:
    with page.expect_download() as info:
        page.click(link)
    return Path(info.value.path()).read_bytes()


def _upload(page: Any, data: bytes, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    page.set_input_files("input[type=file]", str(path))
    page.click("form[enctype] button[type=submit], form[enctype] button.primary")
    page.wait_for_load_state()


def test_a_county_sets_itself_up_from_an_empty_database(browser_page: Any, tmp_path: Path) -> None:
    page = browser_page()
    page.goto(page.base_url + "/")
    assert page.url.endswith(reverse("accounts:first_run"))  # / → login → first run (no account yet)
    for name, value in {
        "province_name": "四川省",
        "prefecture_name": "乐山市",
        "county_name": "马边彝族自治县",
        "county_code": COUNTY,
        "username": "first_admin",
        "display_name": "第一管理员",
        "password": "Mabian-setup-2026!",
        "password2": "Mabian-setup-2026!",
    }.items():
        page.fill(f"input[name={name}]", value)
    page.click("#first-run button[type=submit]")
    page.wait_for_selector("#step-areas")
    assert "还没有乡镇" in page.inner_text("#step-areas")

    page.click("#step-areas a.button")  # 导入区划
    template = _download(page, "#template-link")
    rows = [
        {"区划代码": TOWNSHIP, "名称": "雪口山乡", "上级区划代码": COUNTY},
        {"区划代码": VILLAGE, "名称": "羊店儿村", "上级区划代码": TOWNSHIP},
    ]
    _upload(page, fill_template(template, rows), tmp_path, "areas.xlsx")
    assert "已导入2个区划" in page.inner_text("body")

    page.goto(page.base_url + reverse("accounts:people_import"))
    template = _download(page, "#template-link")
    rows = [
        {"用户名": "gw_yang", "姓名": "杨网格", "角色": "网格员", "区划代码": VILLAGE},
        {"用户名": "t_xks", "姓名": "雪口山乡干部", "角色": "乡镇干部", "区划代码": TOWNSHIP},
    ]
    page.set_input_files("input[type=file]", str(_write(tmp_path, "accounts.xlsx", fill_template(template, rows))))
    page.click("#import-form button")
    page.wait_for_selector("#import-created")
    first_password = page.locator("#import-created tr:has-text('gw_yang') code").inner_text()

    page.goto(page.base_url + reverse("areas:grid_import"))
    template = _download(page, "#template-link")
    rows = [{"网格编号": "YD1", "网格名称": "羊店儿村第一网格", "村代码": VILLAGE, "网格员用户名": "gw_yang"}]
    _upload(page, fill_template(template, rows), tmp_path, "grids.xlsx")
    assert "已新建1个网格" in page.inner_text("body")

    year = timezone.localdate().year
    page.goto(page.base_url + reverse("insurance:scheme_new"))
    for name, value in {
        "year": str(year),
        "name": f"{year}年马边防贫保",
        "insurer": "中国太保",
        "policyholder": "县乡村振兴局",
        "period_start": f"{year}-01-01",
        "period_end": f"{year}-12-31",
        "premium_per_person": "50",
        "income_line": "8000",
    }.items():
        page.fill(f"input[name={name}]", value)
    page.click("button.primary")
    page.wait_for_load_state()
    assert f"{year}年马边防贫保" in page.inner_text("body")

    page.goto(page.base_url + reverse("casework:config"))
    page.fill("form[action$='calendar/'] input[name=date]", f"{year}-10-08")
    page.fill("form[action$='calendar/'] input[name=name]", "县庆")
    page.click("form[action$='calendar/'] button")
    page.wait_for_load_state()
    assert "县庆" in page.inner_text("body")

    page.goto(page.base_url + reverse("registry:import"))
    with page.expect_download() as info:
        page.click("a[href$='template.xlsx']")
    template = Path(info.value.path()).read_bytes()
    numbers = [f"{VILLAGE}90{i}" for i in range(1, 4)]
    filled = fill_template(template, [{"户编号": n, "村代码": VILLAGE, "网格编号": "YD1"} for n in numbers])
    heads = [
        {"户编号": n, "姓名": f"户主{i}", "身份证号": new_id_number(), "与户主关系": "户主"}
        for i, n in enumerate(numbers)
    ]
    _upload(page, fill_template(filled, heads, sheet="成员"), tmp_path, "households.xlsx")
    assert "已导入3户" in page.inner_text("body")

    page.goto(page.base_url + reverse("analytics:setup"))
    for done in ("areas", "grids", "accounts", "calendar", "households"):
        assert "已完成" in page.inner_text(f"#step-{done}"), done
    assert "赔付标准" in page.inner_text("#step-scheme")  # the scheme exists; its terms are the next thing

    worker = browser_page(viewport={"width": 360, "height": 740})
    worker.goto(worker.base_url + reverse("accounts:login"))
    worker.fill("input[name=username]", "gw_yang")
    worker.fill("input[name=password]", first_password)
    worker.click("button[type=submit]")
    worker.wait_for_load_state()
    assert worker.url.endswith(reverse("accounts:password_change"))  # forced at the first sign-in
    worker.fill("input[name=old_password]", first_password)
    worker.fill("input[name=new_password]", "Yang-grid-2026!")
    worker.fill("input[name=new_password_again]", "Yang-grid-2026!")
    worker.click("form button.primary, form button[type=submit]")
    worker.wait_for_load_state()
    worker.goto(worker.base_url + reverse("registry:household_list"))
    shown = worker.inner_text("main")
    assert all(n in shown for n in numbers)
    assert worker.locator("#rows tbody a[href*='/registry/households/']").count() == 3  # exactly those


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_household_placed_on_a_new_site_changes_the_site_kpi(world: Any, browser_page: Any) -> None:
    from bangfu.employment import services as employment
    from bangfu.employment.inputs import policy_input
    from bangfu.employment.tests.conftest import POLICY
    from bangfu.registry import services as registry
    from bangfu.testing import member_fields

    employment.policy_set(
        actor=world.county,
        area_code=world.area_county.code,
        policy=policy_input(POLICY | {"effective_from": "2020-01-01"}),
    )
    head = member_fields("搬迁户主", "户主", id_number=new_id_number(dt.date(1990, 3, 1)), employment="务工")
    h = registry.household_create(
        actor=None, village_code=world.v1b.code, fields={"number": "511133100202777"}, members=[head]
    )
    page = browser_page(world.county)
    page.goto(page.base_url + reverse("registry:site_list"))
    page.click("#site-new")
    page.fill("input[name=name]", "黎明新区安置点")
    page.select_option("select[name=area]", world.v1b.code)
    page.select_option("select[name=kind]", "urban")
    page.fill("input[name=community]", "黎明社区居委会")
    page.fill("input[name=planned_households]", "50")
    page.click("#site-form button.primary")
    page.wait_for_selector("#place")
    page.click("#site-kpi")
    page.wait_for_selector("#kpi-met")
    assert page.inner_text("#kpi-met b") == "0"
    page.go_back()
    page.fill("#place input[name=number]", h.number)
    page.click("#place button.primary")
    page.wait_for_selector("#site-households")
    assert h.number in page.inner_text("#site-households")
    page.click("#site-kpi")
    page.wait_for_selector("#kpi-met")
    assert page.inner_text("#kpi-met b") == "1"  # the household placed through the page counts at once
