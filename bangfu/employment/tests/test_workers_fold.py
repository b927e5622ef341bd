"""A workshop of many workers shows its first 20 rows and folds the rest behind one control (issue #16,
UX review journey 5: 121 workers made a page 14,000 px tall); every worker is still on the page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse

from bangfu.employment.tests.conftest import Story, english, hire, household
from bangfu.registry import selectors as registry

pytestmark = pytest.mark.django_db


def _rows(html: str, table: str) -> list[str]:
    found = re.search(rf'<table id="{table}">(.*?)</table>', html, re.S)
    assert found is not None, table
    return re.findall(r"<tr><td>(\S+) <span", found.group(1))


def test_a_workshop_of_25_workers_folds_after_20(story: Story, client_for: Any) -> None:
    w = story.world
    names = []
    for i in range(25):
        h = household(w.v1b, f"职工{i:02d}", dt.date(1985, 1, 1 + i))
        hire(w.t1, story, registry.members_of(w.county, h.pk)[0])
        names.append(f"职工{i:02d}")
    url = reverse("employment:workshop_detail", args=[story.workshop.pk])
    html = client_for(w.t1).get(url).content.decode()
    first, rest = _rows(html, "workers"), _rows(html, "workers-rest")
    assert len(first) == 20 and len(rest) == 5 and sorted(first + rest) == sorted(names)
    summary = re.search(r'<details id="workers-more"><summary>(.*?)</summary>', html, re.S)
    assert summary is not None and "25" in summary.group(1)
    en = english(client_for(w.t1)).get(url).content.decode()
    summary = re.search(r'<details id="workers-more"><summary>(.*?)</summary>', en, re.S)
    assert summary is not None and "Show all 25" in summary.group(1)
    assert client_for(w.t2).get(url).status_code == 404


def test_a_small_workshop_shows_every_worker_without_a_fold(story: Story, client_for: Any) -> None:
    w = story.world
    hire(w.t1, story, registry.members_of(w.county, story.a.pk)[0])
    html = client_for(w.t1).get(reverse("employment:workshop_detail", args=[story.workshop.pk])).content.decode()
    assert len(_rows(html, "workers")) == 1 and 'id="workers-more"' not in html
