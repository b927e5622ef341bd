"""core.bulkwrite: set-wise inserts from model metadata, history copies, chunked look-ups."""

from __future__ import annotations

import datetime as dt
import gc

import pytest
from django.utils import timezone

from bangfu.core import bulkwrite
from bangfu.registry.models import Household

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 30, 9, 30, tzinfo=dt.UTC)


def test_paused_gc_restores_the_collector_even_on_error_and_leaves_it_off_if_it_was():
    with pytest.raises(RuntimeError), bulkwrite.paused_gc():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with bulkwrite.paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_insert_fills_columns_not_given_with_model_defaults_and_the_time(world):
    given = ("number", "village_id", "head_name", "size")
    count = bulkwrite.Insert(Household, given, now=NOW).execute(
        (f"51113310020100{i}", world.v1a.code, f"户主{i}", 3) for i in range(3)
    )
    assert count == 3
    h = Household.objects.get(number="511133100201001")
    assert (h.head_name, h.size, h.status, h.risk_codes, h.dibao, h.grid_id) == ("户主1", 3, "正常", [], False, None)
    assert h.created == NOW and h.updated == NOW


def test_insert_refuses_a_column_the_model_does_not_have():
    with pytest.raises(ValueError, match="no columns"):
        bulkwrite.Insert(Household, ("number", "nonsense"), now=NOW)


def test_history_copy_shows_what_was_stored_with_user_and_reason(world):
    bulkwrite.Insert(Household, ("number", "village_id", "head_name"), now=NOW).execute(
        [("511133100201011", world.v1a.code, "甲"), ("511133100201012", world.v1a.code, "乙")]
    )
    ids = list(Household.objects.filter(number__startswith="51113310020101").values_list("id", flat=True))
    bulkwrite.history_copy(Household, where="id", ids=ids, now=NOW, actor_id=world.t1.pk, reason="导入 #1")
    rows = Household.history.filter(id__in=ids).order_by("number")
    assert [(r.head_name, r.history_type, r.history_user_id, r.history_change_reason) for r in rows] == [
        ("甲", "+", world.t1.pk, "导入 #1"),
        ("乙", "+", world.t1.pk, "导入 #1"),
    ]
    assert rows[0].history_date == NOW


def test_lookup_answers_across_chunks_and_ignores_unknown_values(world):
    numbers = [f"5111331002{i:05d}" for i in range(bulkwrite.IN_CHUNK + 5)]
    bulkwrite.Insert(Household, ("number", "village_id"), now=timezone.now()).execute(
        (n, world.v1a.code) for n in numbers
    )
    found = dict(bulkwrite.lookup(Household, "number", "id", [*numbers, "0"]))
    assert set(found) == set(numbers)


def test_insert_into_a_table_with_one_column_besides_its_id():
    from django.contrib.auth.models import Group

    assert bulkwrite.Insert(Group, ("name",), now=NOW).execute([("网格员",), ("审核员",)]) == 2
    assert set(Group.objects.values_list("name", flat=True)) >= {"网格员", "审核员"}
