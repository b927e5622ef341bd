"""Helpers shared by the employment services: a coded reason with its note, the person to hire, train or post."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from bangfu.core.errors import ApplicationError, NotFound, invalid
from bangfu.core.selectors import get_or_404
from bangfu.employment import access
from bangfu.employment.domain import endings
from bangfu.registry import selectors as registry

if TYPE_CHECKING:
    from bangfu.accounts.models import User


def end_current_version(rows: QuerySet[Any], start: dt.date, refuse: Callable[[dt.date], ApplicationError]) -> None:
    """A new version of a dated row (a split rule, a wage rule, a parameter row) starts on `start`: the
    version in force (`effective_to` empty, locked) ends the day before; one starting on or after `start`
    is refused with `refuse(its start)` (the past is not rewritten)."""
    for row in rows.select_for_update().filter(effective_to__isnull=True):
        if row.effective_from >= start:
            raise refuse(row.effective_from)
        row.effective_to = start - dt.timedelta(days=1)
        row.save(update_fields=["effective_to"])


def coded_reason(reasons: tuple[endings.Reason, ...], code: Any, note: Any) -> tuple[endings.Reason, str]:
    """A reason from the coded list and the note beside it (required when the reason is "other")."""
    found = endings.find(reasons, str(code or "").strip())
    if found is None:
        zh, en = endings.listed(reasons)
        raise invalid("reason", f"请从列表中选择原因：{zh}", f"choose a reason from the list: {en}")
    remark = str(note or "").strip()
    if len(remark) > 100:
        raise invalid("note", "说明最多100个字", "the note is at most 100 characters")
    if found.needs_note and not remark:
        raise invalid("note", "原因为“其他”时请写明具体情况", "say what happened when the reason is 'other'")
    return found, remark


def find_person(actor: User, *, member_id: int | None, id_number: str | None) -> Any:
    """The registry member to hire, train or post: by id (officers) or by ID number (anyone in scope).

    Operator users cannot browse households; they identify a worker by the ID card the worker shows,
    and only people registered inside their membership's area are found.
    """
    if id_number:
        if access.is_operator_user(actor):
            m = registry.member_by_id_number_unscoped(id_number)
            if m is None or not m.active or not access.covers_member_village(actor, m.household.village_id):
                raise invalid(
                    "id_number",
                    "本辖区登记人员中找不到该身份证号，请核对后重新输入",
                    "No registered person in your area has that ID number; check it and try again",
                )
            return m
        try:
            return registry.member_find(actor, id_number)
        except NotFound:
            raise invalid(
                "id_number",
                "您辖区登记人员中找不到该身份证号，请核对后重新输入",
                "No registered person in your areas has that ID number; check it and try again",
            ) from None
    if member_id is None:
        raise invalid("member", "请选择人员或填写身份证号", "choose a person or enter an ID number")
    if access.is_operator_user(actor):
        # An operator user may pick its own workers (e.g. to enrol them in training) from its list.
        from bangfu.employment.selectors import contracts_visible

        hired = get_or_404(contracts_visible(actor).filter(member_id=member_id).select_related("member__household"))
        return hired.member
    return registry.member_get(actor, member_id)
