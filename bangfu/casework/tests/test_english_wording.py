"""The case pages in English read as English (issue #16): the event "立案" is "Case opened" in the record and
"Open a case" on the button; one household is "Household"; no Chinese punctuation (：、，；) glues English
phrases; the compliance summary's level has no empty choice."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from bangfu.casework.models import Case
from bangfu.casework.tests.test_services import open_case

pytestmark = pytest.mark.django_db
CN_PUNCTUATION = re.compile(r"[：、，；]")


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _text(client, url: str) -> tuple[str, str]:
    r = client.get(url)
    assert r.status_code == 200, url
    html = r.content.decode()
    visible = re.sub(r"<(script|style|template)\b.*?</\1>", " ", html, flags=re.S)
    parts = [p.strip() for p in re.split(r"<[^>]+>", visible) if p.strip()]
    return " | ".join(parts), html


def test_case_pages_read_as_english(world, params, client_for) -> None:
    case = open_case(world)
    Case.objects.filter(pk=case.pk).update(
        summary="zhuyuan", monitoring_type="突发严重困难户", risk_codes=["因病", "因学"], source_ref="x"
    )
    t1 = _english(client_for(world.t1))
    text, html = _text(t1, reverse("casework:case_detail", args=[case.pk]))
    assert "<dt>Household</dt>" in html
    assert "Case opened" in text and "Open a case" not in text
    assert not CN_PUNCTUATION.findall(text.replace("长子患病住院，自付费用高", "")), text  # but the data's own
    household = world.households["h2"]  # no case yet: the button to open one
    text, _html = _text(t1, reverse("registry:household_detail", args=[household.pk]))
    assert "Open a case" in text and "Case opened" not in text
    county = _english(client_for(world.county))
    for url in (reverse("casework:case_list"), reverse("casework:lead_queue"), reverse("casework:config")):
        text, _html = _text(county, url)
        assert not CN_PUNCTUATION.findall(text), (url, CN_PUNCTUATION.findall(text))
    text, _html = _text(county, reverse("casework:config"))
    assert "2 times a month" in text
    text, _html = _text(county, reverse("casework:grid_village", args=[world.v1a.code]))
    assert not CN_PUNCTUATION.findall(text), text
    text, _html = _text(t1, reverse("casework:case_open"))
    assert "| Household | Search for the household above first" in text


def test_the_compliance_level_has_no_empty_choice(world, params, client_for) -> None:
    _shown, html = _text(client_for(world.county), reverse("casework:compliance"))
    select = re.search(r'<select name="level".*?</select>', html, re.S)
    assert select is not None and '<option value="">' not in select.group(0)
    assert 'value="village"' in select.group(0)
