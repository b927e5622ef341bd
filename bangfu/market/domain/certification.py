"""Certification of support products (认定为帮扶/消费帮扶产品) as one transition table.

商南县's steps (the domain brief §4.1): 主体申请 → 镇办初审 → 行业复审 → 县级审定 → listing with a validity
period. Each row says: in state S, action A, taken by party P, goes to state N. Each review can pass the
application on, send it back to the enterprise with a reason (退回修改: the enterprise corrects it and
resubmits, and it goes through both reviews again because the material changed), or reject it with a
reason (不予通过: final). The county can only decide on an application both reviews passed. The services
work out the acting user's parties and decide with `TABLE` (core.domain.workflow); nothing else in the
code decides where an application may go next.
Expiry is a date check (`figures.is_valid`), not a transition.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bangfu.core.domain.text import gettext_noop
from bangfu.core.domain.workflow import Guard, Step, Table
from bangfu.market.domain.codes import SECTOR_LABELS, Sector


class State(StrEnum):
    APPLIED = "applied"
    TOWNSHIP_OK = "township_ok"
    SECTOR_OK = "sector_ok"
    RETURNED = "returned"
    CERTIFIED = "certified"
    REJECTED = "rejected"
    REVOKED = "revoked"


STATE_LABELS = {
    State.APPLIED: gettext_noop("已申请·待镇办初审"),
    State.TOWNSHIP_OK: gettext_noop("镇办初审通过·待行业复审"),
    State.SECTOR_OK: gettext_noop("行业复审通过·待县级审定"),
    State.RETURNED: gettext_noop("已退回·待企业修改后重新提交"),
    State.CERTIFIED: gettext_noop("已认定"),
    State.REJECTED: gettext_noop("未通过"),
    State.REVOKED: gettext_noop("已撤销"),
}
STATE_LABELS_EN = {
    State.APPLIED: "applied, awaiting the township review",
    State.TOWNSHIP_OK: "township review passed, awaiting the sector review",
    State.SECTOR_OK: "sector review passed, awaiting the county decision",
    State.RETURNED: "sent back to the enterprise for correction",
    State.CERTIFIED: "certified",
    State.REJECTED: "rejected",
    State.REVOKED: "revoked",
}
# An application in one of these is still being handled; a product has at most one at a time.
OPEN_STATES = frozenset({State.APPLIED, State.TOWNSHIP_OK, State.SECTOR_OK, State.RETURNED})


class Action(StrEnum):
    PASS = "pass"  # a review passes the application on
    RETURN = "return"  # back to the enterprise for correction, with the reason
    REJECT = "reject"  # not certified, with the reason (final)
    CERTIFY = "certify"  # the county's 审定: number and validity
    REVOKE = "revoke"
    RESUBMIT = "resubmit"  # the enterprise sends a returned application in again


class Party(StrEnum):
    ENTERPRISE = "enterprise"  # the enterprise's own user, or a county officer entering it for them
    TOWNSHIP = "township"  # 镇办: an officer of the township the enterprise lies in
    SECTOR = "sector"  # 行业主管部门: the bureau the township named (农业农村, 文化和旅游 …)
    COUNTY = "county"  # 县级审定: the county administrator


PARTY_LABELS = {
    Party.ENTERPRISE: (gettext_noop("申请主体"), "applying enterprise"),
    Party.TOWNSHIP: (gettext_noop("企业所在乡镇（街道）"), "township of the enterprise"),
    Party.SECTOR: (gettext_noop("行业主管部门"), "sector bureau"),
    Party.COUNTY: (gettext_noop("县级审定部门"), "county office"),
}


@dataclass(frozen=True)
class Facts:
    """What the deciding user sent besides the decision."""

    sector: str = ""
    number: str = ""


G_SECTOR: Guard[Facts] = Guard(  # the township names the bureau that does the second review
    "sector",
    lambda f: f.sector in set(Sector),
    "请选择负责行业复审的部门：" + "、".join(SECTOR_LABELS.values()),
    "Choose the bureau that does the sector review",
)
G_NUMBER: Guard[Facts] = Guard(  # the county gives the certificate number
    "number", lambda f: bool(f.number.strip()), "请填写认定编号", "Give the certificate number"
)
S, A, P = State, Action, Party
STEP_LABELS = {
    (P.TOWNSHIP, A.PASS): (gettext_noop("镇办初审通过"), "township review passed"),
    (P.TOWNSHIP, A.RETURN): (gettext_noop("镇办初审退回"), "sent back by the township"),
    (P.TOWNSHIP, A.REJECT): (gettext_noop("镇办初审不予通过"), "rejected by the township"),
    (P.SECTOR, A.PASS): (gettext_noop("行业复审通过"), "sector review passed"),
    (P.SECTOR, A.RETURN): (gettext_noop("行业复审退回"), "sent back by the sector bureau"),
    (P.SECTOR, A.REJECT): (gettext_noop("行业复审不予通过"), "rejected by the sector bureau"),
    (P.COUNTY, A.CERTIFY): (gettext_noop("县级审定认定"), "certified by the county"),
    (P.COUNTY, A.RETURN): (gettext_noop("县级审定退回"), "sent back by the county"),
    (P.COUNTY, A.REJECT): (gettext_noop("县级审定不予认定"), "rejected by the county"),
    (P.COUNTY, A.REVOKE): (gettext_noop("撤销认定"), "certification revoked"),
    (P.ENTERPRISE, A.RESUBMIT): (gettext_noop("修改后重新提交"), "resubmitted"),
}
# Event labels for the audit log (one per action, whoever takes it) and the steps recorded outside the table.
EVENT_LABELS = {
    A.PASS: gettext_noop("认定审核通过"),
    A.RETURN: gettext_noop("认定申请退回"),
    A.REJECT: gettext_noop("认定不予通过"),
    A.CERTIFY: gettext_noop("县级审定认定"),
    A.REVOKE: gettext_noop("撤销认定"),
    A.RESUBMIT: gettext_noop("修改后重新提交"),
    "apply": gettext_noop("主体申请"),
    "adjust": gettext_noop("流程调整"),  # rows the 0002 migration wrote (state kept, see README)
}


def _t(source: State, action: Action, party: Party, target: State) -> Step[State, Action]:
    label, en = STEP_LABELS[(party, action)]
    guards = (G_SECTOR,) if (party, action) == (P.TOWNSHIP, A.PASS) else (G_NUMBER,) if action == A.CERTIFY else ()
    # a send-back or rejection must say why: the enterprise reads it
    reason = action in (A.RETURN, A.REJECT, A.REVOKE)
    return Step(source, action, target, frozenset({party}), guards, needs_reason=reason, zh=label, en=en)


TABLE: Table[State, Action] = Table(
    (
        _t(S.APPLIED, A.PASS, P.TOWNSHIP, S.TOWNSHIP_OK),
        _t(S.APPLIED, A.RETURN, P.TOWNSHIP, S.RETURNED),
        _t(S.APPLIED, A.REJECT, P.TOWNSHIP, S.REJECTED),
        _t(S.TOWNSHIP_OK, A.PASS, P.SECTOR, S.SECTOR_OK),
        _t(S.TOWNSHIP_OK, A.RETURN, P.SECTOR, S.RETURNED),
        _t(S.TOWNSHIP_OK, A.REJECT, P.SECTOR, S.REJECTED),
        _t(S.SECTOR_OK, A.CERTIFY, P.COUNTY, S.CERTIFIED),  # only after both reviews passed
        _t(S.SECTOR_OK, A.RETURN, P.COUNTY, S.RETURNED),
        _t(S.SECTOR_OK, A.REJECT, P.COUNTY, S.REJECTED),
        _t(S.RETURNED, A.RESUBMIT, P.ENTERPRISE, S.APPLIED),  # corrected material goes through both reviews again
        _t(S.CERTIFIED, A.REVOKE, P.COUNTY, S.REVOKED),
    ),
    noun=(gettext_noop("认定申请"), "application"),
    states=STATE_LABELS,
    states_en=STATE_LABELS_EN,
    events=EVENT_LABELS,
    reason=("note", "请填写原因", "Give the reason; the enterprise reads it"),
    who_labels={str(p): labels for p, labels in PARTY_LABELS.items()},
)


def waiting_for(state: State) -> Party | None:
    """Whose step it is now (None once decided: the county may still revoke a certification, but
    nobody is waiting for that)."""
    who = TABLE.waiting_for(state) if state in OPEN_STATES else frozenset()
    return Party(next(iter(who))) if who else None


def sector_of_organisation(organisation: str) -> Sector | None:
    """The bureau a department officer's membership names: the code, the label, or the label + 局
    ("agriculture", "农业农村", "农业农村局")."""
    name = (organisation or "").strip()
    for sector, label in SECTOR_LABELS.items():
        if name in (sector.value, label, label + "局"):
            return sector
    return None
