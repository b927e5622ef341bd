"""The identification and risk-elimination procedure as one explicit transition table.

Each row says: in state S, event E, allowed to holders of capability C, when guards G pass, goes to
state N. Services look the row up here, check the guards against facts they fetched, and record the
transition as an event row; nothing else in the code decides where a case may go next.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


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
    State.LEAD: "待受理",
    State.ACCEPTED: "已受理·待入户核实",
    State.HOME_VERIFIED: "已入户核实·待信息比对",
    State.DATA_COMPARED: "已信息比对·待民主评议",
    State.VILLAGE_DELIBERATED: "已民主评议·待公示",
    State.PUBLICIZED: "公示中",
    State.TOWNSHIP_REVIEWED: "乡镇已审核·待县级审定",
    State.COUNTY_APPROVED: "县级已审定·待公告录入",
    State.MONITORED: "监测帮扶中",
    State.REJECTED: "未纳入(已驳回)",
    State.ELIM_PROPOSED: "风险消除·待入户核实",
    State.ELIM_VERIFIED: "风险消除·待民主评议",
    State.ELIM_DELIBERATED: "风险消除·待公示",
    State.ELIM_PUBLICIZED: "风险消除·公示中",
    State.ELIM_TOWNSHIP_REVIEWED: "风险消除·待县级审定",
    State.RISK_ELIMINATED: "风险已消除",
}

# States in which the case is still being worked on (listed for deadlines and queues).
OPEN_STATES = frozenset(State) - {State.MONITORED, State.REJECTED, State.RISK_ELIMINATED}
NOTICE_STATES = frozenset({State.PUBLICIZED, State.ELIM_PUBLICIZED})


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
    Event.ACCEPT: "乡镇受理",
    Event.VERIFY: "入户核实",
    Event.COMPARE: "信息比对",
    Event.DELIBERATE: "民主评议",
    Event.PUBLISH: "村级公示",
    Event.OBJECT: "公示异议",
    Event.TOWNSHIP_REVIEW: "乡镇审核",
    Event.APPROVE: "县级审定",
    Event.ANNOUNCE: "结果公告并录入",
    Event.REJECT: "驳回",
    Event.PROPOSE_ELIMINATION: "提出风险消除",
    Event.REOPEN: "出现新风险，恢复监测",
}

# Capabilities (values of accounts Cap), kept as strings so this module stays pure.
TOWNSHIP, VILLAGE, COUNTY = "case_accept", "case_village", "case_approve"


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
    type_and_risks_ok: bool = False
    reason_given: bool = False
    elimination_failures: tuple[tuple[str, str], ...] = ()  # (zh, en) from domain.elimination


@dataclass(frozen=True)
class Guard:
    name: str
    test: Callable[[Facts], bool]
    zh: str
    en: str


G_HOUSEHOLD = Guard(
    "has_household",
    lambda f: f.has_household,
    "请先关联在册农户（或先在户籍中登记该户）",
    "Link the case to a registered household first",
)
G_CONSENT = Guard(
    "consent",
    lambda f: f.consent_signed,
    "请记录农户已签署承诺授权书",
    "Record that the household signed the consent to data checks",
)
G_SURVEY = Guard(
    "survey", lambda f: f.survey_done, "请填写入户核查情况（排查表）", "Fill in the home-verification survey"
)
G_COMPARISON = Guard(
    "comparison",
    lambda f: f.comparison_done,
    "请逐项记录车辆、房产、工商登记、财政供养的比对结果",
    "Record the result for vehicles, property, business registration and public payroll",
)
G_MINUTES = Guard(
    "minutes",
    lambda f: f.minutes_recorded,
    "请填写评议纪要和参会人员",
    "Give the deliberation minutes and the attendees",
)
G_NOTICE_OPEN = Guard(
    "notice_open",
    lambda f: f.notice_open,
    "公示期已结束或尚未开始，不能再登记异议",
    "The notice period is not running; objections cannot be recorded",
)
G_NOTICE_ELAPSED = Guard(
    "notice_elapsed",
    lambda f: f.notice_elapsed,
    "公示期未满，请在公示期结束后审核",
    "The notice period has not ended; review after it ends",
)
G_TYPE = Guard(
    "type_and_risks",
    lambda f: f.type_and_risks_ok,
    "请选择监测对象类型并选择1至5项风险类型",
    "Choose the monitoring type and 1 to 5 risk types",
)
G_REASON = Guard("reason", lambda f: f.reason_given, "请填写理由", "Give the reason")
G_ELIMINATION = Guard(
    "elimination",
    lambda f: not f.elimination_failures,
    "不符合风险消除条件",
    "The household does not meet the elimination conditions",
)


@dataclass(frozen=True)
class Transition:
    state: State
    event: Event
    cap: str
    next_state: State
    guards: tuple[Guard, ...] = ()


S, E = State, Event
TRANSITIONS: tuple[Transition, ...] = (
    # identification (识别程序)
    Transition(S.LEAD, E.ACCEPT, TOWNSHIP, S.ACCEPTED, (G_HOUSEHOLD,)),
    Transition(S.LEAD, E.REJECT, TOWNSHIP, S.REJECTED, (G_REASON,)),
    Transition(S.ACCEPTED, E.VERIFY, VILLAGE, S.HOME_VERIFIED, (G_HOUSEHOLD, G_CONSENT, G_SURVEY)),
    Transition(S.ACCEPTED, E.REJECT, VILLAGE, S.REJECTED, (G_REASON,)),
    Transition(S.HOME_VERIFIED, E.COMPARE, TOWNSHIP, S.DATA_COMPARED, (G_COMPARISON,)),
    Transition(S.HOME_VERIFIED, E.REJECT, TOWNSHIP, S.REJECTED, (G_REASON,)),
    Transition(S.DATA_COMPARED, E.DELIBERATE, VILLAGE, S.VILLAGE_DELIBERATED, (G_MINUTES,)),
    Transition(S.DATA_COMPARED, E.REJECT, VILLAGE, S.REJECTED, (G_REASON,)),
    Transition(S.VILLAGE_DELIBERATED, E.PUBLISH, VILLAGE, S.PUBLICIZED),
    Transition(S.PUBLICIZED, E.OBJECT, VILLAGE, S.ACCEPTED, (G_NOTICE_OPEN, G_REASON)),
    Transition(S.PUBLICIZED, E.TOWNSHIP_REVIEW, TOWNSHIP, S.TOWNSHIP_REVIEWED, (G_NOTICE_ELAPSED,)),
    Transition(S.PUBLICIZED, E.REJECT, TOWNSHIP, S.REJECTED, (G_NOTICE_ELAPSED, G_REASON)),
    Transition(S.TOWNSHIP_REVIEWED, E.APPROVE, COUNTY, S.COUNTY_APPROVED, (G_TYPE,)),
    Transition(S.TOWNSHIP_REVIEWED, E.REJECT, COUNTY, S.REJECTED, (G_REASON,)),
    Transition(S.COUNTY_APPROVED, E.ANNOUNCE, TOWNSHIP, S.MONITORED),
    # risk elimination (风险消除): same steps; a rejection keeps the household monitored
    Transition(S.MONITORED, E.PROPOSE_ELIMINATION, VILLAGE, S.ELIM_PROPOSED, (G_ELIMINATION,)),
    Transition(S.ELIM_PROPOSED, E.VERIFY, VILLAGE, S.ELIM_VERIFIED, (G_SURVEY,)),
    Transition(S.ELIM_PROPOSED, E.REJECT, VILLAGE, S.MONITORED, (G_REASON,)),
    Transition(S.ELIM_VERIFIED, E.DELIBERATE, VILLAGE, S.ELIM_DELIBERATED, (G_MINUTES,)),
    Transition(S.ELIM_VERIFIED, E.REJECT, VILLAGE, S.MONITORED, (G_REASON,)),
    Transition(S.ELIM_DELIBERATED, E.PUBLISH, VILLAGE, S.ELIM_PUBLICIZED),
    Transition(S.ELIM_PUBLICIZED, E.OBJECT, VILLAGE, S.ELIM_PROPOSED, (G_NOTICE_OPEN, G_REASON)),
    Transition(S.ELIM_PUBLICIZED, E.TOWNSHIP_REVIEW, TOWNSHIP, S.ELIM_TOWNSHIP_REVIEWED, (G_NOTICE_ELAPSED,)),
    Transition(S.ELIM_PUBLICIZED, E.REJECT, TOWNSHIP, S.MONITORED, (G_NOTICE_ELAPSED, G_REASON)),
    Transition(S.ELIM_TOWNSHIP_REVIEWED, E.APPROVE, COUNTY, S.RISK_ELIMINATED, (G_ELIMINATION,)),
    Transition(S.ELIM_TOWNSHIP_REVIEWED, E.REJECT, COUNTY, S.MONITORED, (G_REASON,)),
    # the record is kept after elimination; a new risk brings the household back under monitoring
    Transition(S.RISK_ELIMINATED, E.REOPEN, TOWNSHIP, S.MONITORED, (G_REASON,)),
)
_TABLE = {(t.state, t.event): t for t in TRANSITIONS}


class StepRefused(Exception):
    """The step is not possible now; `problems` are (guard name, zh, en) a user can act on."""

    def __init__(self, zh: str, en: str, code: str, problems: tuple[tuple[str, str, str], ...] = ()) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh, self.en, self.code, self.problems = zh, en, code, problems


def transition_for(state: State, event: Event) -> Transition:
    t = _TABLE.get((state, event))
    if t is None:
        raise StepRefused(
            f"案件当前为“{STATE_LABELS[state]}”，不能进行“{EVENT_LABELS[event]}”",
            f"A case in state '{state.value}' cannot take the step '{event.value}'",
            "invalid_step",
        )
    return t


def events_from(state: State) -> list[Transition]:
    return [t for t in TRANSITIONS if t.state == state]


def decide(state: State, event: Event, caps: frozenset[str], facts: Facts) -> Transition:
    """The transition to take, or StepRefused saying which role or which guard stands in the way."""
    t = transition_for(state, event)
    if t.cap not in caps:
        raise StepRefused("您的角色不能办理这一步", "Your role may not take this step", "wrong_role")
    failed = tuple((g.name, g.zh, g.en) for g in t.guards if not g.test(facts))
    if failed:
        # The elimination guard stands for several conditions: list each one that failed.
        extra = (
            tuple(("elimination", zh, en) for zh, en in facts.elimination_failures)
            if any(name == "elimination" for name, _, _ in failed)
            else ()
        )
        raise StepRefused("条件未满足，不能办理", "Conditions not met", "guard_failed", failed + extra)
    return t
