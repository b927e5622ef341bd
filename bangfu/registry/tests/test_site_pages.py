"""Resettlement site pages: list, create, edit, the site's households, placing a household (from the
site page, the household page and Excel), moving it; the relocation KPI counts what the pages place.
Access trio on each; every change in the audit log."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from bangfu.core.models import AuditEvent
from bangfu.employment import selectors as employment
from bangfu.employment import services as employment_services
from bangfu.employment.inputs import policy_input
from bangfu.registry import services
from bangfu.registry.models import Household, ResettlementSite
from bangfu.testing import fill_template, member_fields, new_household, new_id_number, upload

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
SITE = {
    "name": "羊店儿村集中安置点",
    "kind": "town",
    "community": "羊店儿社区居委会",
    "address": "羊店儿村一组",
    "planned_households": "40",
    "planned_people": "160",
    "completed_year": "2019",
    "services": "卫生室",
}


def _site(world, name="羊店儿村安置点", village=None) -> ResettlementSite:
    return services.site_create(actor=None, area_code=(village or world.v1a).code, name=name, kind="town")


def _audited(action: str, **filters) -> int:
    return AuditEvent.objects.filter(action=action, **filters).count()


def test_county_creates_a_site_with_errors_beside_the_fields(world, client_for) -> None:
    c = client_for(world.county)
    assert c.get(reverse("registry:site_new")).status_code == 200
    bad = c.post(
        reverse("registry:site_new"), SITE | {"area": world.v1a.code, "kind": "", "completed_year": "二〇一九"}
    )
    assert bad.status_code == 422
    text = bad.content.decode()
    assert "请选择安置方式" in text and "Choose the type" not in text  # both problems at once, in one language
    assert "建成年份" in text and "errorlist" in text
    assert not ResettlementSite.objects.exists()
    made = c.post(reverse("registry:site_new"), SITE | {"area": world.v1a.code})
    site = ResettlementSite.objects.get()
    assert made.status_code == 302 and made["Location"] == reverse("registry:site_detail", args=[site.pk])
    assert (site.kind, site.community, site.planned_people, site.completed_year) == (
        "town",
        "羊店儿社区居委会",
        160,
        2019,
    )
    assert _audited("site_create", area_code=world.v1a.code, actor=world.county) == 1
    page = c.get(reverse("registry:site_detail", args=[site.pk])).content.decode()
    assert "集镇安置" in page and "羊店儿社区居委会" in page
    listed = c.get(reverse("registry:site_list")).content.decode()
    assert site.name in listed


def test_site_pages_access_trio(world, client_for) -> None:
    site = _site(world)
    for user in (world.t1, world.county):
        assert client_for(user).get(reverse("registry:site_detail", args=[site.pk])).status_code == 200
    for user in (world.t2, world.gw2):
        c = client_for(user)
        assert c.get(reverse("registry:site_detail", args=[site.pk])).status_code == 404
        assert site.name not in c.get(reverse("registry:site_list")).content.decode()
        assert c.post(reverse("registry:site_edit", args=[site.pk]), SITE).status_code in (403, 404)
        created = c.post(reverse("registry:site_new"), SITE | {"area": world.v1a.code})
        assert created.status_code in (403, 404)
    site.refresh_from_db()
    assert site.name == "羊店儿村安置点" and ResettlementSite.objects.count() == 1
    # the township officer sees the site but may not change it (configure is the county's)
    assert client_for(world.t1).post(reverse("registry:site_edit", args=[site.pk]), SITE).status_code in (403, 404)
    assert not _audited("site_update")


def test_county_edits_a_site(world, client_for) -> None:
    site = _site(world)
    c = client_for(world.county)
    assert c.get(reverse("registry:site_edit", args=[site.pk])).status_code == 200
    r = c.post(reverse("registry:site_edit", args=[site.pk]), SITE | {"planned_households": "-3"})
    assert r.status_code == 422 and "规划户数" in r.content.decode()
    r = c.post(reverse("registry:site_edit", args=[site.pk]), SITE | {"kind": "urban"})
    assert r.status_code == 302
    site.refresh_from_db()
    assert (site.name, site.kind, site.area_id) == ("羊店儿村集中安置点", "urban", world.v1a.code)
    assert _audited("site_update", area_code=world.v1a.code, actor=world.county) == 1


def _worker_household(world, *, employed: bool) -> Household:
    """A household of 黎明村 with one working-age member (employed or not)."""
    head = member_fields("搬迁户主", "户主", id_number=new_id_number(dt.date(1990, 3, 1)))
    head["employment"] = "务工" if employed else "未就业"
    number = f"5111331{new_id_number()[-10:-1]}"  # digits only: the check character may be X
    return services.household_create(
        actor=None,
        village_code=world.v1b.code,
        fields={"number": number, "poverty_exited": True, "exit_year": 2019},
        members=[head],
    )


def test_a_household_placed_on_the_site_page_changes_the_kpi_and_its_action_list(world, client_for) -> None:
    employment_services.policy_set(
        actor=world.county,
        area_code=world.area_county.code,
        policy=policy_input(POLICY | {"effective_from": "2020-01-01"}),
    )
    site = _site(world, "黎明村安置点", world.v1b)
    working, idle = _worker_household(world, employed=True), _worker_household(world, employed=False)
    today = timezone.localdate()
    before = employment.site_kpi(world.county, site.pk, today).summary
    assert (before.households, before.with_labour, before.met) == (0, 0, 0)
    c = client_for(world.t1)
    url = reverse("registry:site_place", args=[site.pk])
    r = c.post(url, {"number": working.number, "moved_on": "2024-05-01", "from_village": world.v1a.code})
    assert r.status_code == 302
    r = c.post(url, {"number": idle.number, "moved_on": "2024-05-02"})
    assert r.status_code == 302
    kpi = employment.site_kpi(world.county, site.pk, today)
    assert (kpi.summary.households, kpi.summary.with_labour, kpi.summary.met) == (2, 2, 1)
    assert [r.household.pk for r in kpi.action_rows] == [idle.pk]  # the action list names the idle household
    page = c.get(reverse("registry:site_detail", args=[site.pk])).content.decode()
    assert working.number in page and idle.number in page
    kpi_page = c.get(reverse("employment:site_detail", args=[site.pk])).content.decode()
    assert idle.number in kpi_page
    assert _audited("household_set_relocation", actor=world.t1, area_code=world.v1b.code) == 2
    placed = Household.objects.get(pk=working.pk)
    assert (placed.relocated, placed.relocated_on, placed.relocated_from_id) == (
        True,
        dt.date(2024, 5, 1),
        world.v1a.code,
    )


def test_placing_reports_problems_beside_the_fields_and_the_trio(world, client_for) -> None:
    site = _site(world)
    h1, h3 = world.households["h1"], world.households["h3"]
    c = client_for(world.t1)
    url = reverse("registry:site_place", args=[site.pk])
    r = c.post(url, {"number": h1.number, "moved_on": "2024-02-30", "from_village": "999"})
    text = r.content.decode()
    assert r.status_code == 422 and "搬迁入住日期" in text and "迁出村区划代码" in text and "12-digit" not in text
    r = c.post(url, {"number": h3.number, "moved_on": "2024-05-01"})  # another township's household
    assert r.status_code == 422 and "没有找到您可修改的户编号" in r.content.decode()
    for user in (world.t2, world.gw2, world.gw1):  # gw1 sees the site and h1 but may not edit the registry
        assert client_for(user).post(url, {"number": h1.number, "moved_on": "2024-05-01"}).status_code in (403, 404)
    assert not Household.objects.filter(relocated=True).exists()
    assert not _audited("household_set_relocation")


def test_household_page_places_moves_and_takes_off(world, client_for) -> None:
    first, second = _site(world, "第一安置点"), _site(world, "第二安置点", world.v1b)
    h1 = world.households["h1"]
    c = client_for(world.t1)
    detail = c.get(reverse("registry:household_detail", args=[h1.pk])).content.decode()
    assert reverse("registry:household_relocation", args=[h1.pk]) in detail
    url = reverse("registry:household_relocation", args=[h1.pk])
    assert c.get(url).status_code == 200
    assert c.post(url, {"site": first.pk, "moved_on": "2023-03-01", "from_village": world.v1b.code}).status_code == 302
    r = c.post(url, {"site": second.pk, "moved_on": "2024-04-01", "from_village": world.v1b.code, "reason": "调整"})
    assert r.status_code == 302
    h = Household.objects.get(pk=h1.pk)
    assert (h.relocation_site_id, h.relocated_on) == (second.pk, dt.date(2024, 4, 1))
    moved = AuditEvent.objects.get(action="household_move_site")
    assert moved.data == {"site": second.pk, "from_site": first.pk} and moved.actor == world.t1
    assert [x.relocation_site_id for x in h.history.order_by("history_date")][-2:] == [first.pk, second.pk]
    assert c.post(url, {"site": "", "moved_on": ""}).status_code == 302
    assert not Household.objects.get(pk=h1.pk).relocated
    for user in (world.t2, world.gw2):
        assert client_for(user).get(url).status_code == 404
        assert client_for(user).post(url, {"site": first.pk}).status_code in (403, 404)
    assert not Household.objects.get(pk=h1.pk).relocated


def test_unticking_relocated_takes_the_household_off_its_site(world) -> None:
    site = _site(world)
    h1 = world.households["h1"]
    services.household_set_relocation(household=h1, site=site, moved_on="2024-01-01", actor=world.t1)
    services.household_update(actor=world.t1, household=h1, changes={"relocated": False})
    h = Household.objects.get(pk=h1.pk)
    assert (h.relocated, h.relocation_site_id, h.relocated_on) == (False, None, None)


def test_the_list_counts_relocated_households_on_no_site(world, client_for) -> None:
    h1 = world.households["h1"]
    services.household_update(actor=world.t1, household=h1, changes={"relocated": True})
    text = client_for(world.t1).get(reverse("registry:site_list")).content.decode()
    assert 'id="unplaced"' in text and "relocated_unplaced" in text
    listed = client_for(world.t1).get(reverse("registry:household_list") + "?flag=relocated_unplaced")
    assert h1.number in listed.content.decode()
    assert 'id="unplaced"' not in client_for(world.t2).get(reverse("registry:site_list")).content.decode()


def test_placement_template_round_trip_all_or_nothing(world, client_for) -> None:
    site = _site(world)
    h1, h2, h3 = (world.households[k] for k in ("h1", "h2", "h3"))
    c = client_for(world.t1)
    r = c.get(reverse("registry:sites_template"))
    assert r.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert wb.active.title == "搬迁户安置"  # opens on its data sheet
    label = f"{site.name}（{site.pk}）"
    assert [row[1] for row in wb["安置点"].iter_rows(min_row=2, values_only=True)] == [site.name]
    good = [
        {"户编号": h1.number, "安置点": label, "搬迁入住日期": "2024-05-01", "迁出村代码": world.v1b.code},
        {"户编号": h2.number, "安置点": site.name, "搬迁入住日期": "2024/05/02"},
    ]
    h4 = new_household(world.v1b)
    bad = [*good, {"户编号": h3.number, "安置点": label}, {"户编号": h4.number, "安置点": "不存在的安置点"}]
    r = c.post(reverse("registry:sites_import"), {"file": upload(fill_template(r.content, bad))})
    text = r.content.decode()
    assert r.status_code == 422 and "不在您可修改的农户中" in text and "没有找到安置点" in text
    assert not Household.objects.filter(relocated=True).exists()  # nothing placed
    template = c.get(reverse("registry:sites_template")).content
    r = c.post(reverse("registry:sites_import"), {"file": upload(fill_template(template, good))})
    assert r.status_code == 302
    placed = Household.objects.filter(relocation_site=site).order_by("number")
    assert [h.pk for h in placed] == sorted([h1.pk, h2.pk], key=lambda pk: Household.objects.get(pk=pk).number)
    assert Household.objects.get(pk=h2.pk).relocated_on == dt.date(2024, 5, 2)
    assert _audited("household_set_relocation", actor=world.t1) == 2


def test_placement_import_trio(world, client_for) -> None:
    site = _site(world)
    h1 = world.households["h1"]
    template = client_for(world.t1).get(reverse("registry:sites_template")).content
    data = fill_template(template, [{"户编号": h1.number, "安置点": f"{site.name}（{site.pk}）"}])
    for user in (world.t2, world.gw2):
        r = client_for(user).post(reverse("registry:sites_import"), {"file": upload(data)})
        assert r.status_code in (403, 404, 422)
    assert client_for(world.gw2).get(reverse("registry:sites_template")).status_code == 404
    assert site.name not in str(
        [
            c.value
            for row in openpyxl.load_workbook(
                io.BytesIO(client_for(world.t2).get(reverse("registry:sites_template")).content)
            )["安置点"].iter_rows()
            for c in row
        ]
    )
    assert not Household.objects.get(pk=h1.pk).relocated
