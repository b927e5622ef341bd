"""Warning lifecycle as a transition table (core.domain.workflow).

open → assigned (to the household's grid worker) → verified (on a visit) → dismissed (reason) or
escalated (into a monitoring case). Every transition is stored as a WarningEvent row.
"""

from __future__ import annotations

from dataclasses import dataclass

from bangfu.core.domain.text import gettext_noop as _
from bangfu.core.domain.workflow import Guard, Step, Table

OPEN, ASSIGNED, VERIFIED, DISMISSED, ESCALATED = "open", "assigned", "verified", "dismissed", "escalated"
# Chinese labels are msgids (translated where shown); the English ones serve the workflow's refusals,
# which carry both languages (an ApplicationError).
STATE_LABELS = {
    OPEN: _("待处理"),
    ASSIGNED: _("已指派"),
    VERIFIED: _("已核实"),
    DISMISSED: _("已排除"),
    ESCALATED: _("已转监测"),
}
STATE_LABELS_EN = {
    OPEN: "open",
    ASSIGNED: "assigned",
    VERIFIED: "verified",
    DISMISSED: "dismissed",
    ESCALATED: "made a monitoring case",
}
ACTIVE = (OPEN, ASSIGNED, VERIFIED)  # at most one active warning per household and rule
DECIDED = (DISMISSED, ESCALATED)  # stay decided until the facts' source changes (domain.recurrence)
EVENT_LABELS = {
    "assign": _("指派网格员核实"),
    "verify": _("入户核实"),
    "dismiss": _("排除风险"),
    "escalate": _("转为监测对象"),
}
EVENT_LABELS_EN = {
    "assign": "Assign to the grid worker",
    "verify": "Verify on a visit",
    "dismiss": "Dismiss the risk",
    "escalate": "Open a monitoring case",
}
IRREVERSIBLE = frozenset({"dismiss", "escalate"})  # the page asks for confirmation first


@dataclass(frozen=True)
class Facts:
    has_grid_worker: bool = False


G_GRID_WORKER: Guard[Facts] = Guard(
    "grid_worker",
    lambda f: f.has_grid_worker,
    "该户尚未分配网格员，请先在网格管理中指定",
    "The household has no grid worker; assign one first",
)
_HANDLE, _VISIT = frozenset({"handle_warnings"}), frozenset({"log_visits"})  # accounts Cap values
TABLE: Table[str, str] = Table(
    (
        Step(OPEN, "assign", ASSIGNED, _HANDLE, (G_GRID_WORKER,), en=EVENT_LABELS_EN["assign"]),
        Step(ASSIGNED, "verify", VERIFIED, _VISIT, needs_reason=True, en=EVENT_LABELS_EN["verify"]),
        # the household's grid worker verifies on a visit without first assigning the warning to himself
        Step(OPEN, "verify", VERIFIED, _VISIT, needs_reason=True, en=EVENT_LABELS_EN["verify"]),
        Step(VERIFIED, "dismiss", DISMISSED, _HANDLE, needs_reason=True, en=EVENT_LABELS_EN["dismiss"]),
        Step(VERIFIED, "escalate", ESCALATED, _HANDLE, needs_reason=True, en=EVENT_LABELS_EN["escalate"]),
    ),
    noun=("预警", "warning"),
    states=STATE_LABELS,
    states_en=STATE_LABELS_EN,
    events=EVENT_LABELS,
    reason=("reason", "请填写理由或核实情况", "Give a reason or what the visit found"),
)

ORDER = {OPEN: 0, ASSIGNED: 1, VERIFIED: 2, DISMISSED: 3, ESCALATED: 3}


def already_past(state: str, event: str) -> bool:
    """The warning has moved beyond every state `event` starts from (verified or decided meanwhile):
    answered `already_decided`, not as a step out of order (docs/offline.md)."""
    starts = [ORDER[s.source] for s in TABLE.steps if s.event == event]
    return bool(starts) and ORDER.get(state, -1) > max(starts)
