"""A decided warning stays decided: the next screenings of the same bill open nothing; a new bill, a
higher amount, a new income year or the county's re-check period brings it back, saying why."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.utils import timezone

from bangfu.casework import services as casework
from bangfu.monitoring import services
from bangfu.monitoring.domain import recurrence
from bangfu.monitoring.domain.recurrence import Decided, Source, why_back
from bangfu.monitoring.models import Warning
from bangfu.monitoring.tests.helpers import feed_row
from bangfu.monitoring.tests.test_engine_batch import EXTRA
from bangfu.monitoring.tests.test_screening import _random_county
from bangfu.rules import services as rules
from bangfu.rules.domain.defaults import DEFAULT_PARAMS, DEFAULT_RULES

TODAY = timezone.localdate()
D = Decided(7, "dismissed", dt.date(2026, 3, 1), Source(row=40, amount=1_940_000, year=2025))


# --- the rule, pure ---------------------------------------------------------------------------------


def test_same_source_stays_decided_until_the_recheck_period_ends() -> None:
    same = Source(40, 1_940_000, 2025)
    assert why_back(same, D, dt.date(2026, 8, 27), 180) is None  # day 179
    assert why_back(same, D, dt.date(2026, 8, 28), 180) == "再次预警（复查期满180天；前次预警#7于2026-03-01已排除）："
    assert why_back(same, D, dt.date(2030, 1, 1), None) is None  # no period set: only new facts reopen


@pytest.mark.parametrize(
    ("now", "reason"),
    [
        (Source(41, 1_940_000, 2025), "新的部门数据"),
        (Source(40, 2_000_000, 2025), "金额增加"),
        (Source(40, 1_940_000, 2026), "新年度收入"),
    ],
)
def test_material_changes_bring_it_back_at_once(now: Source, reason: str) -> None:
    assert why_back(now, D, dt.date(2026, 3, 2), 180) == f"再次预警（{reason}；前次预警#7于2026-03-01已排除）："


def test_lower_amounts_or_no_decision() -> None:
    assert why_back(Source(40, 100, 2025), D, dt.date(2026, 3, 2), 180) is None  # a bill left the window
    assert why_back(Source(1, 1, None), None, dt.date(2026, 3, 2), 180) == ""  # nothing decided: a new warning


def test_recheck_days_is_a_positive_whole_number_or_nothing() -> None:
    assert recurrence.recheck_days((("recheck_days", Decimal("30")),)) == 30
    assert recurrence.recheck_days((("recheck_days", Decimal("0")),)) is None
    assert recurrence.recheck_days(()) is None


# --- on the database: both screening paths ----------------------------------------------------------


def _rules(world, recheck: str = "180"):
    draft = rules.ruleset_create_draft(actor=None, area_code=world.province.code)
    rules.ruleset_update_draft(
        actor=None,
        ruleset=draft,
        window="rolling_12m",
        params={**DEFAULT_PARAMS, "recheck_days": recheck},
        rules=[*DEFAULT_RULES, *EXTRA],
    )
    rules.ruleset_publish(actor=None, ruleset=draft, effective_from=dt.date(2020, 1, 1))
    rules.monitoring_line_set(actor=None, area_code=world.province.code, year=TODAY.year - 1, amount=Decimal("6000"))
    casework.params_set(
        actor=None, area_code=world.area_county.code, effective_from=dt.date(2020, 1, 1), values=casework.ParamValues()
    )


def _decide(world, w: Warning, event: str = "dismiss") -> None:
    services.warning_transition(actor=world.t1, warning=w, event="assign")
    services.warning_transition(actor=world.gw1, warning=w, event="verify", reason="入户核实")
    services.warning_transition(actor=world.t1, warning=w, event=event, reason="已有助学贷款，暂无返贫风险")


def _screen(world, path: str) -> list[Warning]:
    h = world.households["h1"]
    if path == "batch":
        run = services.screen(area_code=world.area_county.code, as_of=TODAY)
        return list(Warning.objects.filter(household=h, run=run))
    return services.screen_household(household_id=h.pk, as_of=TODAY)


pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["batch", "single"])
@pytest.mark.parametrize("event", ["dismiss", "escalate"])
def test_the_next_screenings_of_the_same_bill_open_nothing(world, path: str, event: str) -> None:
    _rules(world)
    h = world.households["h1"]
    feed_row(h, "school", "19400", TODAY - dt.timedelta(days=30))
    (w,) = services.screen_household(household_id=h.pk, as_of=TODAY)
    assert w.rule_code == "school_cost" and w.source_amount == 1_940_000 and w.source_row > 0
    _decide(world, w, event)
    for _night in range(3):
        assert _screen(world, path) == []
    assert Warning.objects.filter(household=h, rule_code="school_cost").count() == 1


@pytest.mark.parametrize("path", ["batch", "single"])
def test_a_new_bill_brings_it_back_and_says_why(world, path: str) -> None:
    _rules(world)
    h = world.households["h1"]
    feed_row(h, "school", "19400", TODAY - dt.timedelta(days=30))
    (w,) = services.screen_household(household_id=h.pk, as_of=TODAY)
    _decide(world, w)
    feed_row(h, "school", "3000", TODAY - dt.timedelta(days=2))
    (back,) = [x for x in _screen(world, path) if x.rule_code == "school_cost"]
    assert back.explanation.startswith(f"再次预警（新的部门数据；前次预警#{w.pk}于{TODAY.isoformat()}已排除）：")
    assert back.previous_id == w.pk and back.source_amount == 2_240_000
    assert _screen(world, path) == []  # and the new one is now the active one


@pytest.mark.parametrize("path", ["batch", "single"])
def test_the_recheck_period_set_by_the_rules_brings_it_back(world, path: str) -> None:
    _rules(world, recheck="30")
    h = world.households["h1"]
    feed_row(h, "school", "19400", TODAY - dt.timedelta(days=30))
    (w,) = services.screen_household(household_id=h.pk, as_of=TODAY)
    _decide(world, w)
    Warning.objects.filter(pk=w.pk).update(decided_on=TODAY - dt.timedelta(days=29))
    assert _screen(world, path) == []
    decided = TODAY - dt.timedelta(days=30)
    Warning.objects.filter(pk=w.pk).update(decided_on=decided)
    (back,) = _screen(world, path)
    assert back.explanation.startswith(f"再次预警（复查期满30天；前次预警#{w.pk}于{decided.isoformat()}已排除）：")


@pytest.mark.django_db(transaction=True)
def test_batch_equals_single_after_decisions_and_new_bills(world) -> None:
    _rules(world, recheck="60")
    rng = random.Random(7)
    ids = _random_county(world, rng, 25)
    services.screen(area_code=world.area_county.code, as_of=TODAY)
    opened = list(Warning.objects.order_by("pk"))
    assert len(opened) > 10
    for n, w in enumerate(opened):  # decide most of them, some long ago, some on what is now a new bill
        if n % 4 == 3:
            continue
        status = "dismissed" if n % 2 else "escalated"
        Warning.objects.filter(pk=w.pk).update(
            status=status, decided_on=TODAY - dt.timedelta(days=rng.choice([5, 59, 60, 200]))
        )
        if n % 5 == 0:
            h = w.household
            feed_row(h, rng.choice(["medical", "school", "disaster"]), str(rng.randint(1, 20000)), TODAY)
    services.screen(area_code=world.area_county.code, as_of=TODAY)
    batch = {
        (w.household_id, w.rule_code, w.explanation, w.source_row, w.source_amount, w.source_year, w.previous_id)
        for w in Warning.objects.filter(pk__gt=opened[-1].pk)
    }
    assert batch and any(e.startswith("再次预警") for _, _, e, *_ in batch)
    Warning.objects.filter(pk__gt=opened[-1].pk).delete()
    for hid in sorted(set(ids) | {h.pk for h in world.households.values()}):
        services.screen_household(household_id=hid, as_of=TODAY)
    single = {
        (w.household_id, w.rule_code, w.explanation, w.source_row, w.source_amount, w.source_year, w.previous_id)
        for w in Warning.objects.filter(pk__gt=opened[-1].pk)
    }
    assert single == batch


def test_the_warning_page_links_the_decided_one_it_came_back_from(world, client_for) -> None:
    _rules(world)
    h = world.households["h1"]
    feed_row(h, "school", "19400", TODAY - dt.timedelta(days=30))
    (w,) = services.screen_household(household_id=h.pk, as_of=TODAY)
    _decide(world, w)
    feed_row(h, "school", "3000", TODAY)
    (back,) = services.screen_household(household_id=h.pk, as_of=TODAY)
    page = client_for(world.t1).get(f"/monitoring/warnings/{back.pk}/").content.decode()
    assert f'href="/monitoring/warnings/{w.pk}/">#{w.pk}</a>' in page and "再次预警（新的部门数据" in page
    assert client_for(world.t2).get(f"/monitoring/warnings/{back.pk}/").status_code == 404
