"""The person page names its roles section once per language (issue #16: "Roles" read "Role", the same
word as the column below it; the area's code sat in Chinese brackets in English)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_roles_heading_in_both_languages(world, client_for) -> None:
    url = reverse("accounts:person", args=[world.gw1.pk])
    county = client_for(world.county)
    zh = county.get(url).content.decode()
    assert "<h2>担任的角色</h2>" in zh and "<th>角色</th>" in zh
    county.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en = county.get(url).content.decode()
    assert "<h2>Roles</h2>" in en and "<th>Role</th>" in en
    table = re.search(r'<table id="memberships">.*?</table>', en, re.S)
    assert table is not None and "（" not in table.group(0)
    assert "（" not in re.search(r'<select name="area_code">.*?</select>', en, re.S).group(0)  # type: ignore[union-attr]
    for outsider in (world.t2, world.gw2):
        assert client_for(outsider).get(url).status_code in (403, 404)
