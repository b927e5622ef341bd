"""The monitoring line is set on the rules page (a county row overrides the province's): errors beside
the fields in Chinese and English, the access trio, the audit log."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from bangfu.core.models import AuditEvent
from bangfu.rules.models import MonitoringLine

pytestmark = pytest.mark.django_db


def test_county_sets_its_line_on_the_rules_page(world, client_for) -> None:
    c = client_for(world.county)
    year = timezone.localdate().year
    page = c.get(reverse("rules:ruleset_list")).content.decode()
    assert 'id="line-form"' in page and world.area_county.code in page
    bad = c.post(reverse("rules:line_set"), {"area": world.area_county.code, "year": "1999", "amount": "七千"})
    text = bad.content.decode()
    assert bad.status_code == 422 and "监测线金额应为数字" in text and "年度应在2013" in text
    assert "amount in yuan" not in text  # one language at a time: the English reader gets it in English
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = c.post(reverse("rules:line_set"), {"area": world.area_county.code, "year": "1999", "amount": "七千"})
    assert "amount in yuan" in english.content.decode() and 'value="七千"' in english.content.decode()
    assert not MonitoringLine.objects.exists()
    ok = c.post(reverse("rules:line_set"), {"area": world.area_county.code, "year": str(year), "amount": "7000"})
    assert ok.status_code == 302
    line = MonitoringLine.objects.get()
    assert (line.area_id, line.year, str(line.amount)) == (world.area_county.code, year, "7000.00")
    assert AuditEvent.objects.filter(action="monitoring_line_set", actor=world.county).count() == 1


def test_line_trio(world, client_for) -> None:
    year = str(timezone.localdate().year)
    for user in (world.t1, world.t2, world.gw2, world.auditor):
        r = client_for(user).post(
            reverse("rules:line_set"), {"area": world.area_county.code, "year": year, "amount": "1"}
        )
        assert r.status_code in (403, 404)
    from bangfu.accounts import services as accounts
    from bangfu.accounts.domain.roles import Role
    from bangfu.areas import services as areas

    far = areas.area_create(code="511134000000", name="邻县", parent_code="511100000000")
    far_admin = accounts.user_create(username="far_admin", password="x-far-2026-admin", display_name="邻县管理员")
    accounts.membership_grant(user=far_admin, role=Role.COUNTY_ADMIN, area_code=far.code)
    r = client_for(far_admin).post(
        reverse("rules:line_set"), {"area": world.area_county.code, "year": year, "amount": "1"}
    )
    assert r.status_code == 404
    assert world.area_county.code not in client_for(far_admin).get(reverse("rules:ruleset_list")).content.decode()
    assert not MonitoringLine.objects.exists() and not AuditEvent.objects.filter(action="monitoring_line_set").exists()
