"""The demo step on a small county built with the test helpers (story B's tuition bill)."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from bangfu.accounts import services as accounts
from bangfu.accounts.domain.roles import Role
from bangfu.demo.context import DemoContext
from bangfu.monitoring import demo
from bangfu.monitoring.models import FeedBatch, Warning
from bangfu.registry import services as registry
from bangfu.testing import member_fields

pytestmark = pytest.mark.django_db


def test_story_b_tuition_raises_school_cost_warning(world) -> None:
    today = timezone.localdate()
    b = registry.household_create(
        actor=None,
        village_code=world.v1a.code,
        grid_id=world.g1.pk,
        fields={"number": "5111331000000999", "poverty_exited": True, "exit_year": 2018},
        members=[
            member_fields("颜世龙", "户主"),
            member_fields("王淑芬", "配偶"),
            member_fields("颜丽娜", "之女", birth_date=dt.date(2006, 3, 1)),
            member_fields("颜丽雪", "之女", birth_date=dt.date(2009, 5, 1)),
        ],
    )
    for year in (today.year - 1, today.year - 2):
        registry.income_record(household_id=b.pk, year=year, item="wage.welfare_post", amount="26800", source="t")
    edu = accounts.user_create(username="gannan_edu", password="test-pass-123")
    accounts.membership_grant(user=edu, role=Role.DEPT_OFFICER, area_code=world.area_county.code, organisation="教育")
    med = accounts.user_create(username="gannan_med", password="test-pass-123")
    accounts.membership_grant(user=med, role=Role.DEPT_OFFICER, area_code=world.area_county.code, organisation="医保")
    ctx = DemoContext(
        today=today,
        rng=random.Random(7),
        areas={"gannan": world.area_county},
        households={"B": b},
        users={"gannan_edu": edu, "gannan_med": med, "gannan_admin": world.county, "zhoujingcai": world.gw1},
    )
    demo.load(ctx)
    w = Warning.objects.get(household=b)
    assert w.rule_code == "school_cost" and w.status == "verified" and w.assigned_to == world.gw1
    assert w.explanation == "教育支出（扣除资助） 19,400 元，高于阈值 8,000 元"
    assert FeedBatch.objects.filter(kind="school", department="教育").count() == 1
