"""Workshop revenue per year: the upgrade check reads the last full calendar year's record."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from bangfu.core import inputs
from bangfu.core.errors import NotFound, ValidationFailed
from bangfu.employment import selectors, services
from bangfu.employment.models import WorkshopRevenue
from bangfu.employment.tests.conftest import Story

pytestmark = pytest.mark.django_db


def _revenue_check(story: Story, on: dt.date) -> Any:
    checks = selectors.workshop_checks(story.workshop, on)
    return next(c for c in checks.upgrade if c.code == "revenue")


def test_upgrade_reads_the_last_full_year_only(story: Story) -> None:
    w, t1 = story.workshop, story.world.t1
    last = timezone.localdate().year - 1
    services.workshop_revenue_set(actor=t1, workshop=w, year=last - 1, amount=Decimal("800000"))
    on = timezone.localdate()
    check = _revenue_check(story, on)
    assert check.actual == "0.00" and not check.ok and str(last) in check.zh
    services.workshop_revenue_set(actor=t1, workshop=w, year=last, amount=Decimal("499999.99"))
    assert not _revenue_check(story, on).ok
    services.workshop_revenue_set(actor=t1, workshop=w, year=last, amount=Decimal("500000"), note="审计报告")
    check = _revenue_check(story, on)
    assert check.ok and check.actual == "500000.00"
    assert WorkshopRevenue.objects.filter(workshop=w).count() == 2  # re-entering a year corrects it
    # A year later the same record is two years old and no longer counts.
    assert not _revenue_check(story, dt.date(on.year + 1, 3, 1)).ok


def test_an_unfinished_year_or_an_outsider_writes_nothing(story: Story) -> None:
    w = story.workshop
    with pytest.raises(ValidationFailed) as exc:
        services.workshop_revenue_set(
            actor=story.world.t1, workshop=w, year=timezone.localdate().year, amount=Decimal("1")
        )
    assert exc.value.problems[0].field == "year"
    for outsider in (story.world.t2, story.world.gw2, story.enterprise):
        with pytest.raises(NotFound):
            services.workshop_revenue_set(actor=outsider, workshop=w, year=2020, amount=Decimal("1"))
    assert not WorkshopRevenue.objects.filter(workshop=w).exists()


def test_revenue_amount_must_be_a_number(story: Story, api_for: Any) -> None:
    """The amount is parsed where it comes in (core.inputs); the service takes a Decimal."""
    with pytest.raises(ValidationFailed) as exc:
        inputs.money("五十万", "amount")
    assert "请填写数字" in exc.value.problems[0].zh
    url = f"/api/v1/employment/workshops/{story.workshop.pk}/revenues/2020"
    r = api_for(story.world.t1).put(url, json.dumps({"amount": "五十万"}), content_type="application/json")
    assert r.status_code == 422 and "请填写数字" in r.json()["errors"][0]["message"]
    assert selectors.workshop_get(story.world.t1, story.workshop.pk).revenues.count() == 0
    assert Decimal("0") == selectors.last_full_year_revenue(story.workshop.pk, dt.date(2021, 6, 1))


def test_revenue_and_workshop_patch_through_the_api(story: Story, api_for: Any) -> None:
    w, base = story.workshop, f"/api/v1/employment/workshops/{story.workshop.pk}"
    last = timezone.localdate().year - 1
    body = json.dumps({"amount": "600000", "note": "报表"})
    patch = json.dumps({"site_distance": "步行3分钟", "insurance_per_worker_month": "18"})
    for outsider in (story.world.t2, story.world.gw2, story.enterprise):
        client = api_for(outsider)
        assert client.put(f"{base}/revenues/{last}", body, content_type="application/json").status_code in (403, 404)
        assert client.patch(base, patch, content_type="application/json").status_code in (403, 404)
    assert not WorkshopRevenue.objects.exists()
    assert selectors.workshop_get(story.world.t1, w.pk).site_distance == "步行5分钟"
    t1 = api_for(story.world.t1)
    assert t1.put(f"{base}/revenues/{last}", body, content_type="application/json").json()["amount"] == "600000.00"
    changed = t1.patch(base, patch, content_type="application/json").json()
    assert changed["insurance_per_worker_month"] == "18.00" and changed["site"] == story.site.pk  # the rest kept
    detail = t1.get(base).json()
    assert detail["revenues"] == [{"year": last, "amount": "600000.00", "note": "报表"}]
    assert next(c for c in detail["upgrade"] if c["code"] == "revenue")["ok"]
