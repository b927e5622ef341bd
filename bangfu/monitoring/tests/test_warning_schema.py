"""The warnings table keeps only the indexes its queries use (issue #18: screening's first run on
PostgreSQL spent about 2 s of its write maintaining eleven indexes and 2 s checking deferred foreign
keys). Each index left is named with the queries that need it; the list's filters keep theirs."""

from __future__ import annotations

import pytest
from django.db import connection

from bangfu.monitoring.models import Warning

pytestmark = pytest.mark.django_db

# columns of each index kept, and who reads through it
KEPT = {
    ("id",): "the primary key",
    ("household_id", "rule_code"): "uniq_active_warning: one active warning per rule (screening's anti-join)",
    ("village_code", "status"): "the list within the user's areas (a code range, then the status), area counts",
    ("grid_id",): "a grid worker's warnings (grid ids), the list's grid filter",
    ("household_id",): "a household's warnings (its page, moves, decided warnings), the delivery filter",
}


def _indexes() -> dict[tuple[str, ...], str]:
    with connection.cursor() as cur:
        found = connection.introspection.get_constraints(cur, Warning._meta.db_table)
    return {tuple(c["columns"]): name for name, c in found.items() if c["index"] or c["primary_key"] or c["unique"]}


def test_the_warnings_table_keeps_only_the_indexes_its_queries_use():
    assert set(_indexes()) == set(KEPT)


def test_no_database_foreign_key_is_checked_on_a_warning_insert():
    """run, ruleset, household and previous are Django relations without a database constraint
    (db_constraint=False): screening writes ids it has just read or created in the same transaction;
    households, published rule sets and warnings are never deleted (no service does; PROTECT and
    SET_NULL still hold in Django), so the per-row check at commit (and its row lock on the household)
    bought nothing. Only the assigned user keeps its constraint (NULL when written: no check)."""
    with connection.cursor() as cur:
        found = connection.introspection.get_constraints(cur, Warning._meta.db_table)
    targets = {c["foreign_key"][0] for c in found.values() if c["foreign_key"]}
    assert targets == {"accounts_user"}


# A rule whose facts jsonb would list the other way round (it orders keys shortest first).
INCOME_AND_LOSS = {
    "code": "poor_after_loss",
    "zh": "灾后收入低于监测线",
    "en": "income below the line after a disaster loss",
    "risk": "因灾",
    "when": {
        "all": [
            {"fact": "per_capita_income", "op": "<", "ref": "monitoring_line"},
            {"fact": "disaster_loss", "op": ">", "value": "1000"},
        ]
    },
}


@pytest.mark.parametrize("path", ["batch", "single"])
def test_facts_keep_the_rules_order_in_both_languages(world, path) -> None:
    """facts and thresholds are JSON text (schema decision of issue #18): read back in the order the
    rule names them, so the English sentence lists the facts in the order of the Chinese one. As jsonb
    on PostgreSQL they came back shortest key first (disaster_loss before per_capita_income)."""
    import datetime as dt

    from django.utils import timezone, translation

    from bangfu.monitoring import services
    from bangfu.monitoring.tests.helpers import feed_row, rules_in_force
    from bangfu.registry import services as registry

    rules_in_force(world, extra=[INCOME_AND_LOSS])
    today = timezone.localdate()
    h = world.households["h1"]
    registry.income_record(household_id=h.pk, year=today.year - 1, item="wage.local", amount="15360", source="test")
    feed_row(h, "disaster", "2000", today - dt.timedelta(days=3))
    if path == "batch":
        services.screen(area_code=world.area_county.code, as_of=today)
    else:
        services.screen_household(household_id=h.pk, as_of=today)
    w = Warning.objects.get(household=h, rule_code="poor_after_loss")
    assert list(w.facts) == list(w.thresholds) == ["per_capita_income", "disaster_loss"]
    assert w.explanation.index("收入") < w.explanation.index("灾害")
    with translation.override("en"):
        english = w.sentence
    assert english.lower().index("income") < english.lower().index("disaster")


BEFORE = [("monitoring", "0006_warning_indexes_used")]
AFTER = [("monitoring", "0007_warning_facts_as_text")]
FACTS = {"per_capita_income": "5120.00", "disaster_loss": "2000.00"}
LIMITS = {"per_capita_income": "6000.00", "disaster_loss": "1000"}


def _migrate(target: list[tuple[str, str]]) -> object:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_facts_and_thresholds_survive_the_move_to_text() -> None:
    """0007 turns the two JSON columns into text and back without losing a warning's facts."""
    import datetime as dt

    from django.db.migrations.executor import MigrationExecutor

    old = _migrate(BEFORE)
    try:
        model = old.get_model("monitoring", "Warning")  # type: ignore[attr-defined]
        model.objects.create(household_id=1, village_code="450101001001", rule_code="r", rule_name="规则",
                             risk="收入", ruleset_id=1, ruleset_version=1, facts=FACTS, thresholds=LIMITS,
                             explanation="说明", as_of=dt.date(2025, 6, 30))  # fmt: skip
        model.objects.create(household_id=2, village_code="450101001001", rule_code="r", rule_name="规则",
                             risk="收入", ruleset_id=1, ruleset_version=1, explanation="无",
                             as_of=dt.date(2025, 6, 30))  # fmt: skip
        new = _migrate(AFTER)
        rows = list(new.get_model("monitoring", "Warning").objects.order_by("pk").values_list("facts", "thresholds"))  # type: ignore[attr-defined]
        assert rows == [(FACTS, LIMITS), ({}, {})]
        back = _migrate(BEFORE)
        rows = list(back.get_model("monitoring", "Warning").objects.order_by("pk").values_list("facts", "thresholds"))  # type: ignore[attr-defined]
        assert rows == [(FACTS, LIMITS), ({}, {})]
    finally:
        model = _migrate(AFTER).get_model("monitoring", "Warning")  # type: ignore[attr-defined]
        model.objects.all().delete()
        _migrate([("monitoring", MigrationExecutor(connection).loader.graph.leaf_nodes("monitoring")[0][1])])


SENTENCE_STORED = [("monitoring", "0007_warning_facts_as_text")]
SENTENCE_ON_READ = [("monitoring", "0008_warning_sentence_on_read")]
SCHOOL = "教育支出（扣除资助） {} 元，高于阈值 8,000 元"


@pytest.mark.django_db(transaction=True)
def test_sentences_survive_the_move_to_made_on_read(world) -> None:
    """0008 drops the stored sentence: read back, every warning says what it said (one that came back
    after a dismissed one with its reason first); migrated back, the column holds the same text again."""
    import datetime as dt

    from django.db.migrations.executor import MigrationExecutor

    from bangfu.monitoring.tests.helpers import rules_in_force

    rs = rules_in_force(world)
    old = _migrate(SENTENCE_STORED).get_model("monitoring", "Warning")  # type: ignore[attr-defined]
    try:
        common = {"household_id": world.households["h1"].pk, "village_code": "450101001001", "rule_code": "school_cost",
                  "rule_name": "教育支出过高", "risk": "因学", "ruleset_id": rs.pk, "ruleset_version": rs.version,
                  "thresholds": {"school_costs": "8000"}, "as_of": dt.date(2025, 6, 30)}  # fmt: skip
        first = old.objects.create(**common, facts={"school_costs": "19400.00"}, explanation=SCHOOL.format("19,400"),
                                   status="dismissed", decided_on=dt.date(2025, 7, 2), source_row=40)  # fmt: skip
        again = f"再次预警（新的部门数据；前次预警#{first.pk}于2025-07-02已排除）：" + SCHOOL.format("22,400")
        old.objects.create(**common, facts={"school_costs": "22400.00"}, explanation=again, previous_id=first.pk,
                           source_row=41)  # fmt: skip
        older = "教育支出19400元,高于8000元"  # worded as an older release wrote it: kept as it was
        old.objects.create(**common, facts={"school_costs": "19400.00"}, explanation=older, status="dismissed")
        said = [SCHOOL.format("19,400"), again, older]
        _migrate(SENTENCE_ON_READ)
        assert [w.explanation for w in Warning.objects.order_by("pk")] == said
        kept = list(Warning.objects.order_by("pk").values_list("sentence_kept", flat=True))
        assert kept == [None, None, older]  # only the sentence made on read would not repeat
        back = _migrate(SENTENCE_STORED).get_model("monitoring", "Warning")  # type: ignore[attr-defined]
        assert list(back.objects.order_by("pk").values_list("explanation", flat=True)) == said
    finally:
        _migrate(SENTENCE_STORED).get_model("monitoring", "Warning").objects.all().delete()  # type: ignore[attr-defined]
        _migrate([("monitoring", MigrationExecutor(connection).loader.graph.leaf_nodes("monitoring")[0][1])])
