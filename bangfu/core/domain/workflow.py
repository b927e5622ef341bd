"""Workflows as transition tables: the one set of mechanics every state machine in Bangfu uses.

A `Table` is a list of `Step` rows: in state `source`, `event` taken by one of `who` (capabilities
or parties, as strings), when every guard passes (and a reason is given where `needs_reason`), goes
to `target`. `decide` returns the row or raises `StepRefused` with one of three codes:
`out_of_order` (no such step from this state), `not_yours` (someone else's step) or `conditions`
(guards failed; `problems` name each one). Apps keep their enums, labels, rows and facts, and run
their own effects (stock, criteria, event row, audit) after `decide`; `core.errors.refused` maps the
refusal to the one HTTP answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

type Code = Literal["out_of_order", "not_yours", "conditions"]
type Problem = tuple[str, str, str]  # (field or guard name, zh, en)


@dataclass(frozen=True)
class Guard[F]:
    """A condition on facts the service fetched; `name` is also the field a problem is shown beside."""

    name: str
    test: Callable[[F], bool]
    zh: str
    en: str
    explain: Callable[[F], Iterable[tuple[str, str]]] | None = None  # (zh, en) of each condition behind it


@dataclass(frozen=True)
class Step[S: str, E: str]:
    source: S
    event: E
    target: S
    who: frozenset[str]  # capability values or party names; one of them may take the step
    guards: tuple[Guard[Any], ...] = ()
    needs_reason: bool = False  # the reason is shown to the people the step concerns
    zh: str = ""  # the step's label; the table fills in its event's label when empty
    en: str = ""


class StepRefused(Exception):
    """Why a step is not possible now, in words for the user; `problems` are (name, zh, en)."""

    def __init__(self, code: Code, zh: str, en: str, problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(f"{zh} / {en}")
        self.code, self.zh, self.en, self.problems = code, zh, en, problems


class Table[S: str, E: str]:
    """The rows of one workflow and its labels. `noun` names the thing in messages ("案件", "case");
    `events` may also name events recorded outside the table ("open"); `reason` is the field and
    message of a missing reason; `who_labels` names the parties, so a refusal can say whose step it is."""

    def __init__(
        self,
        steps: Iterable[Step[S, E]],
        *,
        noun: tuple[str, str],
        states: Mapping[S, str],
        events: Mapping[Any, str],  # keyed by the event (a StrEnum member or its value)
        states_en: Mapping[S, str] | None = None,
        reason: Problem = ("reason", "请填写理由", "Give the reason"),
        who_labels: Mapping[str, tuple[str, str]] | None = None,
    ) -> None:
        self.noun, self.reason, self.who_labels = noun, reason, dict(who_labels or {})
        self.states = {str(k): v for k, v in states.items()}
        self.states_en = {str(k): v for k, v in (states_en or {}).items()}
        self.events = {str(k): v for k, v in events.items()}
        self.steps = tuple(replace(s, zh=s.zh or self.events.get(s.event, s.event), en=s.en or s.event) for s in steps)
        self._rows: dict[tuple[str, str], Step[S, E]] = {(s.source, s.event): s for s in self.steps}
        if len(self._rows) != len(self.steps):
            raise ValueError("two steps share a (source, event)")

    def state_label(self, state: str, *, en: bool = False) -> str:
        return (self.states_en if en else self.states).get(state, state)

    def event_label(self, event: str, source: str = "", *, en: bool = False) -> str:
        """The label of an event (of the step from `source` when there is one), else the code."""
        step = self._rows.get((source, event))
        if step is not None:
            return step.en if en else step.zh
        return event if en else self.events.get(event, event)

    def find(self, state: str, event: str) -> Step[S, E] | None:
        return self._rows.get((state, event))

    def decide(self, state: str, event: str, who: Iterable[str], facts: Any = None, reason: str = "") -> Step[S, E]:
        """The step `event` takes from `state` for someone holding `who`, or StepRefused saying why not."""
        step = self._rows.get((state, event))
        if step is None:
            raise self._out_of_order(state, event)
        if not step.who & frozenset(who):
            names = [self.who_labels[w] for w in sorted(step.who) if w in self.who_labels]
            zh, en = "您的角色不能办理这一步", "Your role may not take this step"
            if names:
                zh = f"“{step.zh}”由{'或'.join(n[0] for n in names)}办理，您不能办理这一步"
                en = f"'{step.en}' is for the {' or '.join(n[1] for n in names)}; you may not take this step"
            raise StepRefused("not_yours", zh, en)
        problems: tuple[Problem, ...] = ()
        for g in (g for g in step.guards if not g.test(facts)):
            why = g.explain(facts) if g.explain else ()
            problems += ((g.name, g.zh, g.en), *((g.name, zh, en) for zh, en in why))
        if step.needs_reason and not reason.strip():
            problems += (self.reason,)
        if problems:
            raise StepRefused("conditions", "条件未满足，不能办理", "Conditions not met", problems)
        return step

    def _out_of_order(self, state: str, event: str) -> StepRefused:
        zh = f"{self.noun[0]}当前为“{self.state_label(state)}”，不能办理“{self.events.get(event, event)}”"
        en = f"A {self.noun[1]} that is {self.state_label(state, en=True)} cannot take the step '{event}'"
        sources = [s.source for s in self.steps if s.event == event]
        if sources:
            zh += "；只能在“" + "”或“".join(self.state_label(s) for s in sources) + "”时办理"
            en += "; it is possible only when it is " + " or ".join(self.state_label(s, en=True) for s in sources)
        return StepRefused("out_of_order", zh + "，请刷新后查看可办理的步骤", en + "; reload to see what is possible")

    def open_to(self, state: S, who: Iterable[str]) -> list[Step[S, E]]:
        """The steps someone holding `who` could take from `state` (the page offers only these)."""
        held = frozenset(who)
        return [s for s in self.steps if s.source == state and s.who & held]

    def from_state(self, state: S) -> list[Step[S, E]]:
        return [s for s in self.steps if s.source == state]

    def waiting_for(self, state: S) -> frozenset[str]:
        """Whoever may take a step from `state` (empty once the workflow has ended there)."""
        return frozenset().union(*(s.who for s in self.steps if s.source == state))

    def who(self) -> frozenset[str]:
        """Every capability or party named in the table."""
        return frozenset().union(*(s.who for s in self.steps))
