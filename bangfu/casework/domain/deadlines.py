"""Procedure deadlines in working days: which parameter applies in which state, and the due date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from bangfu.casework.domain.procedure import State
from bangfu.core.domain.workdays import add_working_days

# Name of the day-limit field of the area's parameters for the step that follows each state.
DEADLINE_FIELD: dict[State, str] = {
    State.LEAD: "accept_days",
    State.ACCEPTED: "verify_days",
    State.HOME_VERIFIED: "compare_days",
    State.DATA_COMPARED: "deliberate_days",
    State.VILLAGE_DELIBERATED: "publish_days",
    State.PUBLICIZED: "township_review_days",  # counted from the end of the notice
    State.TOWNSHIP_REVIEWED: "county_approval_days",
    State.COUNTY_APPROVED: "announce_days",
    State.ELIM_PROPOSED: "verify_days",
    State.ELIM_VERIFIED: "deliberate_days",
    State.ELIM_DELIBERATED: "publish_days",
    State.ELIM_PUBLICIZED: "township_review_days",
    State.ELIM_TOWNSHIP_REVIEWED: "county_approval_days",
}


def due_date(
    state: State,
    since: dt.date,
    limits: dict[str, int],
    holidays: Collection[dt.date] = (),
    workdays: Collection[dt.date] = (),
) -> dt.date | None:
    """The last day for the next step, or None for states without a deadline (monitored, closed)."""
    name = DEADLINE_FIELD.get(state)
    if name is None:
        return None
    return add_working_days(since, limits[name], holidays, workdays)


def notice_end(
    start: dt.date,
    days: int,
    working: bool,
    holidays: Collection[dt.date] = (),
    workdays: Collection[dt.date] = (),
) -> dt.date:
    """Last day of a public notice that starts on `start` and runs `days` days (the first day counts)."""
    if working:
        return add_working_days(start - dt.timedelta(days=1), days, holidays, workdays) if days else start
    return start + dt.timedelta(days=max(days, 1) - 1)
