"""A warning stores no sentence (schema decision of issue #18): the sentence read back from a stored
warning is the one `explain` gave at screening time, written by screening's own write (COPY on
PostgreSQL, INSERT … SELECT on SQLite) and read with a page's query or alone, on random facts."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bangfu.monitoring import engine, selectors
from bangfu.monitoring.models import ScreeningRun, Warning
from bangfu.rules import services as rules
from bangfu.rules.domain.defaults import DEFAULT_PARAMS, DEFAULT_RULES
from bangfu.rules.domain.evaluate import Hit, evaluate
from bangfu.rules.domain.facts import COLUMNS, HouseholdFacts
from bangfu.rules.tests.test_sentence_of import COUNTS, EXTRA, RS, value

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def published(world: Any) -> tuple[Any, ScreeningRun]:
    draft = rules.ruleset_create_draft(actor=None, area_code=world.province.code)
    params = {**DEFAULT_PARAMS, "deaths_limit": "0"}
    rules.ruleset_update_draft(actor=None, ruleset=draft, window="rolling_12m", params=params,
                               rules=[*DEFAULT_RULES, *EXTRA])  # fmt: skip
    rs = rules.ruleset_publish(actor=None, ruleset=draft, effective_from=dt.date(2020, 1, 1))
    return rs, ScreeningRun.objects.create(area_code="", as_of=TODAY, trigger="test", started=timezone.now())


def _rows(hits: list[Hit], rs: Any, household: Any) -> pa.Table:
    """The hits as screening's warning rows (engine.NEW_COLUMNS), facts and thresholds as `explain` gave them."""
    rows = [
        (household.pk, household.village_id, household.grid_id, h.rule_code, h.rule_code, "其他", rs.pk, rs.version,
         json.dumps(dict(h.facts)), json.dumps(dict(h.thresholds)), 0, 0, None, None)
        for h in hits
    ]  # fmt: skip
    columns = list(zip(*rows, strict=True))
    return pa.table([pa.array(c, t) for c, t in zip(columns, engine.NEW_SCHEMA.types, strict=True)], engine.NEW_SCHEMA)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(money=st.fixed_dictionaries({c: value for c in COLUMNS if c not in COUNTS}),
       counts=st.fixed_dictionaries({c: st.integers(0, 3) for c in COUNTS}))  # fmt: skip
def test_the_sentence_read_back_is_the_one_explain_gave(world, published, money, counts) -> None:
    rs, run = published
    values = {c: None if v is None else Decimal(v).scaleb(-2) for c, v in money.items()} | counts
    hits = evaluate(RS, HouseholdFacts.of(1, **values))
    if not hits:
        return
    Warning.objects.all().delete()
    with transaction.atomic():
        engine.insert_warnings(_rows(hits, rs, world.households["h1"]), run.pk, TODAY, timezone.now())
    said = {h.rule_code: h.explanation for h in hits}
    assert {w.rule_code: w.explanation for w in selectors.with_sentence(Warning.objects.all())} == said
    assert {w.rule_code: w.explanation for w in Warning.objects.all()} == said  # read alone: asked for


def _queries(run: Any) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run()  # the first request of a session asks a few things once
    with CaptureQueriesContext(connection) as q:
        run()
    return len(q)


def test_a_page_of_warnings_makes_its_sentences_without_a_query_each(world, client_for, api_for) -> None:
    """The rule's conditions and the decided warning a warning came back after are read with the page:
    the list page, the API and the tasks page ask as many queries for one warning as for three."""
    from bangfu.monitoring import services
    from bangfu.monitoring.tests.helpers import feed_row, rules_in_force
    from bangfu.monitoring.tests.test_recurrence import _decide

    rules_in_force(world)
    from bangfu.casework import services as casework

    casework.params_set(actor=None, area_code=world.area_county.code, effective_from=dt.date(2020, 1, 1),
                        values=casework.ParamValues())  # fmt: skip
    h1 = world.households["h1"]
    feed_row(h1, "disaster", "25000", TODAY)
    (first,) = services.screen_household(household_id=h1.pk, as_of=TODAY)
    page, api = client_for(world.county), api_for(world.county)
    pages = {
        "list": lambda: page.get("/monitoring/"),
        "api": lambda: api.get("/api/v1/monitoring/warnings"),
        "tasks": lambda: page.get("/tasks/"),
    }
    one = {name: _queries(page) for name, page in pages.items()}
    _decide(world, first)
    feed_row(h1, "disaster", "3000", TODAY)  # a new bill: the warning comes back, saying why
    for key, loss in (("h1", None), ("h2", "40000"), ("h3", "30000")):
        if loss:
            feed_row(world.households[key], "disaster", loss, TODAY)
        services.screen_household(household_id=world.households[key].pk, as_of=TODAY)
    body = page.get("/monitoring/").content.decode()
    assert body.count("高于阈值") == 3 and f"再次预警（新的部门数据；前次预警#{first.pk}" in body
    assert {name: _queries(page) for name, page in pages.items()} == one


def test_the_api_and_the_english_page_say_what_they_said(world, warning, api_for) -> None:
    """The API's `explanation` is still the Chinese sentence, in the list and alone; the English sentence
    is still made from the facts beside their thresholds."""
    from django.utils import translation

    said = "灾害损失 25,000 元，高于阈值 10,000 元"
    api = api_for(world.t1)
    assert api.get(f"/api/v1/monitoring/warnings/{warning.pk}").json()["explanation"] == said
    assert [w["explanation"] for w in api.get("/api/v1/monitoring/warnings").json()] == [said]
    with translation.override("en"):
        english = Warning.objects.get(pk=warning.pk).sentence
    assert english == "Disaster loss 25,000 yuan (threshold 10,000 yuan)"
