"""The employment parameters page: a county administrator sets new values for an area from a date,
the old row ends the day before and stays as history, and the checks read the row in force on the
date they check. Nobody else sees or changes parameters."""

from __future__ import annotations

import datetime as dt
import html as markup
import json
from typing import Any

import pytest
from django.urls import reverse

from bangfu.accounts import services as accounts
from bangfu.accounts.domain.roles import Role
from bangfu.areas import services as areas
from bangfu.core.models import AuditEvent
from bangfu.employment import selectors, services
from bangfu.employment.models import EmploymentPolicy
from bangfu.employment.tests.conftest import POLICY, Story, english
from bangfu.employment.views.parameters import LABELS
from bangfu.testing import PASSWORD

pytestmark = pytest.mark.django_db
URL = reverse("employment:parameters")
NEW = {k: str(v) for k, v in POLICY.items()} | {"min_poor_workers": "6", "working_age_max": "65", "note": "2025年新规"}


def shown(response: Any) -> str:
    return markup.unescape(response.content.decode())


def rows() -> list[tuple[str, dt.date, dt.date | None, int]]:
    return [
        (p.area_id, p.effective_from, p.effective_to, p.min_poor_workers)
        for p in EmploymentPolicy.objects.order_by("area_id", "effective_from")
    ]


def required_poor_workers(story: Story, on: dt.date) -> str:
    return selectors.workshop_checks(story.workshop, on).recognition[0].required


def test_county_admin_sets_values_from_a_date_and_history_is_kept(story: Story, client_for: Any) -> None:
    world = story.world
    county = client_for(world.county)
    page = shown(county.get(URL))
    assert "马边彝族自治县" in page and "2020-01-01" in page.split('id="in-force"')[1]
    assert 'name="upgrade_min_annual_revenue" value="500000.00"' in page  # the form starts from the values in force
    assert 'href="/employment/parameters/"' in shown(county.get(reverse("employment:index")))

    done = county.post(URL, NEW | {"area": world.area_county.code, "effective_from": "2025-07-01"})
    assert done.status_code == 302 and done["Location"] == f"{URL}?area={world.area_county.code}"
    code = world.area_county.code
    assert rows() == [(code, dt.date(2020, 1, 1), dt.date(2025, 6, 30), 5), (code, dt.date(2025, 7, 1), None, 6)]
    assert AuditEvent.objects.filter(action="policy_set", area_code=code).count() == 2  # the fixture's and this
    assert required_poor_workers(story, dt.date(2025, 6, 30)) == "≥5"
    assert required_poor_workers(story, dt.date(2025, 7, 1)) == "≥6"
    assert selectors.policy_in_force(world.v1b.code, dt.date(2025, 7, 1)).working_age_max == 65
    history = shown(county.get(URL, {"area": code})).split('id="history"')[1]
    assert "2025-06-30" in history and "2025年新规" in history


def test_a_township_row_applies_there_instead_of_the_countys(story: Story, client_for: Any) -> None:
    world = story.world
    county = client_for(world.county)
    township = NEW | {"area": world.area_t1.code, "effective_from": "2024-01-01", "min_poor_workers": "3"}
    assert county.post(URL, township).status_code == 302
    assert required_poor_workers(story, dt.date(2024, 6, 1)) == "≥3"  # the workshop is in 雪口山乡
    assert selectors.policy_in_force(world.v2a.code, dt.date(2024, 6, 1)).min_poor_workers == 5  # 民建镇: county's
    county_page = shown(county.get(URL)).split('id="in-force"')[1].split("</section>")[0]
    assert "下级地区另有参数" in county_page and "雪口山乡" in county_page
    t2_page = shown(county.get(URL, {"area": world.area_t2.code})).split('id="in-force"')[1]
    assert "沿用上级地区参数" in t2_page


def test_only_the_county_administrator_of_the_area_sees_or_sets_parameters(story: Story, client_for: Any) -> None:
    world = story.world
    before = rows()
    target = {"area": world.area_t1.code}
    data = NEW | target | {"effective_from": "2025-07-01"}
    for outsider in (world.t2, world.gw2, story.enterprise):  # do not reach 雪口山乡 at all
        assert client_for(outsider).get(URL, target).status_code == 404
        assert client_for(outsider).post(URL, data).status_code in (403, 404)
    seen = [(world.t1, world.area_t1), (world.auditor, world.area_t1), (world.v1, world.v1a)]
    for onlooker, area in seen:  # see the area, but their role may not configure it
        assert client_for(onlooker).get(URL, {"area": area.code}).status_code == 403
        assert client_for(onlooker).post(URL, data | {"area": area.code}).status_code == 403
    assert client_for(world.t1).get(URL).status_code == 403
    assert 'href="/employment/parameters/"' not in shown(client_for(world.t1).get(reverse("employment:index")))

    other = areas.area_create(code="511132000000", name="峨边彝族自治县", parent_code="511100000000")
    admin = accounts.user_create(username="ebian", password=PASSWORD)
    accounts.membership_grant(user=admin, role=Role.COUNTY_ADMIN, area_code=other.code)
    assert client_for(admin).get(URL, {"area": world.area_county.code}).status_code == 404
    assert client_for(admin).post(URL, data | {"area": world.area_county.code}).status_code in (403, 404)
    assert rows() == before
    assert client_for(admin).post(URL, data | {"area": other.code}).status_code == 302  # its own county


def test_problems_show_next_to_their_fields_in_both_languages_and_save_nothing(story: Story, client_for: Any) -> None:
    county = client_for(story.world.county)
    before = rows()
    area = {"area": story.world.area_county.code}
    same = county.post(URL, NEW | area | {"effective_from": "2020-01-01"})
    html = shown(same)
    field = html.split('name="effective_from"')[1].split("</label>")[0]
    assert same.status_code == 422 and "新参数的生效日期须晚于此日期" in field
    en = shown(english(client_for(story.world.county)).post(URL, NEW | area | {"effective_from": "2020-01-01"}))
    assert "choose a later date" in en.split('name="effective_from"')[1].split("</label>")[0]
    bad = county.post(URL, NEW | area | {"effective_from": "明年", "min_poor_workers": "五", "working_age_min": ""})
    html = shown(bad)
    assert bad.status_code == 422 and "如 2026-01-15" in html.split('name="effective_from"')[1].split("</label>")[0]
    assert "“五”不是整数" in html.split('name="min_poor_workers"')[1].split("</label>")[0]
    assert "请填写“劳动年龄下限”" in html.split('name="working_age_min"')[1].split("</label>")[0]
    assert 'value="五"' in html  # the input is kept
    bad_en = english(client_for(story.world.county)).post(
        URL, NEW | area | {"effective_from": "明年", "min_poor_workers": "五", "working_age_min": ""}
    )
    assert "enter working age min" in shown(bad_en)
    ages = county.post(URL, NEW | area | {"effective_from": "2025-07-01", "working_age_min": "65"})
    assert "劳动年龄上限应大于下限" in shown(ages).split('name="working_age_max"')[1].split("</label>")[0]
    assert rows() == before


def test_every_parameter_is_on_the_form_with_both_languages() -> None:
    model = {f.name for f in EmploymentPolicy._meta.fields} - {"id", "area", "effective_from", "effective_to"}
    assert set(services.POLICY_FIELDS) == model == set(LABELS)


def test_parameters_through_the_api(story: Story, api_for: Any) -> None:
    world = story.world
    base = "/api/v1/employment/policies"
    # typed as the published document says (integers as numbers), not the page form's strings
    typed = POLICY | {"min_poor_workers": 6, "working_age_max": 65, "note": "2025年新规"}
    body = json.dumps(
        typed | {"area": world.area_t1.code, "effective_from": "2025-07-01", "welfare_posts_per_household": 2}
    )
    for outsider, status in ((world.t2, 404), (world.gw2, 404), (world.t1, 403)):
        assert api_for(outsider).get(base, {"area": world.area_t1.code}).status_code == status
        # none of them holds `configure`: the write is refused (403) before the body is read
        assert api_for(outsider).post(base, data=body, content_type="application/json").status_code in (status, 403)
    assert len(rows()) == 1
    made = api_for(world.county).post(base, data=body, content_type="application/json")
    assert made.status_code == 201 and made.json()["min_insurance_per_worker_month"] == "15.00"
    seen = api_for(world.county).get(base, {"area": world.area_t1.code, "on": "2025-07-01"}).json()
    assert seen["in_force"]["area"] == world.area_t1.code and seen["in_force"]["welfare_posts_per_household"] == 2
    assert [p["area"] for p in seen["history"]] == [world.area_t1.code, world.area_county.code]
