"""A warning's Chinese sentence, made on read from what the warning keeps (schema decision of issue #18,
monitoring/README.md "The warnings table"): the rule it was raised under (published rule sets never
change), the facts and thresholds `explain` gave, and — when it came back after a decided warning —
both warnings' sources, from which `recurrence.why_back` finds the reason again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from bangfu.monitoring.domain import recurrence
from bangfu.rules.domain.evaluate import sentence_of
from bangfu.rules.domain.rules import parse_node


def sentence(
    when: Any,
    params: Mapping[str, Any],
    facts: Mapping[str, str],
    thresholds: Mapping[str, str],
    came_back: tuple[recurrence.Source, recurrence.Decided, dt.date] | None = None,
) -> str:
    """`when` and `params` as the rule set stores them (a condition tree, decimal texts); `came_back`
    the warning's source, the decided warning before it and the date it was screened as of."""
    if when is None:
        return ""  # no such rule: rules of a published set are never deleted, so only hand-made rows
    values = {str(k): Decimal(str(v)) for k, v in params.items()}
    back = ""
    if came_back is not None:
        now, decided, as_of = came_back
        back = recurrence.why_back(now, decided, as_of, recurrence.recheck_days(tuple(values.items()))) or ""
    return back + sentence_of(parse_node(when, values), values, facts, thresholds)
