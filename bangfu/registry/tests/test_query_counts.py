"""A request costs a fixed number of queries whatever the data size (#18): one household's API GET does
not grow with its members, statements, income items and checks; the list does not grow with the
households on the page. A new N+1 fails here. Counts are compared, never times."""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bangfu.registry import services
from bangfu.testing import member_fields, new_household

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.I)


def _queries(client, url: str) -> list[str]:
    client.get(url)  # the token's first use is recorded once (BANGFU_TOKEN_TOUCH_SECONDS)
    with CaptureQueriesContext(connection) as q:
        r = client.get(url)
    assert r.status_code == 200, r.content
    sql = [x["sql"] for x in q.captured_queries]
    assert not [s for s in sql if WRITE.match(s)], "a GET writes nothing"
    return sql


def test_one_household_costs_the_same_queries_however_much_it_holds(world, api_for) -> None:
    client = api_for(world.county)
    h = world.households["h1"]
    url = f"/api/v1/registry/households/{h.pk}"

    def add(years: tuple[int, ...], items: list[str], checks: tuple[int, ...], members: int) -> None:
        for i in range(members):
            services.member_add(actor=None, household=h, fields=member_fields(f"成员{i}{len(years)}", "之子"))
        for year in years:
            for n, item in enumerate(items):
                services.income_record(
                    household_id=h.pk, year=year, item=item, amount=100 + n, source="t", source_ref=f"q{year}{n}"
                )
        for days in checks:
            services.guarantee_check_record(
                actor=None,
                household=h,
                checked_on=timezone.localdate() - dt.timedelta(days=days),
                housing_safe=True,
                schooling_ok=True,
                medical_ok=True,
                water_safe=True,
            )

    add((2025,), ["wage.local"], (5,), 0)  # one of each kind: the fixed set of queries
    small = _queries(client, url)
    add((2022, 2023, 2024), ["wage.local", "property.dividend", "transfer.insurance_claim"], (10, 40, 70), 6)
    large = _queries(client, url)
    assert len(large) == len(small), "\n".join(large)
    assert len(small) <= 3, "\n".join(small)  # token, household, members (memberships: accounts.selectors.memberships)


def test_the_household_list_costs_the_same_queries_for_a_full_page(world, api_for, client_for) -> None:
    api, page = api_for(world.county), client_for(world.county)
    few_api = _queries(api, "/api/v1/registry/households?per_page=50")
    few_page = _queries(page, "/registry/households/")
    for i in range(40):
        new_household(world.v1a if i % 2 else world.v2a, world.g1 if i % 2 else None, members=3)
    assert len(_queries(api, "/api/v1/registry/households?per_page=50")) == len(few_api)
    assert len(_queries(page, "/registry/households/")) == len(few_page)
