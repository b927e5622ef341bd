"""Punctuation a template writes between values is the reader's (issue #16, one language at a time):
"周景财（gw1）" and "甲、乙" in Chinese, "周景财 (gw1)" and "A, B" in English. Marks inside a translated
sentence stay with its catalogue entry; tests/test_i18n_catalogues.py finds any full-width mark a
template writes outside both."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

LINE = Template(
    '{% load bangfu %}{{ name }}{% punct "（" %}{{ code }}{% punct "）" %}{% punct "：" %}{{ items|listed }}'
)


def _render() -> str:
    return LINE.render(Context({"name": "永利村", "code": "230225102201", "items": ["甲", "乙", "丙"]}))


def test_the_marks_and_lists_follow_the_language() -> None:
    with translation.override("zh-hans"):
        assert _render() == "永利村（230225102201）：甲、乙、丙"
    with translation.override("en"):
        assert _render() == "永利村 (230225102201): 甲, 乙, 丙"


@pytest.mark.django_db
def test_a_person_page_in_english_has_no_chinese_brackets(world, client_for) -> None:
    url = reverse("accounts:person", args=[world.gw1.pk])
    county = client_for(world.county)
    zh = re.search(r"<h1>(.*?)</h1>", county.get(url).content.decode(), re.S).group(1)  # type: ignore[union-attr]
    assert f"（{world.gw1.username}）" in zh
    county.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en = re.search(r"<h1>(.*?)</h1>", county.get(url).content.decode(), re.S).group(1)  # type: ignore[union-attr]
    assert f" ({world.gw1.username})" in en and "（" not in en
    for outsider in (world.t2, world.gw2):
        assert client_for(outsider).get(url).status_code in (403, 404)
