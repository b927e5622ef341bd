"""The single-household path: one household's facts with the ORM, in a fixed number of queries.

Deliberately written apart from the batch engine (plain ORM and Python sums, no shared SQL) so the
property test that compares the two paths compares two independent readings of the same rules. What a
feed fact is made of is declared once (`rules.domain.facts.FeedMeasure`): `value` here, `sql` there.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from bangfu.monitoring.models import FeedRow
from bangfu.registry import selectors as registry
from bangfu.rules.domain.facts import FEED_FACTS, HouseholdFacts
from bangfu.rules.domain.windows import window_for


def household_facts(household_id: int, as_of: dt.date, window: str, line: Decimal | None) -> HouseholdFacts:
    w = window_for(window, as_of)
    h = registry.household_brief(household_id)
    statements = registry.income_years(household_id, [w.income_year, w.income_year - 1])
    cur, prev = statements.get(w.income_year), statements.get(w.income_year - 1)
    rows = list(
        FeedRow.objects.filter(household_id=household_id, event_date__gte=w.start, event_date__lte=as_of)
        .exclude(kind="disability")
        .values_list("kind", "event", "amount")
    )
    certified = FeedRow.objects.filter(household_id=household_id, kind="disability", event_date__lte=as_of).values(
        "member_id"
    )
    sick = registry.members_ill_or_among(household_id, certified)
    fails = registry.guarantee_failures(household_id, as_of)

    return HouseholdFacts.of(
        household_id,
        per_capita_income=cur.per_capita if cur else None,
        net_income=cur.net_income if cur else None,
        per_capita_income_prev=prev.per_capita if prev else None,
        per_capita_delta=(cur.per_capita - prev.per_capita) if cur and prev else None,
        **{fact: measure.value(rows) for fact, measure in FEED_FACTS.items()},  # as the vocabulary declares
        serious_ill_or_disabled=sick,
        no_labour=int(h.no_labour),
        guarantee_failures=fails,
        monitoring_line=line,
    )
