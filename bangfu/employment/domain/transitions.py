"""Workshop status as an explicit transition table (domain.md §6.2).

Each row: (state, event) → next state, the guard that must hold, and the capability needed.
Services look the row up, evaluate the guard, and record every transition as an event row.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class State(StrEnum):
    APPLIED = "applied"
    RECOGNISED = "recognised"
    UPGRADED = "upgraded"
    SUSPENDED = "suspended"
    REVOKED = "revoked"


STATE_LABELS = {
    State.APPLIED: "已申报",
    State.RECOGNISED: "已认定",
    State.UPGRADED: "乡村就业工厂",
    State.SUSPENDED: "暂停",
    State.REVOKED: "已撤销",
}


class Event(StrEnum):
    RECOGNISE = "recognise"
    UPGRADE = "upgrade"
    SUSPEND = "suspend"
    RESUME = "resume"
    REVOKE = "revoke"


class Guard(StrEnum):
    NONE = "none"
    RECOGNITION = "recognition"  # recognition criteria all met
    UPGRADE = "upgrade"  # recognition and upgrade criteria all met
    REASON = "reason"  # a written reason is required


@dataclass(frozen=True)
class Transition:
    state: State
    event: Event
    next: State
    guard: Guard
    capability: str  # accounts Cap value


_EDIT = "employment_edit"

TABLE: tuple[Transition, ...] = (
    Transition(State.APPLIED, Event.RECOGNISE, State.RECOGNISED, Guard.RECOGNITION, _EDIT),
    Transition(State.RECOGNISED, Event.UPGRADE, State.UPGRADED, Guard.UPGRADE, _EDIT),
    Transition(State.RECOGNISED, Event.SUSPEND, State.SUSPENDED, Guard.REASON, _EDIT),
    Transition(State.UPGRADED, Event.SUSPEND, State.SUSPENDED, Guard.REASON, _EDIT),
    Transition(State.SUSPENDED, Event.RESUME, State.RECOGNISED, Guard.RECOGNITION, _EDIT),
    Transition(State.APPLIED, Event.REVOKE, State.REVOKED, Guard.REASON, _EDIT),
    Transition(State.RECOGNISED, Event.REVOKE, State.REVOKED, Guard.REASON, _EDIT),
    Transition(State.UPGRADED, Event.REVOKE, State.REVOKED, Guard.REASON, _EDIT),
    Transition(State.SUSPENDED, Event.REVOKE, State.REVOKED, Guard.REASON, _EDIT),
)


def find(state: State, event: Event) -> Transition | None:
    return next((t for t in TABLE if t.state == state and t.event == event), None)


def events_from(state: State) -> list[Event]:
    return [t.event for t in TABLE if t.state == state]
