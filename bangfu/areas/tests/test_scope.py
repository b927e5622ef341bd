import pytest

from bangfu.accounts.domain.roles import Cap
from bangfu.areas.selectors import scope_for
from bangfu.registry.selectors import households_visible


@pytest.mark.django_db
def test_each_role_sees_its_own_households(world):
    h1, h2, h3 = (world.households[k] for k in ("h1", "h2", "h3"))
    assert set(households_visible(world.county)) == {h1, h2, h3}
    assert set(households_visible(world.t1)) == {h1, h2}
    assert set(households_visible(world.t2)) == {h3}
    assert set(households_visible(world.v1)) == {h1, h2}
    assert set(households_visible(world.gw1)) == {h1}
    assert set(households_visible(world.gw2)) == {h2}
    assert set(households_visible(world.dept)) == set()
    assert set(households_visible(world.insurer)) == set()


@pytest.mark.django_db
def test_scope_covers_codes(world):
    s = scope_for(world.t1)
    assert s.covers_code(world.v1a.code) and not s.covers_code(world.v2a.code)
    assert not scope_for(world.gw1, Cap.EDIT_REGISTRY).covers_code(world.v1a.code)
