"""The identification and risk-elimination procedure as one transition table (core.domain.workflow).

Each row says: in state S, event E, allowed to holders of capability C, when guards G pass, goes to
state N. Services decide with `TABLE` against facts they fetched, and record the transition as an
event row; nothing else in the code decides where a case may go next.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum

from bangfu.core.domain.text import gettext_noop as _
from bangfu.core.domain.workflow import Guard, Step, Table


class State(StrEnum):
    LEAD = "lead"
    ACCEPTED = "accepted"
    HOME_VERIFIED = "home_verified"
    DATA_COMPARED = "data_compared"
    VILLAGE_DELIBERATED = "village_deliberated"
    PUBLICIZED = "publicized"
    TOWNSHIP_REVIEWED = "township_reviewed"
    COUNTY_APPROVED = "county_approved"
    MONITORED = "monitored"
    REJECTED = "rejected"
    ELIM_PROPOSED = "elim_proposed"
    ELIM_VERIFIED = "elim_verified"
    ELIM_DELIBERATED = "elim_deliberated"
    ELIM_PUBLICIZED = "elim_publicized"
    ELIM_TOWNSHIP_REVIEWED = "elim_township_reviewed"
    RISK_ELIMINATED = "risk_eliminated"


STATE_LABELS: dict[State, str] = {
    State.LEAD: _("待受理"),
    State.ACCEPTED: _("已受理·待入户核实"),
    State.HOME_VERIFIED: _("已入户核实·待信息比对"),
    State.DATA_COMPARED: _("已信息比对·待民主评议"),
    State.VILLAGE_DELIBERATED: _("已民主评议·待公示"),
    State.PUBLICIZED: _("公示中"),
    State.TOWNSHIP_REVIEWED: _("乡镇已审核·待县级审定"),
    State.COUNTY_APPROVED: _("县级已审定·待公告录入"),
    State.MONITORED: _("监测帮扶中"),
    State.REJECTED: _("未纳入(已驳回)"),
    State.ELIM_PROPOSED: _("风险消除·待入户核实"),
    State.ELIM_VERIFIED: _("风险消除·待民主评议"),
    State.ELIM_DELIBERATED: _("风险消除·待公示"),
    State.ELIM_PUBLICIZED: _("风险消除·公示中"),
    State.ELIM_TOWNSHIP_REVIEWED: _("风险消除·待县级审定"),
    State.RISK_ELIMINATED: _("风险已消除"),
}

# English of the labels for messages that carry both languages (refusals, the API, the phone's answer);
# pages translate the Chinese msgids through the catalogue instead.
STATE_LABELS_EN: dict[State, str] = {
    State.LEAD: "waiting for acceptance",
    State.ACCEPTED: "accepted, home verification due",
    State.HOME_VERIFIED: "verified at home, data comparison due",
    State.DATA_COMPARED: "data compared, village deliberation due",
    State.VILLAGE_DELIBERATED: "deliberated, public notice due",
    State.PUBLICIZED: "on public notice",
    State.TOWNSHIP_REVIEWED: "reviewed by the township, county decision due",
    State.COUNTY_APPROVED: "approved by the county, announcement due",
    State.MONITORED: "monitored and supported",
    State.REJECTED: "not included (rejected)",
    State.ELIM_PROPOSED: "risk elimination: home verification due",
    State.ELIM_VERIFIED: "risk elimination: village deliberation due",
    State.ELIM_DELIBERATED: "risk elimination: public notice due",
    State.ELIM_PUBLICIZED: "risk elimination: on public notice",
    State.ELIM_TOWNSHIP_REVIEWED: "risk elimination: county decision due",
    State.RISK_ELIMINATED: "risk eliminated",
}

# States in which the case is still being worked on (listed for deadlines and queues).
OPEN_STATES = frozenset(State) - {State.MONITORED, State.REJECTED, State.RISK_ELIMINATED}
NOTICE_STATES = frozenset({State.PUBLICIZED, State.ELIM_PUBLICIZED})
ELIMINATION_STATES = frozenset(
    {
        State.ELIM_PROPOSED,
        State.ELIM_VERIFIED,
        State.ELIM_DELIBERATED,
        State.ELIM_PUBLICIZED,
        State.ELIM_TOWNSHIP_REVIEWED,
    }
)


class Event(StrEnum):
    ACCEPT = "accept"
    VERIFY = "verify"
    COMPARE = "compare"
    DELIBERATE = "deliberate"
    PUBLISH = "publish"
    OBJECT = "object"
    TOWNSHIP_REVIEW = "township_review"
    APPROVE = "approve"
    ANNOUNCE = "announce"
    REJECT = "reject"
    PROPOSE_ELIMINATION = "propose_elimination"
    REOPEN = "reopen"


EVENT_LABELS: dict[Event, str] = {
    Event.ACCEPT: _("乡镇受理"),
    Event.VERIFY: _("入户核实"),
    Event.COMPARE: _("信息比对"),
    Event.DELIBERATE: _("民主评议"),
    Event.PUBLISH: _("村级公示"),
    Event.OBJECT: _("公示异议"),
    Event.TOWNSHIP_REVIEW: _("乡镇审核"),
    Event.APPROVE: _("县级审定"),
    Event.ANNOUNCE: _("结果公告并录入"),
    Event.REJECT: _("驳回"),
    Event.PROPOSE_ELIMINATION: _("提出风险消除"),
    Event.REOPEN: _("出现新风险，恢复监测"),
}

EVENT_LABELS_EN: dict[str, str] = {
    Event.ACCEPT: "township acceptance",
    Event.VERIFY: "home verification",
    Event.COMPARE: "data comparison",
    Event.DELIBERATE: "village deliberation",
    Event.PUBLISH: "village public notice",
    Event.OBJECT: "objection to the notice",
    Event.TOWNSHIP_REVIEW: "township review",
    Event.APPROVE: "county decision",
    Event.ANNOUNCE: "announcement and entry",
    Event.REJECT: "rejection",
    Event.PROPOSE_ELIMINATION: "proposal to eliminate the risk",
    Event.REOPEN: "new risk, monitoring resumed",
}

# Capabilities (values of accounts Cap), kept as strings so this module stays pure.
TOWNSHIP, VILLAGE, COUNTY = "case_accept", "case_village", "case_approve"
_T, _V, _C = frozenset({TOWNSHIP}), frozenset({VILLAGE}), frozenset({COUNTY})
WHO_LABELS: dict[str, tuple[str, str]] = {
    TOWNSHIP: (_("乡镇"), "township"),
    VILLAGE: (_("村"), "village"),
    COUNTY: (_("县"), "county"),
}


@dataclass(frozen=True)
class Facts:
    """What the guards look at, fetched by the service before deciding."""

    has_household: bool = False
    consent_signed: bool = False
    survey_done: bool = False
    comparison_done: bool = False
    minutes_recorded: bool = False
    notice_elapsed: bool = False
    notice_open: bool = False  # today is inside the notice period (objections accepted)
    notice_ends: dt.date | None = None  # last day of the running notice (named in the waiting reason)
    type_and_risks_ok: bool = False
    elimination_failures: tuple[tuple[str, str], ...] = ()  # (zh, en) from domain.elimination


G_HOUSEHOLD: Guard[Facts] = Guard(
    "has_household",
    lambda f: f.has_household,
    "请先关联在册农户（或先在户籍中登记该户）",
    "Link the case to a registered household first",
)
G_CONSENT: Guard[Facts] = Guard(
    "consent",
    lambda f: f.consent_signed,
    "请记录农户已签署承诺授权书",
    "Record that the household signed the consent to data checks",
)
G_SURVEY: Guard[Facts] = Guard(
    "survey", lambda f: f.survey_done, "请填写入户核查情况（排查表）", "Fill in the home-verification survey"
)
G_COMPARISON: Guard[Facts] = Guard(
    "comparison",
    lambda f: f.comparison_done,
    "请逐项记录车辆、房产、工商登记、财政供养的比对结果",
    "Record the result for vehicles, property, business registration and public payroll",
)
G_MINUTES: Guard[Facts] = Guard(
    "minutes",
    lambda f: f.minutes_recorded,
    "请填写评议纪要和参会人员",
    "Give the deliberation minutes and the attendees",
)
G_NOTICE_OPEN: Guard[Facts] = Guard(
    "notice_open",
    lambda f: f.notice_open,
    "公示期已结束或尚未开始，不能再登记异议",
    "The notice period is not running; objections cannot be recorded",
)


def _notice_runs_until(f: Facts) -> tuple[tuple[str, str], ...]:
    if f.notice_ends is None:
        return ()
    after = f.notice_ends + dt.timedelta(days=1)
    return (
        (
            f"公示期至{f.notice_ends.isoformat()}，{after.isoformat()}起可审核",
            f"the notice runs until {f.notice_ends.isoformat()}; the review is possible from {after.isoformat()}",
        ),
    )


G_NOTICE_ELAPSED: Guard[Facts] = Guard(
    "notice_elapsed",
    lambda f: f.notice_elapsed,
    "公示期未满，请在公示期结束后审核",
    "The notice period has not ended; review after it ends",
    explain=_notice_runs_until,
)
G_TYPE: Guard[Facts] = Guard(
    "type_and_risks",
    lambda f: f.type_and_risks_ok,
    "请选择监测对象类型并选择1至5项风险类型",
    "Choose the monitoring type and 1 to 5 risk types",
)
G_ELIMINATION: Guard[Facts] = Guard(
    "elimination",
    lambda f: not f.elimination_failures,
    "不符合风险消除条件",
    "The household does not meet the elimination conditions",
    explain=lambda f: f.elimination_failures,  # each condition that failed is listed
)


S, E = State, Event
TABLE: Table[State, Event] = Table(
    tuple(
        replace(step, en=EVENT_LABELS_EN[step.event])
        for step in (
            # identification (识别程序)
            Step(S.LEAD, E.ACCEPT, S.ACCEPTED, _T, (G_HOUSEHOLD,)),
            Step(S.LEAD, E.REJECT, S.REJECTED, _T, needs_reason=True),
            Step(
                S.ACCEPTED,
                E.VERIFY,
                S.HOME_VERIFIED,
                _V,
                (
                    G_HOUSEHOLD,
                    G_CONSENT,
                    G_SURVEY,
                ),
            ),
            Step(S.ACCEPTED, E.REJECT, S.REJECTED, _V, needs_reason=True),
            Step(S.HOME_VERIFIED, E.COMPARE, S.DATA_COMPARED, _T, (G_COMPARISON,)),
            Step(S.HOME_VERIFIED, E.REJECT, S.REJECTED, _T, needs_reason=True),
            Step(S.DATA_COMPARED, E.DELIBERATE, S.VILLAGE_DELIBERATED, _V, (G_MINUTES,)),
            Step(S.DATA_COMPARED, E.REJECT, S.REJECTED, _V, needs_reason=True),
            Step(S.VILLAGE_DELIBERATED, E.PUBLISH, S.PUBLICIZED, _V),
            Step(S.PUBLICIZED, E.OBJECT, S.ACCEPTED, _V, (G_NOTICE_OPEN,), needs_reason=True),
            Step(S.PUBLICIZED, E.TOWNSHIP_REVIEW, S.TOWNSHIP_REVIEWED, _T, (G_NOTICE_ELAPSED,)),
            Step(S.PUBLICIZED, E.REJECT, S.REJECTED, _T, (G_NOTICE_ELAPSED,), needs_reason=True),
            Step(S.TOWNSHIP_REVIEWED, E.APPROVE, S.COUNTY_APPROVED, _C, (G_TYPE,)),
            Step(S.TOWNSHIP_REVIEWED, E.REJECT, S.REJECTED, _C, needs_reason=True),
            Step(S.COUNTY_APPROVED, E.ANNOUNCE, S.MONITORED, _T),
            # risk elimination (风险消除): same steps; a rejection keeps the household monitored
            Step(S.MONITORED, E.PROPOSE_ELIMINATION, S.ELIM_PROPOSED, _V, (G_ELIMINATION,)),
            Step(S.ELIM_PROPOSED, E.VERIFY, S.ELIM_VERIFIED, _V, (G_SURVEY,)),
            Step(S.ELIM_PROPOSED, E.REJECT, S.MONITORED, _V, needs_reason=True),
            Step(S.ELIM_VERIFIED, E.DELIBERATE, S.ELIM_DELIBERATED, _V, (G_MINUTES,)),
            Step(S.ELIM_VERIFIED, E.REJECT, S.MONITORED, _V, needs_reason=True),
            Step(S.ELIM_DELIBERATED, E.PUBLISH, S.ELIM_PUBLICIZED, _V),
            Step(S.ELIM_PUBLICIZED, E.OBJECT, S.ELIM_PROPOSED, _V, (G_NOTICE_OPEN,), needs_reason=True),
            Step(S.ELIM_PUBLICIZED, E.TOWNSHIP_REVIEW, S.ELIM_TOWNSHIP_REVIEWED, _T, (G_NOTICE_ELAPSED,)),
            Step(S.ELIM_PUBLICIZED, E.REJECT, S.MONITORED, _T, (G_NOTICE_ELAPSED,), needs_reason=True),
            Step(S.ELIM_TOWNSHIP_REVIEWED, E.APPROVE, S.RISK_ELIMINATED, _C, (G_ELIMINATION,)),
            Step(S.ELIM_TOWNSHIP_REVIEWED, E.REJECT, S.MONITORED, _C, needs_reason=True),
            # the record is kept after elimination; a new risk brings the household back under monitoring
            Step(S.RISK_ELIMINATED, E.REOPEN, S.MONITORED, _T, needs_reason=True),
        )
    ),
    noun=("案件", "case"),
    states=STATE_LABELS,
    states_en=STATE_LABELS_EN,
    who_labels=WHO_LABELS,
    events={**EVENT_LABELS, "open": _("立案"), "report": _("再次报告风险"), "plan": _("帮扶措施")},  # also recorded
)

# Guards that no form can satisfy: the step waits for a date or for the household's situation. A step
# held back by one is not offered (domain.stepper.can_take_now); the page says what it waits for.
WAITING_GUARDS = frozenset({G_NOTICE_OPEN.name, G_NOTICE_ELAPSED.name, G_ELIMINATION.name})
