"""The claim workflow as an explicit transition table (design guide §6 rule 5).

submitted → surveyed → calculated → [publicised] → approved → paid, or rejected from any open step.
A calculation that finds nothing to pay is closed by the adjuster (`decline`, 不予赔付结案, with the
calculation's reasons): publicity and approval are only for a payout, so their guards keep them away.
Each row says who may take the step (a capability) and which guards must hold (core.domain.workflow);
services decide with `TABLE` and write one event row per transition.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bangfu.core.domain.text import gettext_noop as _
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
    Status.SUBMITTED: _("已受理"),
    Status.SURVEYED: _("已勘查"),
    Status.CALCULATED: _("已核算"),
    Status.PUBLICISED: _("公示中"),
    Status.APPROVED: _("已审批"),
    Status.PAID: _("已赔付"),
    Status.REJECTED: _("不予赔付"),
}


def status_label(code: str) -> str:
    """The label of a stored status (the code itself for one this table does not know)."""
    return STATUS_LABELS.get(Status(code), code) if code in Status else code


# The English of the labels, for messages built in the domain (StepRefused carries both languages);
# pages translate the labels through the catalogue.
STATUS_EN = {
    Status.SUBMITTED: "received",
    Status.SURVEYED: "surveyed",
    Status.CALCULATED: "assessed",
    Status.PUBLICISED: "on public notice",
    Status.APPROVED: "approved",
    Status.PAID: "paid",
    Status.REJECTED: "declined",
}


class Event(StrEnum):
    SUBMIT = "submit"
    SURVEY = "survey"
    CALCULATE = "calculate"
    PUBLICISE = "publicise"
    APPROVE = "approve"
    PAY = "pay"
    REJECT = "reject"
    DECLINE = "decline"


EVENT_LABELS = {
    Event.SUBMIT: _("报案受理"),
    Event.SURVEY: _("入户勘查"),
    Event.CALCULATE: _("理赔核算"),
    Event.PUBLICISE: _("村级公示"),
    Event.APPROVE: _("县级审批"),
    Event.PAY: _("赔款支付"),
    Event.REJECT: _("不予赔付"),
    Event.DECLINE: _("不予赔付结案"),
}
EVENT_EN = {
    Event.SUBMIT: "Claim received",
    Event.SURVEY: "Home survey",
    Event.CALCULATE: "Assessment",
    Event.PUBLICISE: "Village public notice",
    Event.APPROVE: "County approval",
    Event.PAY: "Payment",
    Event.REJECT: "Decline",
    Event.DECLINE: "Close as not payable",
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
    "核算结果不符合赔付条件或赔付金额为零，请由查勘员按不予赔付结案，或重新核算",
    "The assessment found nothing payable; the adjuster closes it as not payable, or reassesses it",
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

G_NOT_PAYABLE: Guard[GuardFacts] = Guard(
    "payable",
    lambda f: not (f.eligible and f.payout_positive),
    "核算结果有赔款，不能按不予赔付结案",
    "The calculation found a payout; the claim cannot be closed as not payable",
)

_S, _E = Status, Event


def _step(
    src: Status, ev: Event, dst: Status, who: frozenset[str], guards: tuple[Guard[GuardFacts], ...] = ()
) -> Step[Status, Event]:
    return Step(src, ev, dst, who, guards, en=EVENT_EN[ev])


_SURVEY, _APPROVE, _VILLAGE = frozenset({"claim_survey"}), frozenset({"claim_approve"}), frozenset({"case_village"})
TABLE: Table[Status, Event] = Table(
    (
        _step(_S.SUBMITTED, _E.SURVEY, _S.SURVEYED, _SURVEY),
        _step(_S.SURVEYED, _E.SURVEY, _S.SURVEYED, _SURVEY),  # a second visit amends the survey
        _step(_S.SURVEYED, _E.CALCULATE, _S.CALCULATED, _SURVEY),
        _step(_S.CALCULATED, _E.CALCULATE, _S.CALCULATED, _SURVEY),
        _step(_S.CALCULATED, _E.PUBLICISE, _S.PUBLICISED, _VILLAGE, (G_PAYABLE,)),
        _step(_S.CALCULATED, _E.APPROVE, _S.APPROVED, _APPROVE, (G_NO_PUBLICITY, G_PAYABLE)),
        _step(_S.PUBLICISED, _E.APPROVE, _S.APPROVED, _APPROVE, (G_PUBLICITY_OVER, G_PAYABLE)),
        _step(_S.APPROVED, _E.PAY, _S.PAID, _SURVEY),
        _step(_S.SUBMITTED, _E.REJECT, _S.REJECTED, _SURVEY),
        _step(_S.SURVEYED, _E.REJECT, _S.REJECTED, _SURVEY),
        _step(_S.CALCULATED, _E.REJECT, _S.REJECTED, _APPROVE),
        _step(_S.CALCULATED, _E.DECLINE, _S.REJECTED, _SURVEY, (G_NOT_PAYABLE,)),
        _step(_S.PUBLICISED, _E.REJECT, _S.REJECTED, _APPROVE),
    ),
    noun=("理赔", "claim"),
    states=STATUS_LABELS,
    states_en=STATUS_EN,
    events={**EVENT_LABELS, "duplicate": _("重复材料例外受理")},  # also recorded: a duplicate file let through
)
