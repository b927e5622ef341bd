"""The dashboard and the household list cost a small, fixed number of queries (#18): the same at the
county and at a village four levels down (the breadcrumbs' chain is one query), with figures or
without, and no membership query once the user's access is cached. Counts are compared, never times."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bangfu.analytics import services

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> list[str]:
    client.get(url)
    with CaptureQueriesContext(connection) as q:
        r = client.get(url)
    assert r.status_code == 200
    return [x["sql"] for x in q.captured_queries]


def test_the_dashboard_costs_the_same_at_every_level(world, client_for) -> None:
    page = client_for(world.county)
    bare = _queries(page, "/")
    assert len(bare) <= 4, "\n".join(bare)  # session, user, the area with its ancestors, latest run
    assert not [s for s in bare if "accounts_membership" in s]
    services.indicators_refresh(as_of=timezone.localdate() - dt.timedelta(days=1))
    county = _queries(page, "/")
    village = _queries(page, f"/?area={world.v1a.code}")
    assert len(village) == len(county), "\n".join(village)


def test_the_household_list_costs_six_queries(world, client_for) -> None:
    sql = _queries(client_for(world.county), "/registry/households/")
    # session, user, the village and grid selects, the count, the page of rows
    assert len(sql) <= 6, "\n".join(sql)
