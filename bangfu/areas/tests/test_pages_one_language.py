"""The area pages (issue #16): the template belongs to the downloader's own areas; the tree keeps the
area of its link as a removable filter and searches; one language at a time."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse

from bangfu.accounts import services as accounts
from bangfu.accounts.domain.roles import Role
from bangfu.areas import services as areas
from bangfu.testing import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_area_template_holds_only_the_downloaders_own_areas(world, client_for) -> None:
    hlj = areas.area_create(code="230000000000", name="黑龙江省", parent_code=None)
    qqhr = areas.area_create(code="230200000000", name="齐齐哈尔市", parent_code=hlj.code)
    gannan = areas.area_create(code="230225000000", name="甘南县", parent_code=qqhr.code)
    admin = accounts.user_create(username="gannan_admin", password=PASSWORD)
    accounts.membership_grant(user=admin, role=Role.COUNTY_ADMIN, area_code=gannan.code)
    data = client_for(admin).get(reverse("areas:import_template")).content
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert book.worksheets[0].title == "区划" and gannan.code in cells
    assert not [c for c in cells if c.startswith("5111")]  # nothing of Mabian, no example row of another county


def test_the_tree_keeps_the_area_of_its_link_and_searches(world, client_for) -> None:
    c = client_for(world.county)
    page = c.get(reverse("areas:tree"), {"area": world.area_t1.code}).content.decode()
    assert world.v1a.name in page and world.v2a.name not in page and 'class="chip"' in page
    found = c.get(reverse("areas:tree"), {"q": "民主"}).content.decode()
    assert world.v2a.name in found and world.v1a.name not in found
    assert c.get(reverse("areas:tree"), {"area": "511132000000"}).status_code == 404  # not one of the user's


def test_the_tree_in_english_has_no_chinese_of_its_own(world, client_for) -> None:
    c = client_for(world.county)
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = c.get(reverse("areas:tree")).content.decode()
    assert "Administrative areas" in page and "Township" in page and "乡(镇)" not in page and "行政区划" not in page
