"""The demo step fills the cache so the demo county's dashboards open with figures."""

from __future__ import annotations

import random

import pytest
from django.utils import timezone

from bangfu.analytics import demo
from bangfu.analytics.models import IndicatorRun, IndicatorValue
from bangfu.demo.context import DemoContext

pytestmark = pytest.mark.django_db


def test_demo_load_computes_the_county(county, client_for):
    ctx = DemoContext(today=timezone.localdate(), rng=random.Random(1))
    demo.load(ctx)
    assert IndicatorRun.objects.get().trigger == "demo"
    assert IndicatorValue.objects.filter(unit=county.area_county.code, key="households").get().value == 4
    assert ctx.logins == []
    assert 'data-key="monitored"><b>3</b>' in client_for(county.county).get("/").content.decode()
