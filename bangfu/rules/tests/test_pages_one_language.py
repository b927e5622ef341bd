"""The rule pages in one language at a time (issue #16): a rule reads as a sentence of fact and
threshold labels, its risk by its label, never a code; publishing asks first with a summary."""

from __future__ import annotations

import html
import re

import pytest
from django.conf import settings

from bangfu.monitoring.tests.helpers import rules_in_force
from bangfu.rules.models import RuleSet

pytestmark = pytest.mark.django_db
CODES = ("medical_oop", "school_cost_limit", "per_capita_income", "rolling_12m", "school_costs", "published")


def _text(body: bytes) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", body.decode(), flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_published_version_reads_as_sentences_without_codes(world, client_for, language) -> None:
    rs = rules_in_force(world)
    c = client_for(world.county)
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = c.get(f"/rules/{rs.pk}/")
    text = _text(page.content)
    assert page.status_code == 200 and not [code for code in CODES if code in text]
    if language == "en":
        assert "School cost threshold (yuan)" in text and "Schooling" in text and "Published" in text
        main = _text(page.content.split(b"<main", 1)[1])  # the page itself, not the shared header
        assert not re.search(r"[\u4e00-\u9fff]", main.replace(rs.area.name, ""))
    else:
        assert "教育支出阈值（元）" in text and "因学" in text


def test_publishing_and_deleting_a_draft_ask_first(world, client_for) -> None:
    rules_in_force(world)
    c = client_for(world.county)
    assert c.post("/rules/", {"note": "县级覆盖"}).status_code == 302
    draft = RuleSet.objects.get(status="draft")
    body = c.get(f"/rules/{draft.pk}/").content.decode()
    assert re.search(r'value="publish" data-confirm="发布[^"]*第1版？[^"]*不能再修改', body)
    assert re.search(r'value="delete" data-confirm="删除第1版草稿？', body)
