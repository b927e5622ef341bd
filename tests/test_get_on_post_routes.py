"""A GET on a page address that takes a form's POST (a reload after a refused form, a bookmark, the
back button) never answers a blank 405: it shows the page the form belongs to, through that page's own
view (`core.views.page_on_get`), so whoever may not see it gets its 404. Enumerated from the URL conf
(issue #16); the objects are those of tests/test_access_matrix.py (V1a/G1 of the test county)."""

from __future__ import annotations

import pytest

from tests import test_access_matrix as am

pytestmark = pytest.mark.django_db

matrix = am.matrix  # the fixture: ids of V1a/G1's objects and the personas who may not see them

# The test county's users, the first holding one of a route's capabilities opens it.
ORDER = ("county", "t1", "v1", "gw1", "insurer", "dept", "enterprise")


def _writing_pages() -> list[am.Route]:
    return [r for r in am.page_routes() if r.caps is not None]


def _names_an_object(r: am.Route) -> bool:
    return any(am._kind(r, p) not in (None, "absent") for p in am._params(r))


def test_a_get_on_a_writing_address_shows_its_page_never_a_405(world, matrix, client_for):
    ids, _personas, _secrets = matrix
    clients = {name: client_for(world.users[name]) for name in ORDER}
    failures, shown = [], 0
    routes = _writing_pages()
    assert len(routes) > 40
    for r in routes:
        holders = [n for n in ORDER if not r.caps or r.caps & am._caps(world.users[n])]
        if any(am._kind(r, p) == "token" for p in am._params(r)):
            holders = ["gw1"]  # the token's owner (the matrix's)
        if not holders:
            continue
        url = am._url(r, ids)
        resp = clients[holders[0]].get(url)
        if resp.status_code == 405 or resp.status_code >= 500:
            failures.append((r.name, url, holders[0], resp.status_code))
        elif _names_an_object(r) and resp.status_code not in (200, 302):
            failures.append((r.name, url, holders[0], resp.status_code, "its page is not shown"))
        shown += resp.status_code == 200
    assert shown > 25
    assert not failures, "\n".join(map(str, failures))


def test_a_get_on_a_writing_address_of_an_object_is_404_to_outsiders(world, matrix, client_for):
    ids, personas, _secrets = matrix
    outsiders = {n: client_for(personas[n]) for n in ("gw_other_grid", "cadre_other_village", "officer_other_county")}
    failures = []
    for r in [r for r in _writing_pages() if _names_an_object(r)]:
        url = am._url(r, ids)
        for name, client in outsiders.items():
            resp = client.get(url)
            if resp.status_code not in (403, 404):
                failures.append((r.name, url, name, resp.status_code))
    assert not failures, "\n".join(map(str, failures))
