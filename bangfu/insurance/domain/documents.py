"""Which documents a claim needs before a step (a scheme setting with effective dates).

A rule lists document kinds per step; a kind required before the survey is also required before
approval and payment (the lists accumulate along the workflow), so a later step never goes ahead
without what an earlier one needed.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

STEP_ORDER = ("survey", "approve", "pay")


def required_before(step: str, rule: Mapping[str, Sequence[str]]) -> list[str]:
    """The kinds needed before `step`: its own list and every earlier step's, without repeats."""
    if step not in STEP_ORDER:
        return []
    out: list[str] = []
    for s in STEP_ORDER[: STEP_ORDER.index(step) + 1]:
        out += [k for k in rule.get(s, ()) if k not in out]
    return out


def missing(step: str, rule: Mapping[str, Sequence[str]], attached: Collection[str]) -> list[str]:
    """Required kinds not yet attached, in the rule's order."""
    return [k for k in required_before(step, rule) if k not in attached]
