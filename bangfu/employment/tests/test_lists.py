"""The workshop list and the site indicator take the area from the link (?area=, or the older ?village=
of a dashboard tile), show it as a removable filter, and can be searched (issue #16, list kit)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from bangfu.employment.tests.conftest import Story

pytestmark = pytest.mark.django_db


def test_the_workshop_list_keeps_the_area_of_the_link(story: Story, client_for: Any) -> None:
    world, url = story.world, reverse("employment:index")
    t1 = client_for(world.t1)
    here = t1.get(url, {"village": world.v1b.code}).content.decode()
    assert story.workshop.name in here and story.site.name in here
    assert 'class="chip"' in here  # the filter is shown, with a link that removes it
    elsewhere = t1.get(url, {"area": world.v1a.code}).content.decode()
    assert story.workshop.name not in elsewhere and story.site.name not in elsewhere
    assert story.workshop.name in t1.get(url, {"q": "扶贫工厂"}).content.decode()
    assert story.workshop.name not in t1.get(url, {"q": "没有这个车间"}).content.decode()
    assert story.workshop.name in t1.get(url, {"status": "applied"}).content.decode()
    assert story.workshop.name not in t1.get(url, {"status": "revoked"}).content.decode()
    assert client_for(world.t2).get(url, {"village": world.v1b.code}).status_code == 404  # another township's
    assert client_for(world.t1).get(url, {"status": "open"}).status_code == 400  # not a status: said, not ignored
