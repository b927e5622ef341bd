"""Workshop status as a transition table (domain brief §6.2, core.domain.workflow).

Each row: (state, event) → next state, who may take it (a capability), and its guards: the recognition
criteria, also the upgrade criteria, or a written reason. The service fetches the checks, decides with
`TABLE`, and records every transition as an event row with the checks as they stood.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bangfu.core.domain.text import gettext_noop
from bangfu.core.domain.workflow import Guard, Step, Table
from bangfu.employment.domain.criteria import Check


class State(StrEnum):
    APPLIED = "applied"
    RECOGNISED = "recognised"
    UPGRADED = "upgraded"
    SUSPENDED = "suspended"
    REVOKED = "revoked"


STATE_LABELS = {
    State.APPLIED: gettext_noop("已申报"),
    State.RECOGNISED: gettext_noop("已认定"),
    State.UPGRADED: gettext_noop("乡村就业工厂"),
    State.SUSPENDED: gettext_noop("暂停"),
    State.REVOKED: gettext_noop("已撤销"),
}


class Event(StrEnum):
    RECOGNISE = "recognise"
    UPGRADE = "upgrade"
    SUSPEND = "suspend"
    RESUME = "resume"
    REVOKE = "revoke"


EVENT_LABELS = {
    Event.RECOGNISE: gettext_noop("认定"),
    Event.UPGRADE: gettext_noop("升级为乡村就业工厂"),
    Event.SUSPEND: gettext_noop("暂停"),
    Event.RESUME: gettext_noop("恢复"),
    Event.REVOKE: gettext_noop("撤销"),
}


@dataclass(frozen=True)
class Facts:
    """The criteria as checked today (employment.selectors.workshop_checks)."""

    recognition: tuple[Check, ...] = ()
    upgrade: tuple[Check, ...] = ()


def _unmet(checks: tuple[Check, ...]) -> list[tuple[str, str]]:
    return [
        (f"{c.zh}为{c.actual}，要求{c.required}", f"{c.en} is {c.actual}, required {c.required}")
        for c in checks
        if not c.ok
    ]


G_RECOGNITION: Guard[Facts] = Guard(
    "recognition",
    lambda f: not _unmet(f.recognition),
    "未满足帮扶车间认定条件，请补齐后再试",
    "The recognition criteria are not met; fix them and retry",
    explain=lambda f: _unmet(f.recognition),
)
G_UPGRADE: Guard[Facts] = Guard(
    "upgrade",
    lambda f: not _unmet(f.upgrade),
    "未满足乡村就业工厂条件，请补齐后再试",
    "The upgrade criteria are not met; fix them and retry",
    explain=lambda f: _unmet(f.upgrade),
)

_EDIT = frozenset({"employment_edit"})  # accounts Cap value
_S, _E = State, Event
TABLE: Table[State, Event] = Table(
    (
        Step(_S.APPLIED, _E.RECOGNISE, _S.RECOGNISED, _EDIT, (G_RECOGNITION,)),
        Step(_S.RECOGNISED, _E.UPGRADE, _S.UPGRADED, _EDIT, (G_RECOGNITION, G_UPGRADE)),
        Step(_S.RECOGNISED, _E.SUSPEND, _S.SUSPENDED, _EDIT, needs_reason=True),
        Step(_S.UPGRADED, _E.SUSPEND, _S.SUSPENDED, _EDIT, needs_reason=True),
        Step(_S.SUSPENDED, _E.RESUME, _S.RECOGNISED, _EDIT, (G_RECOGNITION,)),
        Step(_S.APPLIED, _E.REVOKE, _S.REVOKED, _EDIT, needs_reason=True),
        Step(_S.RECOGNISED, _E.REVOKE, _S.REVOKED, _EDIT, needs_reason=True),
        Step(_S.UPGRADED, _E.REVOKE, _S.REVOKED, _EDIT, needs_reason=True),
        Step(_S.SUSPENDED, _E.REVOKE, _S.REVOKED, _EDIT, needs_reason=True),
    ),
    noun=("车间", "workshop"),
    states=STATE_LABELS,
    events=EVENT_LABELS,
    reason=("reason", "请填写原因", "Give the reason"),
)
