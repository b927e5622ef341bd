"""Duties kept apart in the procedure (职责分离), for identification and risk elimination alike.

Whoever verified the household or took part in the village deliberation does not give the township
review, and the township reviewer does not give the county approval. A county may lift a pair for
one person only by a recorded delegation (accounts.Delegation, pairs listed in
accounts.domain.duties); the service asks for it when this module finds a conflict.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bangfu.casework.domain.procedure import Event, State

VERIFY_TOWNSHIP = "case.verify-township"  # accounts.domain.duties.DUTY_PAIRS
TOWNSHIP_COUNTY = "case.township-county"

ELIMINATION_STATES = frozenset(
    {
        State.ELIM_PROPOSED,
        State.ELIM_VERIFIED,
        State.ELIM_DELIBERATED,
        State.ELIM_PUBLICIZED,
        State.ELIM_TOWNSHIP_REVIEWED,
    }
)


@dataclass(frozen=True)
class Apart:
    pair: str
    earlier: frozenset[Event]
    zh: str
    en: str


APART: dict[Event, Apart] = {
    Event.TOWNSHIP_REVIEW: Apart(
        VERIFY_TOWNSHIP,
        frozenset({Event.VERIFY, Event.DELIBERATE}),
        "您在本案此轮程序中办理了入户核实或民主评议，不能再进行乡镇审核；请由乡镇其他审核人员办理，或由县级登记例外授权",
        "You verified or deliberated this case in this round, so you may not give the township review; "
        "another township reviewer must, or the county must record a delegation for this exception",
    ),
    Event.APPROVE: Apart(
        TOWNSHIP_COUNTY,
        frozenset({Event.TOWNSHIP_REVIEW}),
        "您在本案此轮程序中进行了乡镇审核，不能再进行县级审定；请由县级其他审批人员办理，或由县级登记例外授权",
        "You gave the township review of this case in this round, so you may not give the county approval; "
        "another county approver must, or the county must record a delegation for this exception",
    ),
}


def this_round(state: State, history: Iterable[tuple[str, int | None]]) -> list[tuple[str, int | None]]:
    """The (event, actor) rows of the procedure under way: an elimination round starts at its
    proposal; identification is everything before it."""
    rows = list(history)
    if state in ELIMINATION_STATES:
        starts = [i for i, (event, _) in enumerate(rows) if event == Event.PROPOSE_ELIMINATION]
        return rows[starts[-1] :] if starts else rows
    firsts = [i for i, (event, _) in enumerate(rows) if event == Event.PROPOSE_ELIMINATION]
    return rows[: firsts[0]] if firsts else rows


def conflict(
    event: Event, state: State, actor_id: int | None, history: Iterable[tuple[str, int | None]]
) -> Apart | None:
    """The separation `actor_id` would break by taking `event` now, or None."""
    apart = APART.get(event)
    if apart is None or actor_id is None:
        return None
    done = {e for e, who in this_round(state, history) if who == actor_id}
    return apart if done & {e.value for e in apart.earlier} else None
