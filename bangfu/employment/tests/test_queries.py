"""List pages read with a fixed number of queries: the same count with few rows and with many."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bangfu.employment import inputs, services
from bangfu.employment.tests.conftest import Story, hire, household
from bangfu.registry import selectors as registry
from bangfu.registry import services as reg

pytestmark = pytest.mark.django_db


def queries(client: Any, url: str, **params: Any) -> int:
    client.get(url, params)  # warm caches that are not per-row (content types, session)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


def grow(story: Story, n: int) -> None:
    """n more relocated households of 黎明村 at the site, each with a worker, a payslip and a course."""
    world = story.world
    site2 = reg.site_create(
        actor=None, area_code=world.v1a.code, name=f"第{n}安置点", kind="urban", planned_households=10
    )
    course = services.course_create(
        actor=world.t1,
        course=inputs.course_input(
            {"workshop": story.workshop.pk, "provider": "职校", "place": "湖州", "province": "浙江"}
            | {"skill": "缝纫工", "start": "2024-08-01", "end": "2024-08-10", "hours": 40, "order_based": True}
        ),
    )
    for i in range(n):
        name = "新户" + "甲乙丙丁戊己庚辛壬癸"[i] + "一二三四五六七八九"[n - 1]
        h = household(world.v1b, name, dt.date(1990, 1, 1), spouse=name + "妻", poverty_exited=True, exit_year=2019)
        reg.household_set_relocation(household=h, site=story.site if i % 2 else site2, moved_on=dt.date(2020, 1, 1))
        member = registry.members_of(world.county, h.pk)[0]
        c = hire(world.t1, story, member)
        services.payslip_record(
            actor=world.t1, contract=c, month=dt.date(2025, 1, 1), scheduled_days=26, days_worked=20
        )
        services.trainee_add(actor=world.t1, course=course, member_id=member.pk)
    services.funding_add(actor=world.t1, workshop=story.workshop, kind="county", amount=Decimal("1000"), year=2024)
    services.workshop_create(
        actor=world.t1,
        workshop=inputs.workshop_input(
            {"name": f"车间{n}", "kind": "home", "village": world.v1a.code, "started_on": "2024-01-01"}
            | {"operator_name": "马边针纺", "operator_credit_code": "91511133MA62XXXX0N", "site": site2.pk}
        ),
    )


def test_list_pages_have_a_fixed_query_count(story: Story, client_for: Any) -> None:
    t1, ent = client_for(story.world.t1), client_for(story.enterprise)
    hire(story.world.t1, story, registry.members_of(story.world.county, story.a.pk)[0])
    pages = [
        (t1, reverse("employment:index"), {}),
        (t1, reverse("employment:site_detail", args=[story.site.pk]), {}),
        (t1, reverse("employment:workshop_detail", args=[story.workshop.pk]), {"month": "2025-01"}),
        (ent, reverse("employment:workshop_detail", args=[story.workshop.pk]), {"month": "2025-01"}),
        (ent, reverse("employment:index"), {}),
        (t1, reverse("employment:course_list"), {}),
    ]
    grow(story, 1)  # one row of each kind, so that no prefetch is skipped for an empty list
    few = [queries(client, url, **params) for client, url, params in pages]
    grow(story, 4)
    grow(story, 9)
    many = [queries(client, url, **params) for client, url, params in pages]
    assert many == few
    html = t1.get(reverse("employment:index")).content.decode()
    assert "第9安置点" in html and "车间9" in html  # the added rows are on the pages measured
