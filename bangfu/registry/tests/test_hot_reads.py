"""The household API's hand-written reads (registry.selectors.household_with_members, core/rows.py)
answer exactly what the querysets they replace would, field by field, on SQLite and PostgreSQL, and
reveal nothing outside the reader's areas."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.models import Model

from bangfu.areas import services as areas
from bangfu.core.errors import NotFound
from bangfu.registry import selectors
from bangfu.registry.models import Household, Member, ResettlementSite
from bangfu.testing import new_household


def _fields(obj: Model | None) -> dict[str, Any] | None:
    if obj is None:
        return None
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _same_as_the_querysets(user, pk: int) -> None:
    h, members = selectors.household_with_members(user, pk)
    ref = selectors.household_get(user, pk)
    ref_members = list(Member.objects.filter(household=ref).order_by("-active", "pk"))
    assert _fields(h) == _fields(ref)
    for name in ("village", "group", "grid", "relocation_site"):
        assert _fields(getattr(h, name)) == _fields(getattr(ref, name)), name
    assert [_fields(m) for m in members] == [_fields(m) for m in ref_members]
    assert all(m.household is h for m in members)


def test_a_household_with_everything_set_reads_as_the_queryset_reads_it(world, django_assert_num_queries) -> None:
    group = areas.area_create(code="511133100201001", name="一组", parent_code=world.v1a.code)
    site = ResettlementSite.objects.create(name="团结安置点", area_id=world.v1a.code, completed_year=2019)
    h = new_household(world.v1a, world.g1, members=4)
    Household.objects.filter(pk=h.pk).update(
        group_id=group.code,
        relocation_site=site,
        relocated=True,
        relocated_on=dt.date(2019, 5, 1),
        monitoring_since=dt.date(2024, 3, 2),
        risk_codes=["illness", "accident"],
        dibao=True,
    )
    Member.objects.filter(pk=Member.objects.filter(household=h).order_by("pk")[0].pk).update(active=False)
    with django_assert_num_queries(2):  # the one read, and the reader's memberships (cached after)
        selectors.household_with_members(world.county, h.pk)
    _same_as_the_querysets(world.county, h.pk)
    _same_as_the_querysets(world.users["gw1"], h.pk)  # through the grid, not an area


def test_a_household_without_members_reads_as_the_queryset_reads_it(world) -> None:
    h = new_household(world.v1b, None, members=1)
    Member.objects.filter(household=h).delete()  # a household whose people were all moved elsewhere
    _same_as_the_querysets(world.county, h.pk)
    assert selectors.household_with_members(world.county, h.pk)[1] == []


@pytest.mark.parametrize("name", ["h1", "h2", "h3"])
def test_the_world_households_read_as_the_querysets_read_them(world, name) -> None:
    _same_as_the_querysets(world.county, world.households[name].pk)


def test_outside_the_readers_areas_and_grids_a_household_is_not_found(world) -> None:
    h3 = world.households["h3"]  # 民主村, grid G3
    for who in ("t1", "v1", "gw1", "gw2"):
        with pytest.raises(NotFound):
            selectors.household_with_members(world.users[who], h3.pk)
    with pytest.raises(NotFound):
        selectors.household_with_members(world.county, 10**9)
    selectors.household_with_members(world.users["gw3"], h3.pk)
    selectors.household_with_members(world.users["t2"], h3.pk)
