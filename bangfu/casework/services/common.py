"""Helpers shared by the casework services: access checks, dates, deadlines, event rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from bangfu.casework import selectors
from bangfu.casework.domain.deadlines import due_date
from bangfu.casework.domain.procedure import State
from bangfu.casework.models import Case, CaseAttachment, CaseEvent
from bangfu.core import files as core_files
from bangfu.core.errors import invalid
from bangfu.core.inputs import not_future
from bangfu.core.services import audit_record

if TYPE_CHECKING:
    from bangfu.accounts.models import User

MAX_UPLOAD = 5 * 1024 * 1024  # a phone photo or a scanned page; larger files are refused, not shrunk


def step_date(on: dt.date | None, not_before: dt.date | None = None, field: str = "on") -> dt.date:
    """The day a step was done: today when not given, never in the future nor before the previous step."""
    on = not_future(on or timezone.localdate(), field, zh="办理日期")
    if not_before and on < not_before:
        raise invalid(
            field,
            f"办理日期不能早于上一步({not_before})",
            f"the date cannot be before the previous step ({not_before})",
        )
    return on


def check_files(
    files: Iterable[UploadedFile[bytes]], field: str = "files", allowed: Sequence[str] = core_files.DOCUMENT
) -> list[core_files.Accepted]:
    """Each upload checked by its bytes (PDF or image) and renamed to a generated name."""
    return [core_files.accept(f, allowed=allowed, max_bytes=MAX_UPLOAD, field=field) for f in files]


def set_state(case: Case, state: State, since: dt.date, deadline_from: dt.date | None = None) -> None:
    """Move the case and compute the deadline of its next step in the area's working days."""
    params = selectors.params_for(case.village_id, since)
    holidays, workdays = selectors.calendar_for(case.village_id)
    case.state = state.value
    case.state_since = since
    case.due_on = due_date(state, deadline_from or since, params.limits(), holidays, workdays)


def record_event(
    *,
    case: Case,
    actor: User | None,
    event: str,
    from_state: str,
    on: dt.date,
    note: str = "",
    data: dict[str, Any] | None = None,
    files: Iterable[core_files.Accepted] = (),
) -> CaseEvent:
    ev = CaseEvent.objects.create(
        case=case,
        actor=actor if getattr(actor, "pk", None) else None,
        event=event,
        from_state=from_state,
        to_state=case.state,
        on=on,
        note=note,
        data=data or {},
    )
    for f in files:
        CaseAttachment.objects.create(event=ev, file=f.upload, name=f.original_name)
    audit_record(
        actor=actor,
        action=f"case_{event}",
        obj=case,
        area_code=case.village_id,
        reason=note,
        data={"from": from_state, "to": case.state},
    )
    return ev
