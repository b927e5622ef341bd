"""Warning lifecycle as an explicit transition table (state, event, next state, capability, guard).

open → assigned (to the household's grid worker) → verified (on a visit) → dismissed (reason) or
escalated (into a monitoring case). Every transition is stored as a WarningEvent row.
"""

from __future__ import annotations

from dataclasses import dataclass

OPEN, ASSIGNED, VERIFIED, DISMISSED, ESCALATED = "open", "assigned", "verified", "dismissed", "escalated"
STATE_LABELS = {OPEN: "待处理", ASSIGNED: "已指派", VERIFIED: "已核实", DISMISSED: "已排除", ESCALATED: "已转监测"}
ACTIVE = (OPEN, ASSIGNED, VERIFIED)  # at most one active warning per household and rule
DECIDED = (DISMISSED, ESCALATED)  # stay decided until the facts' source changes (domain.recurrence)


@dataclass(frozen=True)
class Transition:
    state: str
    event: str
    next_state: str
    cap: str  # accounts Cap value the actor needs over the household
    needs_reason: bool = False
    needs_grid_worker: bool = False
    label: str = ""


TRANSITIONS: tuple[Transition, ...] = (
    Transition(OPEN, "assign", ASSIGNED, "handle_warnings", needs_grid_worker=True, label="指派网格员核实"),
    Transition(ASSIGNED, "verify", VERIFIED, "log_visits", needs_reason=True, label="入户核实"),
    Transition(VERIFIED, "dismiss", DISMISSED, "handle_warnings", needs_reason=True, label="排除风险"),
    Transition(VERIFIED, "escalate", ESCALATED, "handle_warnings", needs_reason=True, label="转为监测对象"),
)


class TransitionRefused(ValueError):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


def find(state: str, event: str) -> Transition:
    for t in TRANSITIONS:
        if t.state == state and t.event == event:
            return t
    label = STATE_LABELS.get(state, state)
    raise TransitionRefused(
        f"当前状态“{label}”下不能执行此操作", f"'{event}' is not allowed while the warning is {state}"
    )


def check(t: Transition, *, reason: str, has_grid_worker: bool) -> None:
    if t.needs_reason and not reason.strip():
        raise TransitionRefused("请填写理由或核实情况", "Give a reason or what the visit found")
    if t.needs_grid_worker and not has_grid_worker:
        raise TransitionRefused(
            "该户尚未分配网格员，请先在网格管理中指定", "The household has no grid worker; assign one first"
        )


def available(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.state == state]
