"""A feed fact is declared once (`rules.domain.facts.FeedMeasure`); its two readings agree: `value` over
rows in Python (the single-household path) and `sql` as a DuckDB aggregate (the batch engine)."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from bangfu.monitoring.domain import recurrence
from bangfu.rules.domain.evaluate import fmt
from bangfu.rules.domain.facts import FACTS, FEED_FACTS

KINDS = sorted({m.kind for m in FEED_FACTS.values()} | {"disability"})
EVENTS = ["", "失业", "再就业", "低保终止", "特困终止", "终止审核", "死亡"]
rows = st.lists(
    st.tuples(st.sampled_from(KINDS), st.sampled_from(EVENTS), st.integers(0, 10**9)), max_size=30
)  # amounts in fen


@given(rows)
def test_the_sql_aggregate_and_the_python_reading_agree(feed):
    table = pa.table(
        {
            "kind": pa.array([k for k, _, _ in feed], pa.string()),
            "event": pa.array([e for _, e, _ in feed], pa.string()),
            "amount": pa.array([a for _, _, a in feed], pa.int64()),
        }
    )
    con = duckdb.connect()
    con.register("fr", table)
    cols = ", ".join(f"{m.sql()} AS {fact}" for fact, m in FEED_FACTS.items())
    (batch,) = con.sql(f"SELECT {cols} FROM fr").fetchall()
    single = [m.value([(k, e, Decimal(a)) for k, e, a in feed]) for m in FEED_FACTS.values()]
    assert [int(v or 0) for v in batch] == [int(v) for v in single]


def test_the_engines_tables_derive_from_the_vocabulary():
    assert recurrence.FEED_FACTS == {
        "medical_oop": "medical",
        "school_costs": "school",
        "disaster_loss": "disaster",
        "job_loss": "employment",
        "assistance_ended": "assistance",
        "deaths": "death",
    }
    assert recurrence.MONEY_FEED_FACTS == ("medical_oop", "school_costs", "disaster_loss")
    assert fmt("guarantee_failures", Decimal(2)) == "2 项" and fmt("deaths", Decimal(1)) == "1 人"
    assert all(f.feed is None or f.feed.kind in KINDS for f in FACTS.values())
