"""The procedure as a stepper: each track's steps in order, which are done (by whom, when), which one is
current (its deadline, whose it is, what holds it back) and which are still ahead.

Pure: the page's selector hands in the case's state, its step rows and the facts of today; the order of
the steps is read from the transition table (`procedure.TABLE`), so the stepper cannot disagree with
what the services allow.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from bangfu.casework.domain.procedure import (
    ELIMINATION_STATES,
    TABLE,
    WAITING_GUARDS,
    WHO_LABELS,
    Event,
    Facts,
    State,
)
from bangfu.core.domain.text import gettext_noop as _
from bangfu.core.domain.workflow import Step

type Status = Literal["done", "refused", "current", "ahead"]

# Side steps: they leave the main path (a refusal, an objection, a new risk); the stepper lists the rest.
SIDE = frozenset({Event.REJECT, Event.OBJECT, Event.REOPEN})

TRACKS: dict[str, tuple[State, State]] = {
    "identify": (State.LEAD, State.MONITORED),
    "eliminate": (State.MONITORED, State.RISK_ELIMINATED),
}
TRACK_LABELS = {"identify": _("识别程序"), "eliminate": _("风险消除程序")}


def main_path(start: State, end: State) -> list[Step[State, Event]]:
    """The steps from `start` to `end` without side steps, in the order the table chains them."""
    path: list[Step[State, Event]] = []
    state = start
    while state != end:
        step = next((s for s in TABLE.from_state(state) if s.event not in SIDE), None)
        if step is None:
            break
        path.append(step)
        state = step.target
    return path


@dataclass(frozen=True)
class Reason:
    """Why a step waits, in both languages (the page shows the reader's: the `tr` filter)."""

    zh: str
    en: str


@dataclass(frozen=True)
class Done:
    """A recorded step: its event, the state it left, the day and who took it (and its row, whose
    attachments the page shows beside the step)."""

    event: str
    from_state: str
    on: dt.date
    actor: str
    ref: int | None = None


@dataclass(frozen=True)
class StepView:
    label: str  # a msgid: the page translates it
    status: Status
    who: tuple[str, ...]  # msgids of the offices whose step it is
    on: dt.date | None = None  # done: the day
    actor: str = ""  # done: who took it
    ref: int | None = None  # done: the step's row
    due_on: dt.date | None = None  # current: the last day (working days, as the case's deadline)
    waits: tuple[Reason, ...] = ()  # current: what holds it back today


def tracks_shown(state: State) -> list[str]:
    """Identification always; elimination once the household is monitored (it is the next procedure)."""
    if state in ELIMINATION_STATES or state in (State.MONITORED, State.RISK_ELIMINATED):
        return ["identify", "eliminate"]
    return ["identify"]


def stepper(
    track: str,
    state: State,
    done: Sequence[Done],
    due_on: dt.date | None,
    waits: Iterable[Reason] = (),
) -> list[StepView]:
    """The steps of `track` for a case in `state`. `done` is every recorded step, oldest first; a step
    counts as done with its latest record since the track last (re)started. `waits` are the reasons the
    current step cannot be taken today (`blocked_by`)."""
    start, end = TRACKS[track]
    path = main_path(start, end)
    latest = _latest_since_restart(done, path)
    refusal = _refusal(done, path) if state == State.REJECTED else None
    position = _position(path, state, track) if refusal is None else refusal[0]
    out: list[StepView] = []
    for i, step in enumerate(path):
        who = tuple(WHO_LABELS[w][0] for w in sorted(step.who) if w in WHO_LABELS)
        if i < position:
            d = latest.get((step.source.value, step.event.value))
            out.append(StepView(step.zh, "done", who, d.on if d else None, d.actor if d else "", d.ref if d else None))
        elif refusal is not None and i == position:
            r = refusal[1]
            out.append(StepView(step.zh, "refused", who, r.on, r.actor, r.ref))
        elif i == position:
            out.append(StepView(step.zh, "current", who, due_on=due_on, waits=tuple(waits)))
        else:
            out.append(StepView(step.zh, "ahead", who))
    return out


def _refusal(done: Sequence[Done], path: list[Step[State, Event]]) -> tuple[int, Done] | None:
    """Where an identification ended: the path's step that was due when the case was refused."""
    last = next((d for d in reversed(done) if d.event == Event.REJECT.value), None)
    if last is None:
        return None
    index = next((i for i, s in enumerate(path) if s.source.value == last.from_state), len(path))
    return index, last


def _position(path: list[Step[State, Event]], state: State, track: str) -> int:
    """Index of the step to take next on this track (len(path) when the track is complete)."""
    for i, step in enumerate(path):
        if step.source == state:
            return i
    if track == "identify" and state in ELIMINATION_STATES | {State.MONITORED, State.RISK_ELIMINATED}:
        return len(path)
    if track == "eliminate" and state == State.RISK_ELIMINATED:
        return len(path)
    return 0 if track == "eliminate" else len(path)


def _latest_since_restart(done: Sequence[Done], path: list[Step[State, Event]]) -> dict[tuple[str, str], Done]:
    """The latest record of each step of the path. An objection during this track's notice sends it
    back to verification, and a new risk after elimination restarts elimination: the records before
    them belong to an earlier round (the first step, acceptance or the proposal, stays)."""
    keys = {(s.source.value, s.event.value) for s in path}
    sources = {s.source.value for s in path}
    first = (path[0].source.value, path[0].event.value) if path else None
    out: dict[tuple[str, str], Done] = {}
    for d in done:
        objection = d.event == Event.OBJECT.value and d.from_state in sources
        new_risk = d.event == Event.REOPEN.value and State.MONITORED.value in sources
        if objection or new_risk:
            out = {k: v for k, v in out.items() if k == first and not new_risk}
        if (d.from_state, d.event) in keys:
            out[(d.from_state, d.event)] = d
    return out


def can_take_now(step: Step[State, Event], facts: Facts) -> bool:
    """Whether the step's waiting guards (the notice period, the elimination conditions) pass today;
    the other guards are what its form asks for, so the step is offered and the form says what is missing."""
    return all(g.test(facts) for g in step.guards if g.name in WAITING_GUARDS)


def blocked_by(steps: Iterable[Step[State, Event]], facts: Facts) -> list[Reason]:
    """Each waiting guard that holds back one of `steps` today (its explanation when it has one:
    "the notice runs until 12-10"), each reason once."""
    out: list[Reason] = []
    for step in steps:
        for g in step.guards:
            if g.name in WAITING_GUARDS and not g.test(facts):
                explained = tuple(g.explain(facts)) if g.explain else ()
                for zh, en in explained or ((g.zh, g.en),):
                    if Reason(zh, en) not in out:
                        out.append(Reason(zh, en))
    return out
