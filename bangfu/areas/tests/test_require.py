"""The one access decision (docs/conventions.md, "Access"): outside the actor's areas NotFound (404,
reveals nothing), inside them without the capability Forbidden (403), and `get_or_404` for scoped rows."""

from __future__ import annotations

import pytest

from bangfu.accounts.domain.roles import Cap
from bangfu.areas.selectors import areas_visible, grids_visible, require, require_somewhere
from bangfu.core.errors import Forbidden, NotFound
from bangfu.core.selectors import get_or_404

pytestmark = pytest.mark.django_db


def test_require_allows_refuses_and_hides(world) -> None:
    require(world.county, Cap.CONFIGURE, world.v1a.code)  # county admin: configures the whole county
    require(world.t1, Cap.EDIT_REGISTRY, world.v1a.code)
    require(None, Cap.CONFIGURE, world.v1a.code)  # the system (demo loader, a service that checked)
    with pytest.raises(Forbidden) as refused:  # t1 sees the village but may not configure it
        require(world.t1, Cap.CONFIGURE, world.v1a.code)
    assert "设置规则和参数" in refused.value.zh and refused.value.status == 403  # the right, in words
    with pytest.raises(NotFound):  # t2 does not see township 1 at all
        require(world.t2, Cap.EDIT_REGISTRY, world.v1a.code)
    with pytest.raises(Forbidden) as custom:
        require(world.auditor, Cap.EDIT_REGISTRY, world.v1a.code, zh="只读", en="Read only")
    assert (custom.value.zh, custom.value.en) == ("只读", "Read only")


def test_require_follows_the_grid_for_grid_workers(world) -> None:
    h1 = world.households["h1"]  # in grid G1 of village 1a
    require(world.gw1, Cap.LOG_VISITS, h1.village_id, grid_id=h1.grid_id)
    with pytest.raises(NotFound):  # the neighbouring grid's worker sees nothing of it
        require(world.gw2, Cap.LOG_VISITS, h1.village_id, grid_id=h1.grid_id)
    with pytest.raises(Forbidden):  # gw1 sees the household but may not edit the registry
        require(world.gw1, Cap.EDIT_REGISTRY, h1.village_id, grid_id=h1.grid_id)


def test_seen_decides_who_may_know_the_place_exists(world) -> None:
    """The enterprise user holds market_edit over the county but not view_reports: not an officer."""
    with pytest.raises(NotFound):
        require(world.enterprise, Cap.MARKET_EDIT, world.v1a.code, seen=Cap.VIEW_REPORTS)
    with pytest.raises(Forbidden):
        require(world.auditor, Cap.MARKET_EDIT, world.v1a.code, seen=Cap.VIEW_REPORTS)


def test_require_somewhere_hides_pages_of_a_capability_held_nowhere(world) -> None:
    require_somewhere(world.county, Cap.IMPORT_REGISTRY)
    with pytest.raises(NotFound):
        require_somewhere(world.gw1, Cap.IMPORT_REGISTRY)


def test_get_or_404_finds_only_rows_the_scoped_queryset_holds(world) -> None:
    assert get_or_404(grids_visible(world.gw1), world.g1.pk) == world.g1
    assert get_or_404(areas_visible(world.t1), code=world.v1a.code) == world.v1a
    assert get_or_404(areas_visible(world.t1).filter(code=world.v1b.code)) == world.v1b
    for missing in [
        lambda: get_or_404(grids_visible(world.gw1), world.g2.pk),  # exists, outside the worker's grids
        lambda: get_or_404(grids_visible(world.gw1), 10**9),  # does not exist
        lambda: get_or_404(grids_visible(world.gw1), None),  # no id given
        lambda: get_or_404(areas_visible(world.t2), code=world.v1a.code),
    ]:
        with pytest.raises(NotFound):
            missing()
