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
    ("status", "village_code"): "the list's default filter (active) within the user's areas, by-township counts",
    ("village_code",): "the list in every status within the user's areas (a code range), village counts",
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
