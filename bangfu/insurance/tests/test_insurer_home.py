"""The insurer's home page counts the work waiting for it (待勘查 1件…), each counter a link to the queue
filtered to that state (issue #16, UX review journey 3); an insurer of another county sees only zeros."""

from __future__ import annotations

import re

import pytest

from bangfu.accounts.domain.roles import Role
from bangfu.areas import services as areas
from bangfu.insurance.tests.helpers import scheme, submit, to_calculated
from bangfu.testing import account

pytestmark = pytest.mark.django_db


def _counters(html: str) -> dict[str, int]:
    section = re.search(r'<section class="card" id="claim-work">.*?</section>', html, re.S)
    assert section is not None, "no counters on the home page"
    return {
        status: int(n.replace(",", ""))
        for status, n in re.findall(r'href="/insurance/\?status=(\w+)">[^<]*<b>([\d,]+)</b>', section.group(0))
    }


def test_the_insurers_home_counts_its_work_with_links_to_the_queue(world, client_for) -> None:
    scheme(world.county, world.area_county.code)
    waiting = submit(world.gw1, world.households["h1"].pk)
    to_calculated(world, submit(world.gw3, world.households["h3"].pk))
    home = client_for(world.insurer).get("/")
    assert home.status_code == 200
    assert _counters(home.content.decode()) == {"submitted": 1, "surveyed": 0, "calculated": 1, "approved": 0}
    queue = client_for(world.insurer).get("/insurance/?status=submitted").content.decode()
    assert f"/insurance/claims/{waiting.pk}/" in queue  # the counter's link opens exactly those claims
    other = areas.area_create(code="511132000000", name="峨边彝族自治县", parent_code="511100000000")
    stranger = account("eb_insurer", Role.INSURER, other.code, "中国人保")
    counts = _counters(client_for(stranger).get("/").content.decode())
    assert set(counts.values()) == {0}
    assert (
        f"/insurance/claims/{waiting.pk}/"
        not in client_for(stranger).get("/insurance/?status=submitted").content.decode()
    )
    assert 'id="claim-work"' not in client_for(world.dept).get("/").content.decode()  # no claims work: no card
