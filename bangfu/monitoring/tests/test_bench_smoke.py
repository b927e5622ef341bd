"""The benchmark's generator and the screening on 2,000 synthetic households (not a timing test).

It also checks the engine against the benchmark's hand-written SQL: the same hits on the same data.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from django.db import connection

from bangfu.monitoring import services
from bangfu.monitoring.models import Warning

BENCH = Path(__file__).resolve().parents[3] / "bench" / "screening"
AS_OF = dt.date(2025, 6, 30)


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_screening_{name}", BENCH / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db
def test_generator_and_screening_agree_with_handwritten_sql() -> None:
    gen, run = _load("generate"), _load("run")
    counts = gen.generate(2000, AS_OF, say=lambda _m: None)
    gen.seed_rules(AS_OF)
    assert counts["households"] == 2000 and 6000 < counts["members"] < 8000 and counts["feed_rows"] == 3000
    result = services.screen(area_code="", as_of=AS_OF, trigger="bench")
    with connection.cursor() as cur:
        cur.execute(run._baseline_sql(AS_OF.year - 1, dt.date(2024, 7, 1)))
        expected = {
            (r[0], code)
            for r in cur.fetchall()
            for code, flag in zip(
                ["income_below_line", "medical_cost", "school_cost", "disaster_loss", "income_drop"], r[1:], strict=True
            )
            if flag
        }
    assert result.households == 2000 and result.new_warnings == len(expected) > 50
    assert set(Warning.objects.values_list("household_id", "rule_code")) == expected
