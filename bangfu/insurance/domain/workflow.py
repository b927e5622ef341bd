"""The claim workflow as an explicit transition table (design.md §6 rule 5).

submitted → surveyed → calculated → [publicised] → approved → paid, or rejected from any open step.
Each row says who may fire the event (a capability) and which guard must hold; services apply the
table and write one event row per transition.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    SUBMITTED = "submitted"
    SURVEYED = "surveyed"
    CALCULATED = "calculated"
    PUBLICISED = "publicised"
    APPROVED = "approved"
    PAID = "paid"
    REJECTED = "rejected"


STATUS_LABELS = {
    Status.SUBMITTED: "已受理",
    Status.SURVEYED: "已勘查",
    Status.CALCULATED: "已核算",
    Status.PUBLICISED: "公示中",
    Status.APPROVED: "已审批",
    Status.PAID: "已赔付",
    Status.REJECTED: "不予赔付",
}


class Event(StrEnum):
    SUBMIT = "submit"
    SURVEY = "survey"
    CALCULATE = "calculate"
    PUBLICISE = "publicise"
    APPROVE = "approve"
    PAY = "pay"
    REJECT = "reject"


EVENT_LABELS = {
    Event.SUBMIT: "报案受理",
    Event.SURVEY: "入户勘查",
    Event.CALCULATE: "理赔核算",
    Event.PUBLICISE: "村级公示",
    Event.APPROVE: "县级审批",
    Event.PAY: "赔款支付",
    Event.REJECT: "不予赔付",
}


@dataclass(frozen=True)
class GuardFacts:
    publicity_required: bool
    eligible: bool
    payout_positive: bool
    publicity_over: bool  # the minimum publicity days have passed


Guard = Callable[[GuardFacts], bool]


def _no_publicity(f: GuardFacts) -> bool:
    return not f.publicity_required


def _payable(f: GuardFacts) -> bool:
    return f.eligible and f.payout_positive


def _approvable_direct(f: GuardFacts) -> bool:
    return _no_publicity(f) and _payable(f)


def _approvable_after_notice(f: GuardFacts) -> bool:
    return f.publicity_over and _payable(f)


def _always(f: GuardFacts) -> bool:
    return True


@dataclass(frozen=True)
class Transition:
    source: Status
    event: Event
    target: Status
    cap: str  # capability value (accounts.domain.roles.Cap)
    guard: Guard = _always
    guard_zh: str = ""
    guard_en: str = ""


_S, _E = Status, Event
_NOT_PAYABLE = (
    "核算结果不符合赔付条件或赔付金额为零，请驳回或重新核算",
    "The calculation found the claim not payable; reject it or recalculate",
)
TRANSITIONS: tuple[Transition, ...] = (
    Transition(_S.SUBMITTED, _E.SURVEY, _S.SURVEYED, "claim_survey"),
    Transition(_S.SURVEYED, _E.SURVEY, _S.SURVEYED, "claim_survey"),  # a second visit amends the survey
    Transition(_S.SURVEYED, _E.CALCULATE, _S.CALCULATED, "claim_survey"),
    Transition(_S.CALCULATED, _E.CALCULATE, _S.CALCULATED, "claim_survey"),
    Transition(_S.CALCULATED, _E.PUBLICISE, _S.PUBLICISED, "case_village", _payable, *_NOT_PAYABLE),
    Transition(
        _S.CALCULATED,
        _E.APPROVE,
        _S.APPROVED,
        "claim_approve",
        _approvable_direct,
        "本县要求先公示，或核算结果不可赔付",
        "The county requires publicity first, or the claim is not payable",
    ),
    Transition(
        _S.PUBLICISED,
        _E.APPROVE,
        _S.APPROVED,
        "claim_approve",
        _approvable_after_notice,
        "公示期未满或核算结果不可赔付",
        "The publicity period is not over, or the claim is not payable",
    ),
    Transition(_S.APPROVED, _E.PAY, _S.PAID, "claim_survey"),
    Transition(_S.SUBMITTED, _E.REJECT, _S.REJECTED, "claim_survey"),
    Transition(_S.SURVEYED, _E.REJECT, _S.REJECTED, "claim_survey"),
    Transition(_S.CALCULATED, _E.REJECT, _S.REJECTED, "claim_approve"),
    Transition(_S.PUBLICISED, _E.REJECT, _S.REJECTED, "claim_approve"),
)


class IllegalTransition(Exception):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def find(status: Status, event: Event, caps: frozenset[str] | set[str]) -> Transition:
    """The row for (status, event) that one of `caps` may fire; raises IllegalTransition otherwise."""
    rows = [t for t in TRANSITIONS if t.source == status and t.event == event]
    if not rows:
        raise IllegalTransition(
            f"理赔当前状态为“{STATUS_LABELS[status]}”，不能执行“{EVENT_LABELS[event]}”",
            f"A claim that is {status.value} cannot take the step '{event.value}'",
        )
    allowed = [t for t in rows if t.cap in caps]
    if not allowed:
        raise PermissionError(event.value)
    return allowed[0]


def fire(status: Status, event: Event, caps: frozenset[str] | set[str], facts: GuardFacts) -> Status:
    t = find(status, event, caps)
    if not t.guard(facts):
        raise IllegalTransition(t.guard_zh, t.guard_en)
    return t.target


def events_open_to(status: Status, caps: frozenset[str] | set[str]) -> list[Event]:
    """The steps a user holding `caps` could take next (for the claim page's buttons)."""
    seen: list[Event] = []
    for t in TRANSITIONS:
        if t.source == status and t.cap in caps and t.event not in seen:
            seen.append(t.event)
    return seen
