"""The claim workflow as an explicit transition table (design guide §6 rule 5).

submitted → surveyed → calculated → [publicised] → approved → paid, or rejected from any open step.
Each row says who may take the step (a capability) and which guards must hold (core.domain.workflow);
services decide with `TABLE` and write one event row per transition.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bangfu.core.domain.workflow import Guard, Step, Table


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


G_PAYABLE: Guard[GuardFacts] = Guard(
    "payable",
    lambda f: f.eligible and f.payout_positive,
    "核算结果不符合赔付条件或赔付金额为零，请驳回或重新核算",
    "The calculation found the claim not payable; reject it or recalculate",
)
G_NO_PUBLICITY: Guard[GuardFacts] = Guard(
    "publicity",
    lambda f: not f.publicity_required,
    "本县要求先公示，请先进行村级公示",
    "The county requires publicity first; publicise the claim",
)
G_PUBLICITY_OVER: Guard[GuardFacts] = Guard(
    "publicity",
    lambda f: f.publicity_over,
    "公示期未满，请在公示期结束后审批",
    "The publicity period is not over; approve after it ends",
)

_S, _E = Status, Event
_SURVEY, _APPROVE, _VILLAGE = frozenset({"claim_survey"}), frozenset({"claim_approve"}), frozenset({"case_village"})
TABLE: Table[Status, Event] = Table(
    (
        Step(_S.SUBMITTED, _E.SURVEY, _S.SURVEYED, _SURVEY),
        Step(_S.SURVEYED, _E.SURVEY, _S.SURVEYED, _SURVEY),  # a second visit amends the survey
        Step(_S.SURVEYED, _E.CALCULATE, _S.CALCULATED, _SURVEY),
        Step(_S.CALCULATED, _E.CALCULATE, _S.CALCULATED, _SURVEY),
        Step(_S.CALCULATED, _E.PUBLICISE, _S.PUBLICISED, _VILLAGE, (G_PAYABLE,)),
        Step(_S.CALCULATED, _E.APPROVE, _S.APPROVED, _APPROVE, (G_NO_PUBLICITY, G_PAYABLE)),
        Step(_S.PUBLICISED, _E.APPROVE, _S.APPROVED, _APPROVE, (G_PUBLICITY_OVER, G_PAYABLE)),
        Step(_S.APPROVED, _E.PAY, _S.PAID, _SURVEY),
        Step(_S.SUBMITTED, _E.REJECT, _S.REJECTED, _SURVEY),
        Step(_S.SURVEYED, _E.REJECT, _S.REJECTED, _SURVEY),
        Step(_S.CALCULATED, _E.REJECT, _S.REJECTED, _APPROVE),
        Step(_S.PUBLICISED, _E.REJECT, _S.REJECTED, _APPROVE),
    ),
    noun=("理赔", "claim"),
    states=STATUS_LABELS,
    events={**EVENT_LABELS, "duplicate": "重复材料例外受理"},  # also recorded: a duplicate file let through
)
